import { checkBridgeName, checkInteger, checkOpenFlowPort, checkVlanId, fail, ok, Problems, quote, type RuleResult } from '#vim/naming';

/**
 * `ovs-appctl ofproto/trace BRIDGE FLOW` as data, and its answer (OvS 3.1 text format) as a
 * structure: which rules a packet would hit, in order, and where it would leave.
 *
 * The flow is built from a typed packet description, every value checked, and formatted by us
 * (addresses from their parsed bits, numbers in decimal), so the flow argument only ever holds
 * characters of TRACE_FLOW_SAFE. Checked on OvS 3.1 (netdev bridge): the L4 ports must be named
 * after the protocol (`udp_src`, `tcp_dst`, `sctp_src`); `tp_src`/`tp_dst` in a trace flow is
 * refused with "prerequisites not met for setting tp_src" even after `udp`.
 */

export interface TracePacket {
  /** OpenFlow port the packet enters by. */
  inPort: number;
  /** 802.1Q VLAN id the packet carries (`dl_vlan`); untagged when left out. */
  vlan?: number;
  ethertype: 'ipv4' | 'ipv6';
  /** Addresses of the ethertype's family, without a prefix length. */
  source: string;
  destination: string;
  /** IP protocol number (IPv6 next header): 6 TCP, 17 UDP, 132 SCTP carry ports. */
  protocol: number;
  sourcePort?: number;
  destinationPort?: number;
}

/** An ovs-appctl call: the program and its argv (for execFile, never a shell). */
export interface AppctlInvocation {
  readonly file: 'ovs-appctl';
  readonly args: readonly string[];
}

/** Every character a trace flow we build may hold: field names, `=`, `,`, digits, hex, `.` and `:`. */
export const TRACE_FLOW_SAFE = /^[a-z0-9_=,.:]+$/;

const L4: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const GROUP = /^[0-9a-fA-F]{1,4}$/;

