/**
 * Drift between the flows a bridge holds for a chain and the flows we rendered, as a pure
 * function. `ovs-ofctl dump-flows` does not print a flow as it was added (checked on OvS 3.1,
 * OpenFlow 1.4):
 * - it adds `duration=`, `table=0`, `n_packets=`, `n_bytes=` (and `idle_age=`, `hard_age=` without
 *   -O), a header line, and leaves out the default `priority=32768` and, with --no-stats, `table=0`;
 * - it prints a whole address without its mask (`nw_dst=10.78.0.2` for `nw_dst=10.78.0.2/32`,
 *   `/128` likewise) and a dotted IPv4 mask as a prefix length;
 * - it reorders the match (`priority=100,udp,in_port=1,tp_dst=5201` for
 *   `table=0,priority=100,udp,tp_dst=5201,in_port=1`) and prints shorthands (`udp6` for
 *   `eth_type=0x86dd,ip_proto=17`) and its own field names (`dl_src` for `eth_src`, `tp_dst` for
 *   `udp_dst`, `nw_dst` for `ip_dst`);
 * - it rewrites some actions: `2` -> `output:2`, `mod_dl_dst:M` -> `set_field:M->eth_dst`,
 *   `strip_vlan` -> `pop_vlan`, `normal` -> `NORMAL`, `in_port` -> `IN_PORT`.
 * The normaliser undoes all of the above. Actions OvS expands by context (`mod_vlan_vid:100`
 * becomes `push_vlan:0x8100,set_field:4196->vlan_vid` on an untagged match) are not guessed:
 * renderers write the OpenFlow 1.3+ form (`set_field`, `push_vlan`), or such a flow shows as both
 * missing and extra, which repairs it needlessly but never hides drift.
 */

const STAT_KEYS = new Set(['duration', 'n_packets', 'n_bytes', 'idle_age', 'hard_age']);

const FIELD_ALIASES: Readonly<Record<string, string>> = {
  eth_src: 'dl_src',
  eth_dst: 'dl_dst',
  eth_type: 'dl_type',
  ip_src: 'nw_src',
  ip_dst: 'nw_dst',
  ip_proto: 'nw_proto',
  tcp_src: 'tp_src',
  tcp_dst: 'tp_dst',
  udp_src: 'tp_src',
  udp_dst: 'tp_dst',
  sctp_src: 'tp_src',
  sctp_dst: 'tp_dst',
};

const SHORTHANDS: Readonly<Record<string, readonly [string, string | undefined]>> = {
  ip: ['0x800', undefined],
  ipv6: ['0x86dd', undefined],
  arp: ['0x806', undefined],
  icmp: ['0x800', '1'],
  tcp: ['0x800', '6'],
  udp: ['0x800', '17'],
  sctp: ['0x800', '132'],
  icmp6: ['0x86dd', '58'],
  tcp6: ['0x86dd', '6'],
  udp6: ['0x86dd', '17'],
  sctp6: ['0x86dd', '132'],
};

const ACTION_ALIASES: readonly [RegExp, string][] = [
  [/^mod_dl_src:(.+)$/i, 'set_field:$1->eth_src'],
  [/^mod_dl_dst:(.+)$/i, 'set_field:$1->eth_dst'],
  [/^mod_nw_src:(.+)$/i, 'set_field:$1->ip_src'],
  [/^mod_nw_dst:(.+)$/i, 'set_field:$1->ip_dst'],
  [/^strip_vlan$/i, 'pop_vlan'],
  [/^(\d+)$/, 'output:$1'],
  [/^(normal|flood|all|in_port|local)$/i, '$UPPER'],
  [/^drop$/i, 'drop'],
];

