import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { checkPhysnet } from '../../../../libs/naming/src/index.js';
import type { PageSize, PlacementRequest } from '../../../../libs/placement/src/index.js';
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

  @ApiPropertyOptional({ description: 'members of one group go to different hosts' })
  @IsOptional()
  @Satisfies(checkPhysnet)
  antiAffinityGroup?: string;

  toRequest(requestId: string): PlacementRequest {
    return { ...this, sriovPorts: this.sriovPorts.map((p) => ({ physnet: p.physnet })), requestId };
  }
}
