import { OpaqueList, OpaqueValue, OptionalNested, OptionalText, RequiredText } from './decorators.js';
import { CpdBaseDto } from './vdu.dto.js';

/** `ext-cpd.int-cpd`: the VDU connection point an external one exposes. */
export class ExtCpdIntCpdDto {
  @RequiredText('vdu-id', 'Id of the vdu')
  'vdu-id': string;

  @RequiredText('cpd', 'Id of the int-cpd within that vdu')
  'cpd': string;
}

export class ExtCpdDto extends CpdBaseDto {
  @OptionalNested(() => ExtCpdIntCpdDto, 'int-cpd', 'The VDU connection point exposed')
  'int-cpd'?: ExtCpdIntCpdDto;

  @OptionalText('int-virtual-link-desc', 'Internal virtual link exposed (instead of int-cpd)')
  'int-virtual-link-desc'?: string;

  @OptionalText('k8s-cluster-net', 'OSM: KDU cluster network')
  'k8s-cluster-net'?: string;
}

export class IntVirtualLinkDescDto {
  @RequiredText('id', 'Identifier, referenced by int-cpd and ext-cpd')
  'id': string;

  @OptionalText('description', 'Description')
  'description'?: string;

  @OpaqueList('flavour', 'Virtual link flavours (QoS)')
  'flavour'?: unknown[];

  @OpaqueValue('connectivity-type', 'Layer protocols and flow pattern')
  'connectivity-type'?: unknown;

  @OpaqueValue('test-access', 'Test access facilities')
  'test-access'?: unknown;

  @OpaqueList('monitoring-parameter', 'Monitoring parameters')
  'monitoring-parameter'?: unknown[];

  @OpaqueValue('nfvi-maintenance-info', 'SOL006 NFVI maintenance info')
  'nfvi-maintenance-info'?: unknown;
}
