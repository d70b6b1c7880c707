import {
  MEMPAGE_SIZES,
  NUMA_MEM_POLICIES,
  PINNING_POLICIES,
  THREAD_POLICIES,
} from '#vim/descriptors';
import {
  OpaqueList,
  OpaqueValue,
  OptionalBool,
  OptionalEnum,
  OptionalNested,
  OptionalNestedList,
  OptionalNumeric,
  OptionalText,
  RequiredNested,
  RequiredNumeric,
  RequiredText,
} from './decorators.js';

/** `virtual-cpu.pinning`: SOL006 policy plus OSM's thread-policy. */
export class VirtualCpuPinningDto {
  @OptionalEnum('policy', PINNING_POLICIES, 'static pins each vCPU to a dedicated host CPU; OSM writes STATIC/DYNAMIC')
  'policy'?: string;

  @OpaqueList('rule', 'SOL006 pinning rules (key/value)')
  'rule'?: unknown[];

  @OptionalEnum('thread-policy', THREAD_POLICIES, 'OSM: how pinned vCPUs use SMT sibling threads')
  'thread-policy'?: string;
}

export class VirtualCpuDto {
  @RequiredNumeric('num-virtual-cpu', 'Number of virtual CPUs', { integer: true, min: 1, max: 1024 })
  'num-virtual-cpu': number | string;

  @OptionalText('cpu-architecture', 'CPU architecture, e.g. x86_64')
  'cpu-architecture'?: string;

  @OptionalNumeric('clock', 'Minimum virtual CPU clock rate, in MHz', { min: 0 })
  'clock'?: number | string;

  @OptionalNumeric('virtual-cpu-clock', 'Alias of clock (SOL001 name), in MHz', { min: 0 })
  'virtual-cpu-clock'?: number | string;

  @OptionalText('oversubscription-policy', 'CPU oversubscription policy')
  'oversubscription-policy'?: string;

  @OpaqueList('vdu-cpu-requirements', 'SOL006 additional CPU requirements (key/value)')
  'vdu-cpu-requirements'?: unknown[];

  @OptionalNested(() => VirtualCpuPinningDto, 'pinning', 'CPU pinning requirements')
  'pinning'?: VirtualCpuPinningDto;

  @OpaqueValue('cpu-quota', 'OSM CPU quota (limit, reserve, shares)')
  'cpu-quota'?: unknown;
}

/** OSM `numa-node-policy.node[]`. */
export class NumaNodeDto {
  @RequiredNumeric('id', 'Guest NUMA node id', { integer: true, min: 0 })
  'id': number | string;

  @OpaqueList('vcpu', 'vCPUs placed on this node ({id})')
  'vcpu'?: unknown[];

  @OptionalNumeric('memory-mb', 'Memory on this node, in MB', { integer: true, min: 1 })
  'memory-mb'?: number | string;

  @OptionalNumeric('num-cores', 'Dedicated cores on this node', { integer: true, min: 1 })
  'num-cores'?: number | string;

  @OpaqueValue('paired-threads', 'OSM paired threads (num-paired-threads, paired-thread-ids)')
  'paired-threads'?: unknown;

  @OptionalNumeric('num-threads', 'Dedicated threads on this node', { integer: true, min: 1 })
  'num-threads'?: number | string;
}

/** OSM `virtual-memory.numa-node-policy`. */
export class NumaNodePolicyDto {
  @OptionalNumeric('node-cnt', 'Number of guest NUMA nodes', { integer: true, min: 1 })
  'node-cnt'?: number | string;

  @OptionalEnum('mem-policy', NUMA_MEM_POLICIES, 'Whether memory must (STRICT) or should (PREFERRED) come from the node')
  'mem-policy'?: string;

  @OptionalNestedList(() => NumaNodeDto, 'node', 'Per-node requirements')
  'node'?: NumaNodeDto[];
}

export class VirtualMemoryDto {
  @RequiredNumeric('size', 'Virtual memory size, in GB', { min: 0, exclusiveMin: true, max: 4096 })
  'size': number | string;

  @OptionalText('over-subscription-policy', 'Memory oversubscription policy')
  'over-subscription-policy'?: string;

  @OpaqueList('vdu-mem-requirements', 'SOL006 additional memory requirements (key/value)')
  'vdu-mem-requirements'?: unknown[];

  @OptionalBool('numa-enabled', 'Whether the guest gets a NUMA topology')
  'numa-enabled'?: boolean | string;

  @OptionalEnum('mempage-size', MEMPAGE_SIZES, 'OSM: guest memory page size (LARGE/SIZE_2MB/SIZE_1GB are hugepages)')
  'mempage-size'?: string;

  @OptionalNested(() => NumaNodePolicyDto, 'numa-node-policy', 'OSM NUMA placement policy')
  'numa-node-policy'?: NumaNodePolicyDto;

  @OpaqueValue('mem-quota', 'OSM memory quota (limit, reserve, shares)')
  'mem-quota'?: unknown;
}

export class VirtualComputeDescDto {
  @RequiredText('id', 'Identifier, referenced by vdu.virtual-compute-desc')
  'id': string;

  @RequiredNested(() => VirtualCpuDto, 'virtual-cpu', 'Virtual CPU requirements')
  'virtual-cpu': VirtualCpuDto;

  @RequiredNested(() => VirtualMemoryDto, 'virtual-memory', 'Virtual memory requirements')
  'virtual-memory': VirtualMemoryDto;

  @OpaqueList('logical-node', 'SOL006 logical node requirements')
  'logical-node'?: unknown[];

  @OpaqueList('request-additional-capability', 'SOL006 additional capabilities')
  'request-additional-capability'?: unknown[];

  @OpaqueValue('compute-requirements', 'SOL006 compute requirements')
  'compute-requirements'?: unknown;

  @OpaqueValue('virtual-disk', 'SOL006 virtual disks')
  'virtual-disk'?: unknown;
}
