import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsNumeric, IsObjectEntries, IsText, numericApi, opaqueListApi, textApi, textListApi } from './decorators.js';

export class VduDeltaDto {
  @ApiProperty(textApi('id', 'Id of the vdu'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(numericApi('number-of-instances', 'Instances added per step (default 1)', { integer: true, min: 1 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 1 })
  'number-of-instances'?: number | string;
}

export class ScalingDeltaDto {
  @ApiProperty(textApi('id', 'Delta id'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional({ name: 'vdu-delta', type: () => VduDeltaDto, isArray: true, description: 'Instances per vdu' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => VduDeltaDto)
  'vdu-delta'?: VduDeltaDto[];

  @ApiPropertyOptional(opaqueListApi('virtual-link-bit-rate-delta', 'Bit rate per virtual link'))
  @IsOptional()
  @IsArray()
  'virtual-link-bit-rate-delta'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('kdu-resource-delta', 'OSM: KDU resources per step'))
  @IsOptional()
  @IsArray()
  'kdu-resource-delta'?: unknown[];
}

export class AspectDeltaDetailsDto {
  @ApiPropertyOptional({ name: 'deltas', type: () => ScalingDeltaDto, isArray: true, description: 'Scaling deltas' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => ScalingDeltaDto)
  'deltas'?: ScalingDeltaDto[];

  @ApiPropertyOptional(textListApi('step-deltas', 'Delta id per scaling step (non-uniform aspects)'))
  @IsOptional()
  @IsArray()
  @IsText({ nonEmpty: true }, { each: true })
  'step-deltas'?: string[];
}

export class ScalingAspectDto {
  @ApiProperty(textApi('id', 'Aspect id'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('name', 'Aspect name'))
  @IsOptional()
  @IsText()
  'name'?: string;

  @ApiPropertyOptional(textApi('description', 'Description'))
  @IsOptional()
  @IsText()
  'description'?: string;

  @ApiPropertyOptional(numericApi('max-scale-level', 'Highest scale level (default 1)', { integer: true, min: 1 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 1 })
  'max-scale-level'?: number | string;

  @ApiPropertyOptional({ name: 'aspect-delta-details', type: () => AspectDeltaDetailsDto, description: 'What one step adds' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AspectDeltaDetailsDto)
  'aspect-delta-details'?: AspectDeltaDetailsDto;

  @ApiPropertyOptional(opaqueListApi('scaling-policy', 'OSM: auto-scaling policies'))
  @IsOptional()
  @IsArray()
  'scaling-policy'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('scaling-config-action', 'OSM: primitives run on scaling'))
  @IsOptional()
  @IsArray()
  'scaling-config-action'?: unknown[];
}
