import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { OperationalState } from '../../../../libs/persistence/src/index.js';

export class ListVnfdsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;

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
