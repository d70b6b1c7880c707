import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsText, opaqueApi, opaqueListApi, textApi } from './decorators.js';
import { CpdBaseDto } from './vdu.dto.js';

/** `ext-cpd.int-cpd`: the VDU connection point an external one exposes. */
export class ExtCpdIntCpdDto {
  @ApiProperty(textApi('vdu-id', 'Id of the vdu'))
  @IsText({ nonEmpty: true })
  'vdu-id': string;

  @ApiProperty(textApi('cpd', 'Id of the int-cpd within that vdu'))
  @IsText({ nonEmpty: true })
  'cpd': string;
}

export class ExtCpdDto extends CpdBaseDto {
  @ApiPropertyOptional({ name: 'int-cpd', type: () => ExtCpdIntCpdDto, description: 'The VDU connection point exposed' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ExtCpdIntCpdDto)
  'int-cpd'?: ExtCpdIntCpdDto;

  @ApiPropertyOptional(textApi('int-virtual-link-desc', 'Internal virtual link exposed (instead of int-cpd)'))
  @IsOptional()
  @IsText()
  'int-virtual-link-desc'?: string;

  @ApiPropertyOptional(textApi('k8s-cluster-net', 'OSM: KDU cluster network'))
  @IsOptional()
  @IsText()
  'k8s-cluster-net'?: string;
}

export class IntVirtualLinkDescDto {
  @ApiProperty(textApi('id', 'Identifier, referenced by int-cpd and ext-cpd'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('description', 'Description'))
  @IsOptional()
  @IsText()
  'description'?: string;

  @ApiPropertyOptional(opaqueListApi('flavour', 'Virtual link flavours (QoS)'))
  @IsOptional()
  @IsArray()
  'flavour'?: unknown[];

  @ApiPropertyOptional(opaqueApi('connectivity-type', 'Layer protocols and flow pattern'))
  @Allow()
  'connectivity-type'?: unknown;

  @ApiPropertyOptional(opaqueApi('test-access', 'Test access facilities'))
  @Allow()
  'test-access'?: unknown;

  @ApiPropertyOptional(opaqueListApi('monitoring-parameter', 'Monitoring parameters'))
  @IsOptional()
  @IsArray()
  'monitoring-parameter'?: unknown[];

  @ApiPropertyOptional(opaqueApi('nfvi-maintenance-info', 'SOL006 NFVI maintenance info'))
  @Allow()
  'nfvi-maintenance-info'?: unknown;
}
