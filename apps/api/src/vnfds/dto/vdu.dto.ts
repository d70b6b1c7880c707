import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { INTERFACE_TYPES } from '../../../../../libs/descriptors/src/index.js';
import {
  IsBooleanLike,
  IsNumeric,
  IsObjectEntries,
  IsOneOf,
  IsText,
  boolApi,
  enumApi,
  numericApi,
  opaqueApi,
  opaqueListApi,
  opaqueObjectApi,
  textApi,
  textListApi,
} from './decorators.js';

/** OSM `virtual-interface`. */
export class VirtualInterfaceDto {
  @ApiProperty(
    enumApi(
      'type',
      INTERFACE_TYPES,
      'NIC type. PARAVIRT and VIRTIO become vhost-user ports on OvS-DPDK, SR-IOV and PCI-PASSTHROUGH become VFs/devices; the others are accepted but cannot be placed',
    ),
  )
  @IsOneOf(INTERFACE_TYPES)
  'type': string;

  @ApiPropertyOptional(textApi('vpci', 'Guest PCI address, e.g. 0000:00:0a.0'))
  @IsOptional()
  @IsText()
  'vpci'?: string;

  @ApiPropertyOptional(numericApi('bandwidth', 'Bandwidth', { min: 0 }))
  @IsOptional()
  @IsNumeric({ min: 0 })
  'bandwidth'?: number | string;

  @ApiPropertyOptional(opaqueApi('vif-quota', 'OSM interface quota'))
  @Allow()
  'vif-quota'?: unknown;
}

export class VirtualNetworkInterfaceRequirementDto {
  @ApiProperty(textApi('name', 'Interface name'))
  @IsText({ nonEmpty: true })
  'name': string;

  @ApiPropertyOptional(textApi('description', 'Description'))
  @IsOptional()
  @IsText()
  'description'?: string;

  @ApiPropertyOptional(boolApi('support-mandatory', 'Whether the requirement must be met'))
  @IsOptional()
  @IsBooleanLike()
  'support-mandatory'?: boolean | string;

  @ApiPropertyOptional(opaqueListApi('network-interface-requirements', 'SOL006 requirements (key/value)'))
  @IsOptional()
  @IsArray()
  'network-interface-requirements'?: unknown[];

  @ApiPropertyOptional(opaqueApi('nic-io-requirements', 'SOL006 NIC I/O requirements (logical-node reference)'))
  @Allow()
  'nic-io-requirements'?: unknown;

