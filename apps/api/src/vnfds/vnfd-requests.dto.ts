import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { OperationalState } from '#vim/persistence';
import { PageQuery } from '../common/page.js';

export class ListVnfdsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'exact provider' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  provider?: string;

  @ApiPropertyOptional({ description: 'exact product-name' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  product?: string;
}

export class UpdateVnfdRequest {
  @ApiProperty({ enum: OperationalState, description: 'DISABLED descriptors cannot be instantiated' })
  @IsEnum(OperationalState)
  operationalState: OperationalState;
}
