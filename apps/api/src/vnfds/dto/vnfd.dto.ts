import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { VirtualComputeDescDto } from './compute.dto.js';
import { IsObjectEntries, IsText, opaqueApi, opaqueListApi, opaqueObjectApi, textApi, textListApi } from './decorators.js';
import { DfDto } from './df.dto.js';
import { ExtCpdDto, IntVirtualLinkDescDto } from './ext-cpd.dto.js';
import { SwImageDescDto, VirtualStorageDescDto } from './image-storage.dto.js';
import { VduDto } from './vdu.dto.js';

/** A VNF descriptor: SOL006 `vnfd` with OSM's extensions. */
export class VnfdDto {
  @ApiProperty(textApi('id', 'VNFD id'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('provider', 'VNF provider'))
  @IsOptional()
  @IsText()
  'provider'?: string;

  @ApiProperty(textApi('product-name', 'VNF product name'))
  @IsText({ nonEmpty: true })
  'product-name': string;

  @ApiPropertyOptional(textApi('software-version', 'VNF software version'))
  @IsOptional()
  @IsText()
  'software-version'?: string;

  @ApiProperty(textApi('version', 'Descriptor version; with id, identifies the descriptor in the catalogue'))
  @IsText({ nonEmpty: true })
  'version': string;

  @ApiPropertyOptional(textApi('product-info-name', 'Human-readable product name'))
  @IsOptional()
  @IsText()
  'product-info-name'?: string;

  @ApiPropertyOptional(textApi('product-info-description', 'Human-readable product description'))
  @IsOptional()
  @IsText()
  'product-info-description'?: string;

  @ApiPropertyOptional(textListApi('vnfm-info', 'VNFMs compatible with the VNF'))
  @IsOptional()
  @IsArray()
  @IsText({}, { each: true })
  'vnfm-info'?: string[];

  @ApiPropertyOptional(textListApi('localization-language', 'Supported languages'))
  @IsOptional()
  @IsArray()
  @IsText({}, { each: true })
  'localization-language'?: string[];

  @ApiPropertyOptional(textApi('default-localization-language', 'Default language'))
  @IsOptional()
  @IsText()
  'default-localization-language'?: string;

  @ApiPropertyOptional(textApi('description', 'OSM: description'))
  @IsOptional()
  @IsText()
  'description'?: string;

  @ApiPropertyOptional(textApi('mgmt-cp', 'OSM: id of the management ext-cpd'))
  @IsOptional()
  @IsText()
  'mgmt-cp'?: string;

  @ApiPropertyOptional({ name: 'vdu', type: () => VduDto, isArray: true, description: 'Virtualisation deployment units (VMs)' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => VduDto)
  'vdu'?: VduDto[];

  @ApiPropertyOptional({ name: 'virtual-compute-desc', type: () => VirtualComputeDescDto, isArray: true, description: 'CPU and memory' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => VirtualComputeDescDto)
  'virtual-compute-desc'?: VirtualComputeDescDto[];

  @ApiPropertyOptional({ name: 'virtual-storage-desc', type: () => VirtualStorageDescDto, isArray: true, description: 'Disks' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => VirtualStorageDescDto)
  'virtual-storage-desc'?: VirtualStorageDescDto[];

  @ApiPropertyOptional({ name: 'sw-image-desc', type: () => SwImageDescDto, isArray: true, description: 'Software images' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => SwImageDescDto)
  'sw-image-desc'?: SwImageDescDto[];

  @ApiPropertyOptional({
    name: 'int-virtual-link-desc',
    type: () => IntVirtualLinkDescDto,
    isArray: true,
    description: 'Internal virtual links',
  })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => IntVirtualLinkDescDto)
  'int-virtual-link-desc'?: IntVirtualLinkDescDto[];

  @ApiPropertyOptional({ name: 'ext-cpd', type: () => ExtCpdDto, isArray: true, description: 'External connection points' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => ExtCpdDto)
  'ext-cpd'?: ExtCpdDto[];

  @ApiPropertyOptional({ name: 'df', type: () => DfDto, isArray: true, description: 'Deployment flavours' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => DfDto)
  'df'?: DfDto[];

  @ApiPropertyOptional(opaqueObjectApi('configurable-properties', 'Configurable properties'))
  @IsOptional()
  @IsObject()
  'configurable-properties'?: Record<string, unknown>;

  @ApiPropertyOptional(opaqueApi('modifiable-attributes', 'Modifiable attributes'))
  @Allow()
  'modifiable-attributes'?: unknown;

  @ApiPropertyOptional(opaqueListApi('lifecycle-management-script', 'Lifecycle management scripts'))
  @IsOptional()
  @IsArray()
  'lifecycle-management-script'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('element-group', 'Element groups'))
  @IsOptional()
  @IsArray()
  'element-group'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('indicator', 'VNF indicators'))
  @IsOptional()
  @IsArray()
  'indicator'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('auto-scale', 'Auto-scaling rules'))
  @IsOptional()
  @IsArray()
  'auto-scale'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('security-group-rule', 'Security group rules'))
  @IsOptional()
  @IsArray()
  'security-group-rule'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('vip-cpd', 'Virtual IP connection points'))
  @IsOptional()
  @IsArray()
  'vip-cpd'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('virtual-cp', 'Virtual connection points'))
  @IsOptional()
  @IsArray()
  'virtual-cp'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('kdu', 'OSM: Kubernetes deployment units (not deployed by this orchestrator)'))
  @IsOptional()
  @IsArray()
  'kdu'?: unknown[];

  @ApiPropertyOptional(opaqueApi('k8s-cluster', 'OSM: Kubernetes cluster requirements'))
  @Allow()
  'k8s-cluster'?: unknown;

  @ApiPropertyOptional(opaqueApi('vnf-configuration', 'OSM (legacy): VNF day-1/2 configuration'))
  @Allow()
  'vnf-configuration'?: unknown;
}
