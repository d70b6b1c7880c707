import { type Classifier, L4_PROTOCOLS, type PortRange } from './model.js';
import { type Prefix, parsePrefix, prefixesOverlap } from './prefix.js';

export interface ClassifierProblem {
  /** Path below the classifier, e.g. ['sourcePorts', 'from']. */
  path: (string | number)[];
  message: string;
}

const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** Every malformed value of a classifier, as paths below it. */
export function classifierProblems(c: Classifier): ClassifierProblem[] {
  const out: ClassifierProblem[] = [];
  if (c.ethertype !== 'ipv4' && c.ethertype !== 'ipv6') return [{ path: ['ethertype'], message: "must be 'ipv4' or 'ipv6'" }];
  for (const key of ['sourcePrefix', 'destinationPrefix'] as const) {
    if (c[key] === undefined) continue;
    const parsed = parsePrefix(c[key], c.ethertype);
    if (typeof parsed === 'string') out.push({ path: [key], message: `${JSON.stringify(c[key])} ${parsed}` });
  }
  if (c.protocol !== undefined && !isInt(c.protocol, 0, 255)) out.push({ path: ['protocol'], message: 'must be an IP protocol number 0..255' });
  for (const key of ['sourcePorts', 'destinationPorts'] as const) out.push(...rangeProblems(c, key));
  return out;
}

function rangeProblems(c: Classifier, key: 'sourcePorts' | 'destinationPorts'): ClassifierProblem[] {
  const range = c[key];
  if (range === undefined) return [];
  if (c.protocol === undefined || L4_PROTOCOLS[c.protocol] === undefined) {
    return [{ path: [key], message: `L4 ports need protocol 6 (TCP), 17 (UDP) or 132 (SCTP), got ${c.protocol === undefined ? 'no protocol' : `protocol ${c.protocol}`}` }];
  }
  const out: ClassifierProblem[] = [];
  if (!isInt(range.from, 0, 65535)) out.push({ path: [key, 'from'], message: 'must be a port 0..65535' });
  if (!isInt(range.to, 0, 65535)) out.push({ path: [key, 'to'], message: 'must be a port 0..65535' });
  if (out.length === 0 && range.from > range.to) out.push({ path: [key], message: `from (${range.from}) is greater than to (${range.to})` });
  return out;
}

/** The classifier of the reverse direction: sources and destinations swapped. */
export function reverseClassifier(c: Classifier): Classifier {
  return dropUndefined({
    ethertype: c.ethertype,
    sourcePrefix: c.destinationPrefix,
    destinationPrefix: c.sourcePrefix,
    protocol: c.protocol,
    sourcePorts: c.destinationPorts,
    destinationPorts: c.sourcePorts,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const prefixOf = (c: Classifier, key: 'sourcePrefix' | 'destinationPrefix'): Prefix | undefined => {
  const text = c[key];
  if (text === undefined) return undefined;
  const parsed = parsePrefix(text, c.ethertype);
  return typeof parsed === 'string' ? undefined : parsed;
};

const rangesOverlap = (a: PortRange | undefined, b: PortRange | undefined): boolean =>
  a === undefined || b === undefined || (a.from <= b.to && b.from <= a.to);

/**
 * Whether some packet matches both classifiers: every field must be compatible, an absent field
 * matching anything. Ports only constrain packets of the protocol they come with, and both
 * classifiers with ports have one, so differing protocols already answer no. Expects well-formed
 * classifiers (classifierProblems empty).
 */
export function classifiersOverlap(a: Classifier, b: Classifier): boolean {
  if (a.ethertype !== b.ethertype) return false;
  if (a.protocol !== undefined && b.protocol !== undefined && a.protocol !== b.protocol) return false;
  for (const key of ['sourcePrefix', 'destinationPrefix'] as const) {
    const pa = prefixOf(a, key);
    const pb = prefixOf(b, key);
    if (pa && pb && !prefixesOverlap(pa, pb)) return false;
  }
  return rangesOverlap(a.sourcePorts, b.sourcePorts) && rangesOverlap(a.destinationPorts, b.destinationPorts);
}

/**
 * The fewest value/mask pairs whose matches together are exactly the range (OpenFlow matches L4
 * ports by bitmask, not by range). A mask of 0 is the whole 0..65535.
 */
export function portRangeMasks(range: PortRange): { value: number; mask: number }[] {
  const out: { value: number; mask: number }[] = [];
  let from = range.from;
  while (from <= range.to) {
    let size = from === 0 ? 65536 : from & -from;
    while (from + size - 1 > range.to) size /= 2;
    out.push({ value: from, mask: (0xffff & ~(size - 1)) >>> 0 });
    from += size;
  }
  return out;
}