/** A dotted-quad IPv4 address (no leading zeros), as ovs prints it. */
export function checkIpv4Address(value: unknown): RuleResult<string> {
  if (typeof value !== 'string') return fail(`must be an IPv4 address string, got ${quote(value)}`);
  const m = IPV4.exec(value);
  if (!m) return fail(`${quote(value)} is not an IPv4 address (a.b.c.d)`);
  const octets = m.slice(1).map(Number);
  if (octets.some((o, i) => o > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return fail(`${quote(value)} is not an IPv4 address (octets 0..255, no leading zeros)`);
  return ok(octets.join('.'));
}

/** An IPv6 address in RFC 4291 text form (no embedded IPv4 tail, no zone), answered as 8 full groups. */
export function checkIpv6Address(value: unknown): RuleResult<string> {
  if (typeof value !== 'string') return fail(`must be an IPv6 address string, got ${quote(value)}`);
  const bad = fail<string>(`${quote(value)} is not an IPv6 address (RFC 4291 text form, without an IPv4 tail or a zone)`);
  const halves = value.split('::');
  if (halves.length > 2) return bad;
  const part = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  if ([...head, ...tail].some((g) => !GROUP.test(g))) return bad;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return bad;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return ok(groups.map((g) => parseInt(g, 16).toString(16)).join(':'));
}

/** The flow text of `packet` for ofproto/trace, or InvalidSpecError listing every problem. */
export function traceFlow(packet: TracePacket): string {
  const p = new Problems();
  if (typeof packet !== 'object' || packet === null) {
    p.add([], 'must be a packet description');
    p.throwIfAny('trace packet');
  }
  const inPort = p.take(['inPort'], checkOpenFlowPort(packet.inPort));
  const vlan = packet.vlan === undefined ? undefined : p.take(['vlan'], checkVlanId(packet.vlan));
  const v4 = packet.ethertype === 'ipv4';
  if (!v4 && packet.ethertype !== 'ipv6') p.add(['ethertype'], "must be 'ipv4' or 'ipv6'");
  const address = v4 ? checkIpv4Address : checkIpv6Address;
  const source = p.take(['source'], address(packet.source));
  const destination = p.take(['destination'], address(packet.destination));
  const protocol = p.take(['protocol'], checkInteger(packet.protocol, 0, 255));
  const l4 = protocol === undefined ? undefined : L4[protocol];
  const ports: string[] = [];
  for (const [key, side] of [['sourcePort', 'src'], ['destinationPort', 'dst']] as const) {
    const value = packet[key];
    if (value === undefined) continue;
    if (protocol !== undefined && l4 === undefined) {
      p.add([key], `protocol ${protocol} has no ports (only TCP 6, UDP 17 and SCTP 132 do)`);
      continue;
    }
    const n = p.take([key], checkInteger(value, 0, 65535));
    if (n !== undefined && l4 !== undefined) ports.push(`${l4}_${side}=${n}`);
  }
  p.throwIfAny('trace packet');
  const fields = [`in_port=${inPort}`];
  if (vlan !== undefined) fields.push(`dl_vlan=${vlan}`);
  if (l4 !== undefined) fields.push(v4 ? l4 : `${l4}6`);
  else fields.push(v4 ? 'ip' : 'ipv6', `nw_proto=${protocol}`);
  fields.push(`${v4 ? 'nw' : 'ipv6'}_src=${source}`, `${v4 ? 'nw' : 'ipv6'}_dst=${destination}`, ...ports);
  const flow = fields.join(',');
  // Everything above was formatted by us from checked values; this holds by construction.
  if (!TRACE_FLOW_SAFE.test(flow)) throw new Error(`trace flow ${quote(flow)} holds a character outside the safe set`);
  return flow;
}

/** `ovs-appctl ofproto/trace BRIDGE FLOW`, the bridge checked and the flow built by traceFlow. */
export function traceInvocation(bridge: string, packet: TracePacket): AppctlInvocation {
  const p = new Problems();
  const name = p.take(['bridge'], checkBridgeName(bridge));
  p.throwIfAny('trace');
  return { file: 'ovs-appctl', args: ['ofproto/trace', name!, traceFlow(packet)] };
}

/** One rule the traced packet hit, as ofproto/trace printed it. */
export interface TraceRule {
  /** The bridge whose table holds it (`bridge("…")` above it; more than one across patch ports). */
  bridge: string;
  table: number;
  /** 0 when the rule has none (ofproto/trace prints no cookie then). */
  cookie: bigint;
  priority: number;
  /** The rule's match as printed (`udp,in_port=1,tp_dst=5201`), empty for a match-all rule. */
  match: string;
  /** Its actions as printed, one per line (`group:5`, `bucket 1`, `output:4`, `resubmit(,1)`). */
  actions: string[];
  /** The lines ofproto/trace adds about them (`-> using bucket 1`, `>> skipping output to input port`). */
  notes: string[];
}

export interface FlowTrace {
  /** The packet as ofproto/trace read it (`Flow:` line). */
  flow: string;
  /** The rules hit, in the order the packet met them (resubmits included). */
  rules: TraceRule[];
  /** Lookups that matched nothing, in order (`No match.`: the packet is dropped there). */
  misses: { bridge: string; table: number }[];
  /** `unchanged`, or the packet as it leaves. */
  finalFlow: string;
  megaflow: string;
  /** `Datapath actions:` as printed (datapath port numbers, not OpenFlow ones). */
  datapathActions: string;
  /** OpenFlow ports the packet leaves by, in order, from the rules' output actions; `drop` when the datapath drops it. */
  output: number[] | 'drop';
  raw: string;
}

/** The trace text is not what ovs-appctl ofproto/trace prints. */
export class TraceParseError extends Error {
  override readonly name = 'TraceParseError';
}

const RULE = /^(\s*)(\d+)\. (.*)$/;
const HEADER = /^(.*?)(?:^|, )priority (\d+)(?:, cookie (0x[0-9a-f]+))?$/;

/** Parses ofproto/trace's text output (OvS 3.1). Throws TraceParseError when the shape is not there. */
export function parseTrace(raw: string): FlowTrace {
  if (typeof raw !== 'string') throw new TraceParseError('trace output must be a string');
  const lines = raw.split('\n');
  const field = (label: string): string | undefined => {
    const line = lines.find((l) => l.startsWith(`${label}: `));
    return line === undefined ? undefined : line.slice(label.length + 2).trim();
  };
  const flow = field('Flow');
  const datapathActions = field('Datapath actions');
  if (flow === undefined || datapathActions === undefined) {
    throw new TraceParseError(`not an ofproto/trace answer (no ${flow === undefined ? "'Flow:'" : "'Datapath actions:'"} line): ${quote(raw, 200)}`);
  }
  const rules: TraceRule[] = [];
  const misses: FlowTrace['misses'] = [];
  let bridge = '';
  let current: { rule?: TraceRule; indent: number } | undefined;
  for (const line of lines) {
    const b = /^\s*bridge\("(.*)"\)$/.exec(line);
    if (b) {
      bridge = b[1]!;
      current = undefined;
      continue;
    }
    if (/^(Final flow|Megaflow|Datapath actions|Flow): /.test(line)) {
      current = undefined;
      continue;
    }
    const r = RULE.exec(line);
    if (r) {
      const table = Number(r[2]);
      const text = r[3]!.trim();
      if (text === 'No match.') {
        misses.push({ bridge, table });
        current = { indent: r[1]!.length };
        continue;
      }
      const h = HEADER.exec(text);
      if (!h) throw new TraceParseError(`rule line ${quote(line, 200)} has no priority`);
      const rule: TraceRule = { bridge, table, cookie: h[3] === undefined ? 0n : BigInt(h[3]), priority: Number(h[2]), match: h[1]!, actions: [], notes: [] };
      rules.push(rule);
      current = { rule, indent: r[1]!.length };
      continue;
    }
    const text = line.trim();
    if (current === undefined || text === '' || /^-+$/.test(text)) continue;
    if (current.rule === undefined) continue; // under `No match.`: its `drop`
    if (/^(->|>>)/.test(text)) current.rule.notes.push(text);
    else current.rule.actions.push(text);
  }
  return {
    flow,
    rules,
    misses,
    finalFlow: field('Final flow') ?? '',
    megaflow: field('Megaflow') ?? '',
    datapathActions,
    output: datapathActions === 'drop' ? 'drop' : outputPorts(flow, rules),
    raw,
  };
}

/** `output:N` (and `IN_PORT`, the packet's in_port) lines of the rules, skipping what ovs says it skipped. */
function outputPorts(flow: string, rules: readonly TraceRule[]): number[] {
  const inPort = /(?:^|,)in_port=(\d+)(?:,|$)/.exec(flow);
  const ports: number[] = [];
  for (const rule of rules) {
    // Notes follow their action; an output ovs skipped says so right after it, but we keep notes
    // apart, so a skip note cancels one output of the same rule (ovs-appctl prints at most one per output).
    let skipped = rule.notes.filter((n) => /skipping output to input port/.test(n)).length;
    for (const action of rule.actions) {
      const m = /^output:(\d+)$/.exec(action);
      const port = m ? Number(m[1]) : action === 'IN_PORT' && inPort ? Number(inPort[1]) : undefined;
      if (port === undefined) continue;
      if (m && inPort && Number(inPort[1]) === port && skipped > 0) {
        skipped--;
        continue;
      }
      ports.push(port);
    }
  }
  return ports;
}
