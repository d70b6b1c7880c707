import { INTERFACE_TYPES } from '#vim/descriptors';
import {
  OpaqueList,
  OpaqueObject,
  OpaqueValue,
  OptionalBool,
  OptionalNested,
  OptionalNestedList,
  OptionalNumeric,
  OptionalText,
  OptionalTextList,
  RequiredEnum,
  RequiredText,
} from './decorators.js';

/** OSM `virtual-interface`. */
export class VirtualInterfaceDto {
  @RequiredEnum(
    'type',
    INTERFACE_TYPES,
    'NIC type. PARAVIRT and VIRTIO become vhost-user ports on OvS-DPDK, SR-IOV and PCI-PASSTHROUGH become VFs/devices; the others are accepted but cannot be placed',
  )
  'type': string;

  @OptionalText('vpci', 'Guest PCI address, e.g. 0000:00:0a.0')
  'vpci'?: string;

  @OptionalNumeric('bandwidth', 'Bandwidth', { min: 0 })
  'bandwidth'?: number | string;

  @OpaqueValue('vif-quota', 'OSM interface quota')
  'vif-quota'?: unknown;
}

export class VirtualNetworkInterfaceRequirementDto {
  @RequiredText('name', 'Interface name')
  'name': string;

  @OptionalText('description', 'Description')
  'description'?: string;

  @OptionalBool('support-mandatory', 'Whether the requirement must be met')
  'support-mandatory'?: boolean | string;

  @OpaqueList('network-interface-requirements', 'SOL006 requirements (key/value)')
  'network-interface-requirements'?: unknown[];

  @OpaqueValue('nic-io-requirements', 'SOL006 NIC I/O requirements (logical-node reference)')
  'nic-io-requirements'?: unknown;

  @OptionalNumeric('position', 'OSM: order of the interface in the guest', { integer: true, min: 0 })
  'position'?: number | string;

  @OptionalNested(() => VirtualInterfaceDto, 'virtual-interface', 'OSM: the NIC type')
  'virtual-interface'?: VirtualInterfaceDto;
}

/** Fields SOL006 `cpd` gives both int-cpd and ext-cpd. */
export class CpdBaseDto {
  @RequiredText('id', 'Connection point id')
  'id': string;

  @OptionalText('description', 'Description')
  'description'?: string;

  @OpaqueList('layer-protocol', 'Layer protocols, e.g. ipv4, ethernet')
  'layer-protocol'?: unknown[];

  @OptionalText('role', 'Role of the connection point')
  'role'?: string;

  @OpaqueList('protocol', 'Protocol data (address data per layer protocol)')
  'protocol'?: unknown[];

  @OptionalBool('trunk-mode', 'Whether the connection point carries a trunk')
  'trunk-mode'?: boolean | string;

  @OpaqueList('security-group-rule-id', 'Security group rules applied')
  'security-group-rule-id'?: unknown[];

  @OptionalBool('port-security-enabled', 'OSM: port security')
  'port-security-enabled'?: boolean | string;

  @OptionalText('port-security-disable-strategy', 'OSM: how port security is disabled, e.g. allow-address-pairs')
  'port-security-disable-strategy'?: string;

  @OptionalNestedList(() => VirtualNetworkInterfaceRequirementDto, 'virtual-network-interface-requirement', 'NIC requirements')
  'virtual-network-interface-requirement'?: VirtualNetworkInterfaceRequirementDto[];

  @OpaqueValue('nicio-requirements', 'SOL006 NIC I/O requirements')
  'nicio-requirements'?: unknown;
}

export class IntCpdDto extends CpdBaseDto {
  @OptionalText('int-virtual-link-desc', 'Internal virtual link this connection point attaches to')
  'int-virtual-link-desc'?: string;

  @OptionalNumeric('bitrate-requirement', 'Bitrate requirement', { min: 0 })
  'bitrate-requirement'?: number | string;

  @OptionalNumeric('order', 'Order of the interface', { integer: true, min: 0 })
  'order'?: number | string;
}

export class VduDto {
  @RequiredText('id', 'VDU id')
  'id': string;

  @OptionalText('name', 'VDU name')
  'name'?: string;

  @OptionalText('description', 'Description')
  'description'?: string;

  @OptionalNestedList(() => IntCpdDto, 'int-cpd', 'Internal connection points (NICs)')
  'int-cpd'?: IntCpdDto[];

  @RequiredText('virtual-compute-desc', 'Id of the virtual-compute-desc')
  'virtual-compute-desc': string;

  @OptionalTextList('virtual-storage-desc', 'Ids of virtual-storage-descs')
  'virtual-storage-desc'?: string[];

  @OptionalText('sw-image-desc', 'Id of the sw-image-desc')
  'sw-image-desc'?: string;

  @OptionalTextList('alternative-sw-image-desc', 'OSM: ids of alternative images (per VIM type)')
  'alternative-sw-image-desc'?: string[];

  @OptionalText('cloud-init', 'OSM: cloud-init user data, inline')
  'cloud-init'?: string;

  @OptionalText('cloud-init-file', 'OSM: name of the cloud-init file in the package')
  'cloud-init-file'?: string;

  @OptionalText('pdu-type', 'OSM: physical deployment unit type')
  'pdu-type'?: string;

  @OpaqueList('boot-order', 'SOL006 boot order (key/value)')
  'boot-order'?: unknown[];

  @OpaqueList('nfvi-constraint', 'SOL006 NFVI constraints')
  'nfvi-constraint'?: unknown[];

  @OpaqueList('monitoring-parameter', 'Monitoring parameters')
  'monitoring-parameter'?: unknown[];

  @OpaqueObject('configurable-properties', 'Configurable properties')
  'configurable-properties'?: Record<string, unknown>;

  @OpaqueValue('boot-data', 'SOL006 boot data')
  'boot-data'?: unknown;

  @OpaqueValue('supplemental-boot-data', 'OSM supplemental boot data (boot-data-drive)')
  'supplemental-boot-data'?: unknown;

  @OpaqueList('alarm', 'OSM alarms')
  'alarm'?: unknown[];

  @OpaqueValue('mcio-constraints', 'SOL006 MCIO constraints')
  'mcio-constraints'?: unknown;

  @OpaqueValue('nfvi-maintenance-info', 'SOL006 NFVI maintenance info')
  'nfvi-maintenance-info'?: unknown;
}
