import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import {
  MEMPAGE_SIZES,
  NUMA_MEM_POLICIES,
  PINNING_POLICIES,
  THREAD_POLICIES,
} from '../../../../../libs/descriptors/src/index.js';
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
  textApi,
} from './decorators.js';

/** `virtual-cpu.pinning`: SOL006 policy plus OSM's thread-policy. */
export class VirtualCpuPinningDto {
  @ApiPropertyOptional(enumApi('policy', PINNING_POLICIES, 'static pins each vCPU to a dedicated host CPU; OSM writes STATIC/DYNAMIC'))
  @IsOptional()
  @IsOneOf(PINNING_POLICIES)
  'policy'?: string;

  @ApiPropertyOptional(opaqueListApi('rule', 'SOL006 pinning rules (key/value)'))
  @IsOptional()
  @IsArray()
  'rule'?: unknown[];

  @ApiPropertyOptional(enumApi('thread-policy', THREAD_POLICIES, 'OSM: how pinned vCPUs use SMT sibling threads'))
  @IsOptional()
  @IsOneOf(THREAD_POLICIES)
  'thread-policy'?: string;
}

export class VirtualCpuDto {
  @ApiProperty(numericApi('num-virtual-cpu', 'Number of virtual CPUs', { integer: true, min: 1, max: 1024 }))
  @IsNumeric({ integer: true, min: 1, max: 1024 })
  'num-virtual-cpu': number | string;

  @ApiPropertyOptional(textApi('cpu-architecture', 'CPU architecture, e.g. x86_64'))
  @IsOptional()
  @IsText()
  'cpu-architecture'?: string;

  @ApiPropertyOptional(numericApi('clock', 'Minimum virtual CPU clock rate, in MHz', { min: 0 }))
  @IsOptional()
  @IsNumeric({ min: 0 })
  'clock'?: number | string;

  @ApiPropertyOptional(numericApi('virtual-cpu-clock', 'Alias of clock (SOL001 name), in MHz', { min: 0 }))
  @IsOptional()
  @IsNumeric({ min: 0 })
  'virtual-cpu-clock'?: number | string;

  @ApiPropertyOptional(textApi('oversubscription-policy', 'CPU oversubscription policy'))
  @IsOptional()
  @IsText()
  'oversubscription-policy'?: string;

  @ApiPropertyOptional(opaqueListApi('vdu-cpu-requirements', 'SOL006 additional CPU requirements (key/value)'))
  @IsOptional()
  @IsArray()
  'vdu-cpu-requirements'?: unknown[];

  @ApiPropertyOptional({ name: 'pinning', type: () => VirtualCpuPinningDto, description: 'CPU pinning requirements' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VirtualCpuPinningDto)
  'pinning'?: VirtualCpuPinningDto;

  @ApiPropertyOptional(opaqueApi('cpu-quota', 'OSM CPU quota (limit, reserve, shares)'))
  @Allow()
  'cpu-quota'?: unknown;
}

/** OSM `numa-node-policy.node[]`. */
export class NumaNodeDto {
  @ApiProperty(numericApi('id', 'Guest NUMA node id', { integer: true, min: 0 }))
  @IsNumeric({ integer: true, min: 0 })
  'id': number | string;

  @ApiPropertyOptional(opaqueListApi('vcpu', 'vCPUs placed on this node ({id})'))
  @IsOptional()
  @IsArray()
  'vcpu'?: unknown[];

