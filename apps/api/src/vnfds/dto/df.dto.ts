import { AFFINITY_SCOPES, AFFINITY_TYPES } from '#vim/descriptors';
import { OpaqueList, OpaqueObject, OptionalEnum, OptionalNestedList, OptionalNumeric, OptionalText, RequiredEnum, RequiredText } from './decorators.js';
import { ScalingAspectDto } from './scaling.dto.js';

/** `df[].affinity-or-anti-affinity-group[]`. Every scope SOL006 names is well-formed; the semantic check refuses all but nfvi-node. */
export class AffinityGroupDto {
  @RequiredText('id', 'Group id, referenced from vdu-profiles')
  'id': string;

  @RequiredEnum('type', AFFINITY_TYPES, 'affinity: the members share a host; anti-affinity: each on its own host')
  'type': string;

  @OptionalEnum('scope', AFFINITY_SCOPES, 'Only nfvi-node (one host, also when absent) is supported: this VIM is one site')
  'scope'?: string;
}

/** `vdu-profile[].local-affinity-or-anti-affinity-rule[]`: a rule among the VMs of this vdu. */
export class LocalAffinityRuleDto {
  @RequiredEnum('affinity-type', AFFINITY_TYPES, 'affinity: the VMs of the vdu share a host; anti-affinity: each on its own host')
  'affinity-type': string;

  @RequiredEnum('affinity-scope', AFFINITY_SCOPES, 'Only nfvi-node (one host) is supported: this VIM is one site')
  'affinity-scope': string;
}

/** `df[].vdu-profile[].affinity-or-anti-affinity-group[]`: a reference to a group of the df. */
export class AffinityGroupRefDto {
  @RequiredText('id', 'Id of an affinity-or-anti-affinity-group of the df')
  'id': string;
}

export class VduProfileDto {
  @RequiredText('id', 'Id of the vdu')
  'id': string;

  @OptionalNumeric('min-number-of-instances', 'Minimum instances (default 1)', { integer: true, min: 0, max: 65535 })
  'min-number-of-instances'?: number | string;

  @OptionalNumeric('max-number-of-instances', 'Maximum instances (default: the minimum)', { integer: true, min: 0, max: 65535 })
  'max-number-of-instances'?: number | string;

  @OptionalNestedList(() => LocalAffinityRuleDto, 'local-affinity-or-anti-affinity-rule', 'Affinity rules among the VMs of this vdu')
  'local-affinity-or-anti-affinity-rule'?: LocalAffinityRuleDto[];

  @OptionalNestedList(() => AffinityGroupRefDto, 'affinity-or-anti-affinity-group', 'Affinity and anti-affinity groups this vdu belongs to')
  'affinity-or-anti-affinity-group'?: AffinityGroupRefDto[];

  @OptionalText('vdu-configuration-id', 'OSM: day-1/2 configuration of the vdu')
  'vdu-configuration-id'?: string;
}

export class VduLevelDto {
  @RequiredText('vdu-id', 'Id of the vdu')
  'vdu-id': string;

  @OptionalNumeric('number-of-instances', 'Instances at this level (default 1)', { integer: true, min: 0, max: 65535 })
  'number-of-instances'?: number | string;
}

export class ScaleInfoDto {
  @RequiredText('scaling-aspect-id', 'Id of the scaling-aspect')
  'scaling-aspect-id': string;

  @OptionalNumeric('scale-level', 'Scale level of the aspect at this instantiation level', { integer: true, min: 0 })
  'scale-level'?: number | string;
}

export class InstantiationLevelDto {
  @RequiredText('id', 'Instantiation level id')
  'id': string;

  @OptionalText('description', 'Description')
  'description'?: string;

  @OptionalNestedList(() => VduLevelDto, 'vdu-level', 'Instances per vdu')
  'vdu-level'?: VduLevelDto[];

  @OptionalNestedList(() => ScaleInfoDto, 'scale-info', 'Scale level per aspect')
  'scale-info'?: ScaleInfoDto[];

  @OpaqueList('virtual-link-bit-rate-level', 'Bit rate per virtual link')
  'virtual-link-bit-rate-level'?: unknown[];
}

/** Deployment flavour (`df[]`). */
export class DfDto {
  @RequiredText('id', 'Deployment flavour id')
  'id': string;

  @OptionalText('description', 'Description')
  'description'?: string;

  @OptionalNestedList(() => VduProfileDto, 'vdu-profile', 'Instance bounds per vdu')
  'vdu-profile'?: VduProfileDto[];

  @OptionalNestedList(() => InstantiationLevelDto, 'instantiation-level', 'Instantiation levels')
  'instantiation-level'?: InstantiationLevelDto[];

  @OptionalText('default-instantiation-level-id', 'Level used when instantiate names none')
  'default-instantiation-level-id'?: string;

  @OptionalNestedList(() => ScalingAspectDto, 'scaling-aspect', 'Scaling aspects')
  'scaling-aspect'?: ScalingAspectDto[];

  @OpaqueObject('lcm-operations-configuration', 'LCM operation settings, OSM day-1/2 configuration')
  'lcm-operations-configuration'?: Record<string, unknown>;

  @OpaqueList('virtual-link-profile', 'Virtual link profiles')
  'virtual-link-profile'?: unknown[];

  @OpaqueList('supported-vnf-interfaces', 'Supported VNF interfaces')
  'supported-vnf-interfaces'?: unknown[];

  @OpaqueList('supported-operation', 'Supported LCM operations')
  'supported-operation'?: unknown[];

  @OpaqueList('monitoring-parameter', 'VNF-level monitoring parameters')
  'monitoring-parameter'?: unknown[];

  @OptionalNestedList(() => AffinityGroupDto, 'affinity-or-anti-affinity-group', 'Affinity and anti-affinity groups of VMs (scope nfvi-node)')
  'affinity-or-anti-affinity-group'?: AffinityGroupDto[];

  @OpaqueList('placement-group', 'Placement groups')
  'placement-group'?: unknown[];

  @OpaqueList('kdu-resource-profile', 'OSM: KDU resource profiles')
  'kdu-resource-profile'?: unknown[];

  @OpaqueList('healing-aspect', 'OSM: auto-healing aspects')
  'healing-aspect'?: unknown[];
}
