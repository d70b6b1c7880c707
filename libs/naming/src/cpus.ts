import { asserting, fail, ok, quote, type RuleResult } from './result.js';
import { checkInteger } from './hardware.js';

/** Linux's largest NR_CPUS (CONFIG_MAXSMP) is 8192. */
export const MAX_CPU_ID = 8191;
/** Linux's largest MAX_NUMNODES (NODES_SHIFT 10). */
export const MAX_NUMA_NODE = 1023;

/**
 * A list of ids (host CPUs, NUMA nodes): a non-empty array of distinct integers in 0..max.
 * Returned sorted. A repeated id is refused rather than merged: it means two claims or two
 * pins were computed for one CPU, which is a bug upstream worth surfacing.
 */
function checkIdList(value: unknown, max: number, what: string): RuleResult<number[]> {
  if (!Array.isArray(value)) return fail(`must be an array of ${what} ids, got ${quote(value)}`);
  if (value.length === 0) return fail(`must list at least one ${what}`);
  const seen = new Set<number>();
  for (const item of value as unknown[]) {
    const id = checkInteger(item, 0, max);
    if (!id.ok) return fail(`${what} id ${id.message}`);
    if (seen.has(id.value)) return fail(`${what} ${id.value} is listed twice`);
    seen.add(id.value);
  }
  return ok([...seen].sort((a, b) => a - b));
}

export function checkCpuList(value: unknown): RuleResult<number[]> {
  return checkIdList(value, MAX_CPU_ID, 'CPU');
}
export const assertCpuList = asserting('CPU list', checkCpuList);

export function checkNumaNodeList(value: unknown): RuleResult<number[]> {
  return checkIdList(value, MAX_NUMA_NODE, 'NUMA node');
}
export const assertNumaNodeList = asserting('NUMA node list', checkNumaNodeList);

/**
 * The cpuset/nodeset syntax of libvirt and Linux (`0-2,5`), from ids already checked. Only
 * digits, `-` and `,` can come out.
 */
export function formatIdSet(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Parses `0-2,5` strictly: no spaces, no `^` exclusions, ascending ranges, no repeats. Used for
 * values read back from hosts (sysfs, libvirt capabilities, operator config).
 */
export function parseCpuSet(value: unknown, max = MAX_CPU_ID): RuleResult<number[]> {
  if (typeof value !== 'string' || !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) {
    return fail(`${quote(value)} is not a list like 0-2,5`);
  }
  const ids: number[] = [];
  for (const part of value.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (to < from) return fail(`range ${part} is descending`);
    if (to > max) return fail(`${to} is above ${max}`);
    for (let id = from; id <= to; id++) ids.push(id);
  }
  return checkIdList(ids, max, 'CPU');
}

/** One OvS rx-queue pin: queue `queue` of an interface served by the PMD thread on `core`. */
export interface RxqPin {
  queue: number;
  core: number;
}

/**
 * The value of Interface other_config:pmd-rxq-affinity, `0:3,1:5`: each rx queue (0..127, see
 * checkQueueCount) once, on a host CPU.
 */
export function checkRxqAffinity(value: unknown): RuleResult<string> {
  if (!Array.isArray(value) || value.length === 0) return fail('must be a non-empty array of {queue, core}');
  const queues = new Set<number>();
  const parts: string[] = [];
  for (const pin of value as unknown[]) {
    const { queue, core } = (pin ?? {}) as Partial<Record<keyof RxqPin, unknown>>;
    const q = checkInteger(queue, 0, 127);
    const c = checkInteger(core, 0, MAX_CPU_ID);
    if (!q.ok) return fail(`queue ${q.message}`);
    if (!c.ok) return fail(`core ${c.message}`);
    if (queues.has(q.value)) return fail(`queue ${q.value} is pinned twice`);
    queues.add(q.value);
    parts.push(`${q.value}:${c.value}`);
  }
  return ok(parts.join(','));
}
export const assertRxqAffinity = asserting('pmd-rxq-affinity', checkRxqAffinity);