/** Splits on commas and blanks that are not inside parentheses or brackets. */
export function topLevel(text: string, separators: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (depth === 0 && separators.test(ch)) {
      if (current !== '') out.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') out.push(current);
  return out;
}

const IPV4_FIELDS = new Set(['nw_src', 'nw_dst', 'arp_spa', 'arp_tpa', 'tun_src', 'tun_dst']);
const IPV6_FIELDS = new Set(['ipv6_src', 'ipv6_dst', 'nd_target', 'tun_ipv6_src', 'tun_ipv6_dst']);

/** A prefix as OvS prints it: no `/32` (`/128`) on a whole address, a dotted mask as a length. */
function prefixValue(key: string, value: string): string {
  const slash = value.indexOf('/');
  if (slash < 0) return value;
  const [address, mask] = [value.slice(0, slash), value.slice(slash + 1)];
  if (IPV4_FIELDS.has(key)) {
    let length = /^\d+$/.test(mask) ? Number(mask) : undefined;
    const dotted = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(mask);
    if (dotted) {
      const bits = dotted.slice(1).map((o) => Number(o).toString(2).padStart(8, '0')).join('');
      if (/^1*0*$/.test(bits)) length = bits.indexOf('0') < 0 ? 32 : bits.indexOf('0');
    }
    if (length === 32) return address;
    return length === undefined ? value : `${address}/${length}`;
  }
  if (IPV6_FIELDS.has(key) && mask === '128') return address;
  return value;
}

function lowerNumber(value: string): string {
  if (/^0x[0-9a-f]+$/i.test(value)) return '0x' + BigInt(value).toString(16);
  return value;
}

/** One action as ovs-ofctl prints it (`2` -> `output:2`, `mod_dl_dst:M` -> `set_field:M->eth_dst`, …). */
export function normaliseAction(action: string): string {
  for (const [pattern, replacement] of ACTION_ALIASES) {
    const m = pattern.exec(action);
    if (!m) continue;
    if (replacement === '$UPPER') return action.toUpperCase();
    return replacement.replace('$1', m[1]!);
  }
  return action;
}

/**
 * One flow in a canonical text: `cookie=0x… table=N priority=P <match fields sorted> actions=…`,
 * whether it comes from a dump (with or without statistics) or from a rendered flow line (with or
 * without a `flow add`/`add` command word). undefined for lines that are no flow (dump headers,
 * blank lines).
 */
export function normaliseFlow(line: string): string | undefined {
  let text = line.trim();
  if (text === '' || /^(OFPST_FLOW|NXST_FLOW|OFPST_|NXST_)/.test(text)) return undefined;
  text = text.replace(/^flow\s+/i, '').replace(/^add\s+/i, '');
  const at = /(^|[\s,])actions=/.exec(text);
  if (!at) return undefined;
  const matchPart = text.slice(0, at.index);
  const actionPart = text.slice(at.index + at[0].length).trim();

  let cookie = '0x0';
  let table = '0';
  let priority = '32768';
  let dlType: string | undefined;
  let nwProto: string | undefined;
  const fields: string[] = [];
  for (const token of topLevel(matchPart, /[\s,]/)) {
    const eq = token.indexOf('=');
    const rawKey = (eq < 0 ? token : token.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : token.slice(eq + 1);
    if (STAT_KEYS.has(rawKey)) continue;
    if (value === undefined && rawKey in SHORTHANDS) {
      [dlType, nwProto] = [SHORTHANDS[rawKey]![0], SHORTHANDS[rawKey]![1] ?? nwProto];
      continue;
    }
    const key = FIELD_ALIASES[rawKey] ?? rawKey;
    if (key === 'cookie' && value !== undefined) cookie = lowerNumber(value);
    else if (key === 'table' && value !== undefined) table = value;
    else if (key === 'priority' && value !== undefined) priority = String(Number(value));
    else if (key === 'dl_type' && value !== undefined) dlType = lowerNumber(value);
    else if (key === 'nw_proto' && value !== undefined) nwProto = String(Number(value));
    else fields.push(value === undefined ? key : `${key}=${lowerNumber(prefixValue(key, value))}`);
  }
  if (dlType !== undefined) {
    const shorthand = Object.entries(SHORTHANDS).find(([, [type, proto]]) => type === dlType && proto === nwProto)?.[0];
    if (shorthand) fields.push(shorthand);
    else {
      fields.push(`dl_type=${dlType}`);
      if (nwProto !== undefined) fields.push(`nw_proto=${nwProto}`);
    }
  } else if (nwProto !== undefined) fields.push(`nw_proto=${nwProto}`);
  fields.sort();
  const actions = topLevel(actionPart, /,/).map(normaliseAction).join(',');
  return [`cookie=${cookie}`, `table=${table}`, `priority=${priority}`, ...fields, `actions=${actions}`].join(' ');
}

export interface FlowDrift {
  /** Expected flows the bridge does not hold (as rendered). */
  missing: string[];
  /** Flows the bridge holds that were not expected (as dumped). */
  extra: string[];
}

/**
 * What differs between the flows dumped for a chain's cookie range (`dumped`, the lines
 * ovs-ofctl prints) and the flow lines expected there (`expected`). Counts matter: a flow
 * expected once and held twice (say in two generations with different cookies) is extra once.
 */
export function flowDrift(dumped: readonly string[], expected: readonly string[]): FlowDrift {
  return linesDrift(dumped, expected, normaliseFlow);
}

/**
 * Dumped and expected lines compared as multisets of their normal forms: the expected ones the dump
 * lacks (or that do not normalise), and the dumped ones left over. Dumped lines that do not
 * normalise are not ours to judge.
 */
export function linesDrift(dumped: readonly string[], expected: readonly string[], normalise: (line: string) => string | undefined): FlowDrift {
  const held = new Map<string, string[]>();
  for (const line of dumped) {
    const key = normalise(line);
    if (key !== undefined) held.set(key, [...(held.get(key) ?? []), line.trim()]);
  }
  const missing: string[] = [];
  for (const line of expected) {
    const key = normalise(line);
    const lines = key === undefined ? undefined : held.get(key);
    if (lines && lines.length > 0) lines.shift();
    else missing.push(line);
  }
  return { missing, extra: [...held.values()].flat() };
}