  @ApiPropertyOptional(numericApi('memory-mb', 'Memory on this node, in MB', { integer: true, min: 1 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 1 })
  'memory-mb'?: number | string;

  @ApiPropertyOptional(numericApi('num-cores', 'Dedicated cores on this node', { integer: true, min: 1 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 1 })
  'num-cores'?: number | string;

  @ApiPropertyOptional(opaqueApi('paired-threads', 'OSM paired threads (num-paired-threads, paired-thread-ids)'))
  @Allow()
  'paired-threads'?: unknown;

  @ApiPropertyOptional(numericApi('num-threads', 'Dedicated threads on this node', { integer: true, min: 1 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 1 })
  'num-threads'?: number | string;
}

/** OSM `virtual-memory.numa-node-policy`. */
export class NumaNodePolicyDto {
  @ApiPropertyOptional(numericApi('node-cnt', 'Number of guest NUMA nodes', { integer: true, min: 1 }))
  @IsOptional()
  @IsNumeric({ integer: true, min: 1 })
  'node-cnt'?: number | string;

  @ApiPropertyOptional(enumApi('mem-policy', NUMA_MEM_POLICIES, 'Whether memory must (STRICT) or should (PREFERRED) come from the node'))
  @IsOptional()
  @IsOneOf(NUMA_MEM_POLICIES)
  'mem-policy'?: string;

  @ApiPropertyOptional({ name: 'node', type: () => NumaNodeDto, isArray: true, description: 'Per-node requirements' })
  @IsOptional()
  @IsArray()
  @IsObjectEntries()
  @ValidateNested({ each: true })
  @Type(() => NumaNodeDto)
  'node'?: NumaNodeDto[];
}

export class VirtualMemoryDto {
  @ApiProperty(numericApi('size', 'Virtual memory size, in GB', { min: 0, exclusiveMin: true, max: 4096 }))
  @IsNumeric({ min: 0, exclusiveMin: true, max: 4096 })
  'size': number | string;

  @ApiPropertyOptional(textApi('over-subscription-policy', 'Memory oversubscription policy'))
  @IsOptional()
  @IsText()
  'over-subscription-policy'?: string;

  @ApiPropertyOptional(opaqueListApi('vdu-mem-requirements', 'SOL006 additional memory requirements (key/value)'))
  @IsOptional()
  @IsArray()
  'vdu-mem-requirements'?: unknown[];

  @ApiPropertyOptional(boolApi('numa-enabled', 'Whether the guest gets a NUMA topology'))
  @IsOptional()
  @IsBooleanLike()
  'numa-enabled'?: boolean | string;

  @ApiPropertyOptional(enumApi('mempage-size', MEMPAGE_SIZES, 'OSM: guest memory page size (LARGE/SIZE_2MB/SIZE_1GB are hugepages)'))
  @IsOptional()
  @IsOneOf(MEMPAGE_SIZES)
  'mempage-size'?: string;

  @ApiPropertyOptional({ name: 'numa-node-policy', type: () => NumaNodePolicyDto, description: 'OSM NUMA placement policy' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NumaNodePolicyDto)
  'numa-node-policy'?: NumaNodePolicyDto;

  @ApiPropertyOptional(opaqueApi('mem-quota', 'OSM memory quota (limit, reserve, shares)'))
  @Allow()
  'mem-quota'?: unknown;
}

export class VirtualComputeDescDto {
  @ApiProperty(textApi('id', 'Identifier, referenced by vdu.virtual-compute-desc'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiProperty({ name: 'virtual-cpu', type: () => VirtualCpuDto, description: 'Virtual CPU requirements' })
  @IsObject()
  @ValidateNested()
  @Type(() => VirtualCpuDto)
  'virtual-cpu': VirtualCpuDto;

  @ApiProperty({ name: 'virtual-memory', type: () => VirtualMemoryDto, description: 'Virtual memory requirements' })
  @IsObject()
  @ValidateNested()
  @Type(() => VirtualMemoryDto)
  'virtual-memory': VirtualMemoryDto;

  @ApiPropertyOptional(opaqueListApi('logical-node', 'SOL006 logical node requirements'))
  @IsOptional()
  @IsArray()
  'logical-node'?: unknown[];

  @ApiPropertyOptional(opaqueListApi('request-additional-capability', 'SOL006 additional capabilities'))
  @IsOptional()
  @IsArray()
  'request-additional-capability'?: unknown[];

  @ApiPropertyOptional(opaqueApi('compute-requirements', 'SOL006 compute requirements'))
  @Allow()
  'compute-requirements'?: unknown;

  @ApiPropertyOptional(opaqueApi('virtual-disk', 'SOL006 virtual disks'))
  @Allow()
  'virtual-disk'?: unknown;
}
