import { VirtualComputeDescDto } from './compute.dto.js';
import { OpaqueList, OpaqueObject, OpaqueValue, OptionalNestedList, OptionalText, OptionalTextList, RequiredText } from './decorators.js';
import { DfDto } from './df.dto.js';
import { ExtCpdDto, IntVirtualLinkDescDto } from './ext-cpd.dto.js';
import { SwImageDescDto, VirtualStorageDescDto } from './image-storage.dto.js';
import { VduDto } from './vdu.dto.js';

/** A VNF descriptor: SOL006 `vnfd` with OSM's extensions. */
export class VnfdDto {
  @RequiredText('id', 'VNFD id')
  'id': string;

  @OptionalText('provider', 'VNF provider')
  'provider'?: string;

  @RequiredText('product-name', 'VNF product name')
  'product-name': string;

  @OptionalText('software-version', 'VNF software version')
  'software-version'?: string;

  @RequiredText('version', 'Descriptor version; with id, identifies the descriptor in the catalogue')
  'version': string;

  @OptionalText('product-info-name', 'Human-readable product name')
  'product-info-name'?: string;

  @OptionalText('product-info-description', 'Human-readable product description')
  'product-info-description'?: string;

  @OptionalTextList('vnfm-info', 'VNFMs compatible with the VNF')
  'vnfm-info'?: string[];

  @OptionalTextList('localization-language', 'Supported languages')
  'localization-language'?: string[];

  @OptionalText('default-localization-language', 'Default language')
  'default-localization-language'?: string;

  @OptionalText('description', 'OSM: description')
  'description'?: string;

  @OptionalText('mgmt-cp', 'OSM: id of the management ext-cpd')
  'mgmt-cp'?: string;

  @OptionalNestedList(() => VduDto, 'vdu', 'Virtualisation deployment units (VMs)')
  'vdu'?: VduDto[];

  @OptionalNestedList(() => VirtualComputeDescDto, 'virtual-compute-desc', 'CPU and memory')
  'virtual-compute-desc'?: VirtualComputeDescDto[];

  @OptionalNestedList(() => VirtualStorageDescDto, 'virtual-storage-desc', 'Disks')
  'virtual-storage-desc'?: VirtualStorageDescDto[];

  @OptionalNestedList(() => SwImageDescDto, 'sw-image-desc', 'Software images')
  'sw-image-desc'?: SwImageDescDto[];

  @OptionalNestedList(() => IntVirtualLinkDescDto, 'int-virtual-link-desc', 'Internal virtual links')
  'int-virtual-link-desc'?: IntVirtualLinkDescDto[];

  @OptionalNestedList(() => ExtCpdDto, 'ext-cpd', 'External connection points')
  'ext-cpd'?: ExtCpdDto[];

  @OptionalNestedList(() => DfDto, 'df', 'Deployment flavours')
  'df'?: DfDto[];

  @OpaqueObject('configurable-properties', 'Configurable properties')
  'configurable-properties'?: Record<string, unknown>;

  @OpaqueValue('modifiable-attributes', 'Modifiable attributes')
  'modifiable-attributes'?: unknown;

  @OpaqueList('lifecycle-management-script', 'Lifecycle management scripts')
  'lifecycle-management-script'?: unknown[];

  @OpaqueList('element-group', 'Element groups')
  'element-group'?: unknown[];

  @OpaqueList('indicator', 'VNF indicators')
  'indicator'?: unknown[];

  @OpaqueList('auto-scale', 'Auto-scaling rules')
  'auto-scale'?: unknown[];

  @OpaqueList('security-group-rule', 'Security group rules')
  'security-group-rule'?: unknown[];

  @OpaqueList('vip-cpd', 'Virtual IP connection points')
  'vip-cpd'?: unknown[];

  @OpaqueList('virtual-cp', 'Virtual connection points')
  'virtual-cp'?: unknown[];

  @OpaqueList('kdu', 'OSM: Kubernetes deployment units (not deployed by this orchestrator)')
  'kdu'?: unknown[];

  @OpaqueValue('k8s-cluster', 'OSM: Kubernetes cluster requirements')
  'k8s-cluster'?: unknown;

  @OpaqueValue('vnf-configuration', 'OSM (legacy): VNF day-1/2 configuration')
  'vnf-configuration'?: unknown;
}
