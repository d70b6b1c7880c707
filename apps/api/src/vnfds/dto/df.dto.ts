import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsNumeric, IsObjectEntries, IsText, numericApi, opaqueListApi, opaqueObjectApi, textApi } from './decorators.js';
import { ScalingAspectDto } from './scaling.dto.js';

export class VduProfileDto {
  @ApiProperty(textApi('id', 'Id of the vdu'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(numericApi('min-number-of-instances', 'Minimum instances (default 1)', { integer: true, min: 0, max: 65535 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 0, max: 65535 })
  'min-number-of-instances'?: number | string;

  @ApiPropertyOptional(
    numericApi('max-number-of-instances', 'Maximum instances (default: the minimum)', { integer: true, min: 0, max: 65535 }),
  )
  @IsOptional()
  @IsNumeric({ integer: true, min: 0, max: 65535 })
  'max-number-of-instances'?: number | string;

  @ApiPropertyOptional(opaqueListApi('local-affinity-or-anti-affinity-rule', 'Affinity rules among instances of this vdu'))
  @IsOptional()
  @IsArray()
  'local-affinity-or-anti-affinity-rule'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('affinity-or-anti-affinity-group', 'Affinity groups this vdu belongs to'))
  @IsOptional()
  @IsArray()
  'affinity-or-anti-affinity-group'?: unknown[];

  @ApiPropertyOptional(textApi('vdu-configuration-id', 'OSM: day-1/2 configuration of the vdu'))
  @IsOptional()
  @IsText()
  'vdu-configuration-id'?: string;
}

export class VduLevelDto {
  @ApiProperty(textApi('vdu-id', 'Id of the vdu'))
  @IsText({ nonEmpty: true })
  'vdu-id': string;

  @ApiPropertyOptional(numericApi('number-of-instances', 'Instances at this level (default 1)', { integer: true, min: 0, max: 65535 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 0, max: 65535 })
  'number-of-instances'?: number | string;
}

export class ScaleInfoDto {
  @ApiProperty(textApi('scaling-aspect-id', 'Id of the scaling-aspect'))
  @IsText({ nonEmpty: true })
  'scaling-aspect-id': string;

  @ApiPropertyOptional(numericApi('scale-level', 'Scale level of the aspect at this instantiation level', { integer: true, min: 0 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 0 })
  'scale-level'?: number | string;
}

export class InstantiationLevelDto {
  @ApiProperty(textApi('id', 'Instantiation level id'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('description', 'Description'))
  @IsOptional()
  @IsText()
  'description'?: string;

  @ApiPropertyOptional({ name: 'vdu-level', type: () => VduLevelDto, isArray: true, description: 'Instances per vdu' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => VduLevelDto)
  'vdu-level'?: VduLevelDto[];

  @ApiPropertyOptional({ name: 'scale-info', type: () => ScaleInfoDto, isArray: true, description: 'Scale level per aspect' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => ScaleInfoDto)
  'scale-info'?: ScaleInfoDto[];

  @ApiPropertyOptional(opaqueListApi('virtual-link-bit-rate-level', 'Bit rate per virtual link'))
  @IsOptional()
  @IsArray()
  'virtual-link-bit-rate-level'?: unknown[];
}

/** Deployment flavour (`df[]`). */
export class DfDto {
  @ApiProperty(textApi('id', 'Deployment flavour id'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('description', 'Description'))
  @IsOptional()
  @IsText()
  'description'?: string;

  @ApiPropertyOptional({ name: 'vdu-profile', type: () => VduProfileDto, isArray: true, description: 'Instance bounds per vdu' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => VduProfileDto)
  'vdu-profile'?: VduProfileDto[];

  @ApiPropertyOptional({
    name: 'instantiation-level',
    type: () => InstantiationLevelDto,
    isArray: true,
    description: 'Instantiation levels',
  })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => InstantiationLevelDto)
  'instantiation-level'?: InstantiationLevelDto[];

  @ApiPropertyOptional(textApi('default-instantiation-level-id', 'Level used when instantiate names none'))
  @IsOptional()
  @IsText()
  'default-instantiation-level-id'?: string;

  @ApiPropertyOptional({ name: 'scaling-aspect', type: () => ScalingAspectDto, isArray: true, description: 'Scaling aspects' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => ScalingAspectDto)
  'scaling-aspect'?: ScalingAspectDto[];

  @ApiPropertyOptional(opaqueObjectApi('lcm-operations-configuration', 'LCM operation settings, OSM day-1/2 configuration'))
  @IsOptional()
  @IsObject()
  'lcm-operations-configuration'?: Record<string, unknown>;

  @ApiPropertyOptional(opaqueListApi('virtual-link-profile', 'Virtual link profiles'))
  @IsOptional()
  @IsArray()
  'virtual-link-profile'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('supported-vnf-interfaces', 'Supported VNF interfaces'))
  @IsOptional()
  @IsArray()
  'supported-vnf-interfaces'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('supported-operation', 'Supported LCM operations'))
  @IsOptional()
  @IsArray()
  'supported-operation'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('monitoring-parameter', 'VNF-level monitoring parameters'))
  @IsOptional()
  @IsArray()
  'monitoring-parameter'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('affinity-or-anti-affinity-group', 'Affinity groups'))
  @IsOptional()
  @IsArray()
  'affinity-or-anti-affinity-group'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('placement-group', 'Placement groups'))
  @IsOptional()
  @IsArray()
  'placement-group'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('kdu-resource-profile', 'OSM: KDU resource profiles'))
  @IsOptional()
  @IsArray()
  'kdu-resource-profile'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('healing-aspect', 'OSM: auto-healing aspects'))
  @IsOptional()
  @IsArray()
  'healing-aspect'?: unknown[];
}
