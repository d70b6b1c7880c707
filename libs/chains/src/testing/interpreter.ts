import { parseIpv4, parseIpv6 } from '../prefix.js';

/**
 * A small interpreter of the lines renderChain emits (the fields and actions it uses, nothing
 * else), so tests can ask where a packet goes without a switch: the highest-priority matching flow
 * wins, and two matching at that priority is reported, since OvS would pick one arbitrarily.
 */

export interface Packet {
  inPort: number;
  vlan?: number;
  /** The tunnel key it arrived with (tun_id); absent, i.e. 0, for frames not from a tunnel. */
  tunId?: number;
  ethertype: 'ipv4' | 'ipv6';
  src: bigint;
  dst: bigint;
  proto: number;
  sport: number;
  dport: number;
}

interface Flow {
  line: string;
  cookie: bigint;
  priority: number;
  test: (p: Packet) => boolean;
  actions: string[];
}

export interface Rules {
  flows: Flow[];
  /** Each bucket's actions. */
  groups: Map<number, string[][]>;
}

export type Trace =
  | { kind: 'none' }
  | { kind: 'ambiguous'; lines: string[] }
  | { kind: 'drop'; line: string }
  /** `packets[i]` leaves by `ports[i]` (a group's buckets may set different keys); `packet` as it entered the group. */
  | { kind: 'output'; ports: number[]; packet: Packet; packets: Packet[]; line: string; group?: number };

export function parseRules(flows: readonly string[], groups: readonly string[]): Rules {
  const parsedGroups = new Map<number, string[][]>();
  for (const g of groups) {
    const id = Number(/^group_id=(\d+),/.exec(g)![1]);
    parsedGroups.set(id, g.split(',bucket=').slice(1).map((bucket) => bucket.replace(/^bucket_id:\d+,actions=/, '').split(',')));
  }
  return { flows: flows.map(parseFlow), groups: parsedGroups };
}

function parseFlow(line: string): Flow {
  const [match, actions] = line.split(',actions=') as [string, string];
  const tests: ((p: Packet) => boolean)[] = [];
  let cookie = 0n;
  let priority = 32768;
  for (const field of match.split(',')) {
    const [name, value] = field.split('=') as [string, string | undefined];
    if (name === 'cookie') cookie = BigInt(value!);
    else if (name === 'priority') priority = Number(value);
    else tests.push(fieldTest(name, value));
  }
  return { line, cookie, priority, test: (p) => tests.every((t) => t(p)), actions: actions.split(',') };
}

const L4 = { tcp: 6, udp: 17, sctp: 132 } as const;

function fieldTest(name: string, value: string | undefined): (p: Packet) => boolean {
  if (name === 'ip') return (p) => p.ethertype === 'ipv4';
  if (name === 'ipv6') return (p) => p.ethertype === 'ipv6';
  if (name === 'in_port') return (p) => p.inPort === Number(value);
  if (name === 'tun_id') return (p) => (p.tunId ?? 0) === Number(value);
  if (name === 'dl_vlan') return (p) => p.vlan === Number(value);
  if (name === 'vlan_tci' && value === '0x0000/0x1fff') return (p) => p.vlan === undefined;
  if (name === 'nw_proto') return (p) => p.proto === Number(value);
  const address = /^(nw|ipv6)_(src|dst)$/.exec(name);
  if (address) return prefixTest(address[1] === 'nw' ? 'ipv4' : 'ipv6', address[2] as 'src' | 'dst', value!);
  const port = /^(tcp|udp|sctp)_(src|dst)$/.exec(name);
  if (port) {
    const [v, m] = value!.split('/').map(Number) as [number, number | undefined];
    const mask = m ?? 0xffff;
    const proto = L4[port[1] as keyof typeof L4];
    return (p) => p.proto === proto && ((port[2] === 'src' ? p.sport : p.dport) & mask) === v;
  }
  throw new Error(`the interpreter does not know match field ${name}`);
}

function prefixTest(family: 'ipv4' | 'ipv6', which: 'src' | 'dst', value: string): (p: Packet) => boolean {
  const [address, length] = value.split('/') as [string, string | undefined];
  const width = family === 'ipv4' ? 32 : 128;
  const bits = (family === 'ipv4' ? parseIpv4(address) : parseIpv6(address))!;
  const len = BigInt(length ?? width);
  const mask = len === 0n ? 0n : ((1n << len) - 1n) << BigInt(width - Number(len));
  return (p) => p.ethertype === family && ((which === 'src' ? p.src : p.dst) & mask) === bits;
}

/** Where the switch sends one packet. */
export function interpret(rules: Rules, packet: Packet): Trace {
  const matching = rules.flows.filter((f) => f.test(packet));
  if (matching.length === 0) return { kind: 'none' };
  const top = Math.max(...matching.map((f) => f.priority));
  const winners = matching.filter((f) => f.priority === top);
  if (winners.length > 1) return { kind: 'ambiguous', lines: winners.map((f) => f.line) };
  return apply(rules, winners[0]!, packet);
}

type Step = { kind: 'drop' } | { kind: 'output'; port: number; packet: Packet } | { kind: 'group'; id: number; packet: Packet };

function apply(rules: Rules, flow: Flow, packet: Packet): Trace {
  const step = run(flow.actions, packet, flow.line);
  if (step.kind === 'drop') return { kind: 'drop', line: flow.line };
  if (step.kind === 'output') return { kind: 'output', ports: [step.port], packet: step.packet, packets: [step.packet], line: flow.line };
  const outs = (rules.groups.get(step.id) ?? []).map((bucket) => run(bucket, step.packet, flow.line)).filter((o) => o.kind === 'output');
  return { kind: 'output', ports: outs.map((o) => o.port), packet: step.packet, packets: outs.map((o) => o.packet), line: flow.line, group: step.id };
}

function run(actions: readonly string[], packet: Packet, line: string): Step {
  let out: Packet = { ...packet };
  for (const action of actions) {
    if (action === 'drop') return { kind: 'drop' };
    if (action === 'strip_vlan') out = withoutVlan(out);
    else if (action.startsWith('set_field:') && action.endsWith('->vlan_vid')) out = { ...out, vlan: Number(action.slice(10, -10)) - 4096 };
    else if (action.startsWith('set_field:') && action.endsWith('->tun_id')) out = { ...out, tunId: Number(action.slice(10, -8)) };
    else if (action.startsWith('output:')) {
      // OpenFlow never sends a frame back out of its in_port with output: (only with in_port).
      const port = Number(action.slice(7));
      return port === packet.inPort ? { kind: 'drop' } : { kind: 'output', port, packet: out };
    } else if (action === 'in_port') return { kind: 'output', port: packet.inPort, packet: out };
    else if (action.startsWith('group:')) return { kind: 'group', id: Number(action.slice(6)), packet: out };
    else if (action !== 'push_vlan:0x8100') throw new Error(`the interpreter does not know action ${action}`);
  }
  throw new Error(`flow without a terminal action: ${line}`);
}

function withoutVlan(p: Packet): Packet {
  const { vlan: _vlan, ...rest } = p;
  return rest;
}

export function flowCookies(rules: Rules): bigint[] {
  return rules.flows.map((f) => f.cookie);
}
