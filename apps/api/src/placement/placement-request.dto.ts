import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { checkPhysnet } from '#vim/naming';
import type { PageSize, PlacementRequest } from '#vim/placement';
import { Satisfies } from '../common/rule.decorator.js';

class SriovPortDto {
  @ApiProperty({ example: 'sriov-a' })
  @Satisfies(checkPhysnet)
  physnet: string;
}

const PAGE_SIZES = ['small', 'large', 'any', 2048, 1048576];

/** One VM's needs, as placement sees them (the lifecycle derives it from a VDU). */
export class PlacementRequestDto {
  @ApiProperty({ minimum: 1, maximum: 256 })
  @IsInt()
  @Min(1)
  @Max(256)
  vcpus: number;

  @ApiProperty({ enum: ['dedicated', 'shared'] })
  @IsIn(['dedicated', 'shared'])
  cpuPolicy: 'dedicated' | 'shared';

  @ApiProperty({ minimum: 64, maximum: 4_194_304 })
  @IsInt()
  @Min(64)
  @Max(4_194_304)
  memoryMb: number;

  @ApiProperty({ oneOf: [{ type: 'string', enum: ['small', 'large', 'any'] }, { type: 'integer', enum: [2048, 1048576] }], description: 'page size in KiB, or small/large/any' })
  @ValidateBy({
    name: 'isPageSize',
    validator: { validate: (v: unknown) => PAGE_SIZES.includes(v as never), defaultMessage: () => `pageSize must be one of ${PAGE_SIZES.join(', ')}` },
  })
  pageSize: PageSize;

  @ApiProperty({ minimum: 0, maximum: 32, description: 'vhost-user ports (each takes a PMD rx-queue slot)' })
  @IsInt()
  @Min(0)
  @Max(32)
  virtioPorts: number;

  @ApiProperty({ type: [SriovPortDto] })
  @IsArray()
  @ArrayMaxSize(32)
  @ValidateNested({ each: true })
  @Type(() => SriovPortDto)
  sriovPorts: SriovPortDto[];

  @ApiProperty({ enum: ['required', 'preferred'] })
  @IsIn(['required', 'preferred'])
  vfNumaAffinity: 'required' | 'preferred';

  @ApiPropertyOptional({ type: [String], description: 'hard: no host that holds a member of any of these groups' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  antiAffinityGroups?: string[];

  @ApiPropertyOptional({ type: [String], description: 'hard: the host of the members of these groups, where they have any' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  affinityGroups?: string[];

  @ApiPropertyOptional({ description: 'soft: hosts without a member of this group are preferred' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  spreadGroup?: string;

  toRequest(requestId: string): PlacementRequest {
    return { ...this, sriovPorts: this.sriovPorts.map((p) => ({ physnet: p.physnet })), requestId };
  }
}
