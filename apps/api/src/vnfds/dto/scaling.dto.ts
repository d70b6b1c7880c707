import {
  OpaqueList,
  OptionalNested,
  OptionalNestedList,
  OptionalNumeric,
  OptionalText,
  OptionalTextList,
  RequiredText,
} from './decorators.js';

export class VduDeltaDto {
  @RequiredText('id', 'Id of the vdu')
  'id': string;

  @OptionalNumeric('number-of-instances', 'Instances added per step (default 1)', { integer: true, min: 1 })
  'number-of-instances'?: number | string;
}

export class ScalingDeltaDto {
  @RequiredText('id', 'Delta id')
  'id': string;

  @OptionalNestedList(() => VduDeltaDto, 'vdu-delta', 'Instances per vdu')
  'vdu-delta'?: VduDeltaDto[];

  @OpaqueList('virtual-link-bit-rate-delta', 'Bit rate per virtual link')
  'virtual-link-bit-rate-delta'?: unknown[];

  @OpaqueList('kdu-resource-delta', 'OSM: KDU resources per step')
  'kdu-resource-delta'?: unknown[];
}

export class AspectDeltaDetailsDto {
  @OptionalNestedList(() => ScalingDeltaDto, 'deltas', 'Scaling deltas')
  'deltas'?: ScalingDeltaDto[];

  @OptionalTextList('step-deltas', 'Delta id per scaling step (non-uniform aspects)', { nonEmpty: true })
  'step-deltas'?: string[];
}

export class ScalingAspectDto {
  @RequiredText('id', 'Aspect id')
  'id': string;

  @OptionalText('name', 'Aspect name')
  'name'?: string;

  @OptionalText('description', 'Description')
  'description'?: string;

  @OptionalNumeric('max-scale-level', 'Highest scale level (default 1)', { integer: true, min: 1 })
  'max-scale-level'?: number | string;

  @OptionalNested(() => AspectDeltaDetailsDto, 'aspect-delta-details', 'What one step adds')
  'aspect-delta-details'?: AspectDeltaDetailsDto;

  @OpaqueList('scaling-policy', 'OSM: auto-scaling policies')
  'scaling-policy'?: unknown[];

  @OpaqueList('scaling-config-action', 'OSM: primitives run on scaling')
  'scaling-config-action'?: unknown[];
}