  @ApiPropertyOptional(numericApi('position', 'OSM: order of the interface in the guest', { integer: true, min: 0 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 0 })
  'position'?: number | string;

  @ApiPropertyOptional({ name: 'virtual-interface', type: () => VirtualInterfaceDto, description: 'OSM: the NIC type' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VirtualInterfaceDto)
  'virtual-interface'?: VirtualInterfaceDto;
}

/** Fields SOL006 `cpd` gives both int-cpd and ext-cpd. */
export class CpdBaseDto {
  @ApiProperty(textApi('id', 'Connection point id'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('description', 'Description'))
  @IsOptional()
  @IsText()
  'description'?: string;

  @ApiPropertyOptional(opaqueListApi('layer-protocol', 'Layer protocols, e.g. ipv4, ethernet'))
  @IsOptional()
  @IsArray()
  'layer-protocol'?: unknown[];

  @ApiPropertyOptional(textApi('role', 'Role of the connection point'))
  @IsOptional()
  @IsText()
  'role'?: string;

  @ApiPropertyOptional(opaqueListApi('protocol', 'Protocol data (address data per layer protocol)'))
  @IsOptional()
  @IsArray()
  'protocol'?: unknown[];

  @ApiPropertyOptional(boolApi('trunk-mode', 'Whether the connection point carries a trunk'))
  @IsOptional()
  @IsBooleanLike()
  'trunk-mode'?: boolean | string;

  @ApiPropertyOptional(opaqueListApi('security-group-rule-id', 'Security group rules applied'))
  @IsOptional()
  @IsArray()
  'security-group-rule-id'?: unknown[];

  @ApiPropertyOptional(boolApi('port-security-enabled', 'OSM: port security'))
  @IsOptional()
  @IsBooleanLike()
  'port-security-enabled'?: boolean | string;

  @ApiPropertyOptional(textApi('port-security-disable-strategy', 'OSM: how port security is disabled, e.g. allow-address-pairs'))
  @IsOptional()
  @IsText()
  'port-security-disable-strategy'?: string;

  @ApiPropertyOptional({
    name: 'virtual-network-interface-requirement',
    type: () => VirtualNetworkInterfaceRequirementDto,
    isArray: true,
    description: 'NIC requirements',
  })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => VirtualNetworkInterfaceRequirementDto)
  'virtual-network-interface-requirement'?: VirtualNetworkInterfaceRequirementDto[];

  @ApiPropertyOptional(opaqueApi('nicio-requirements', 'SOL006 NIC I/O requirements'))
  @Allow()
  'nicio-requirements'?: unknown;
}

export class IntCpdDto extends CpdBaseDto {
  @ApiPropertyOptional(textApi('int-virtual-link-desc', 'Internal virtual link this connection point attaches to'))
  @IsOptional()
  @IsText()
  'int-virtual-link-desc'?: string;

  @ApiPropertyOptional(numericApi('bitrate-requirement', 'Bitrate requirement', { min: 0 }))
  @IsOptional()
  @IsNumeric({ min: 0 })
  'bitrate-requirement'?: number | string;

  @ApiPropertyOptional(numericApi('order', 'Order of the interface', { integer: true, min: 0 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 0 })
  'order'?: number | string;
}

export class VduDto {
  @ApiProperty(textApi('id', 'VDU id'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('name', 'VDU name'))
  @IsOptional()
  @IsText()
  'name'?: string;

  @ApiPropertyOptional(textApi('description', 'Description'))
  @IsOptional()
  @IsText()
  'description'?: string;

  @ApiPropertyOptional({ name: 'int-cpd', type: () => IntCpdDto, isArray: true, description: 'Internal connection points (NICs)' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => IntCpdDto)
  'int-cpd'?: IntCpdDto[];

  @ApiProperty(textApi('virtual-compute-desc', 'Id of the virtual-compute-desc'))
  @IsText({ nonEmpty: true })
  'virtual-compute-desc': string;

  @ApiPropertyOptional(textListApi('virtual-storage-desc', 'Ids of virtual-storage-descs'))
  @IsOptional()
  @IsArray()
  @IsText({}, { each: true })
  'virtual-storage-desc'?: string[];

  @ApiPropertyOptional(textApi('sw-image-desc', 'Id of the sw-image-desc'))
  @IsOptional()
  @IsText()
  'sw-image-desc'?: string;

  @ApiPropertyOptional(textListApi('alternative-sw-image-desc', 'OSM: ids of alternative images (per VIM type)'))
  @IsOptional()
  @IsArray()
  @IsText({}, { each: true })
  'alternative-sw-image-desc'?: string[];

  @ApiPropertyOptional(textApi('cloud-init', 'OSM: cloud-init user data, inline'))
  @IsOptional()
  @IsText()
  'cloud-init'?: string;

  @ApiPropertyOptional(textApi('cloud-init-file', 'OSM: name of the cloud-init file in the package'))
  @IsOptional()
  @IsText()
  'cloud-init-file'?: string;

  @ApiPropertyOptional(textApi('pdu-type', 'OSM: physical deployment unit type'))
  @IsOptional()
  @IsText()
  'pdu-type'?: string;

  @ApiPropertyOptional(opaqueListApi('boot-order', 'SOL006 boot order (key/value)'))
  @IsOptional()
  @IsArray()
  'boot-order'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('nfvi-constraint', 'SOL006 NFVI constraints'))
  @IsOptional()
  @IsArray()
  'nfvi-constraint'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('monitoring-parameter', 'Monitoring parameters'))
  @IsOptional()
  @IsArray()
  'monitoring-parameter'?: unknown[];

  @ApiPropertyOptional(opaqueObjectApi('configurable-properties', 'Configurable properties'))
  @IsOptional()
  @IsObject()
  'configurable-properties'?: Record<string, unknown>;

  @ApiPropertyOptional(opaqueApi('boot-data', 'SOL006 boot data'))
  @Allow()
  'boot-data'?: unknown;

  @ApiPropertyOptional(opaqueApi('supplemental-boot-data', 'OSM supplemental boot data (boot-data-drive)'))
  @Allow()
  'supplemental-boot-data'?: unknown;

  @ApiPropertyOptional(opaqueListApi('alarm', 'OSM alarms'))
  @IsOptional()
  @IsArray()
  'alarm'?: unknown[];

  @ApiPropertyOptional(opaqueApi('mcio-constraints', 'SOL006 MCIO constraints'))
  @Allow()
  'mcio-constraints'?: unknown;

  @ApiPropertyOptional(opaqueApi('nfvi-maintenance-info', 'SOL006 NFVI maintenance info'))
  @Allow()
  'nfvi-maintenance-info'?: unknown;
}
