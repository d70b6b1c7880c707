import { execFile, execFileSync, spawn } from 'node:child_process';
import { isIPv6 } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Traffic endpoints for data-plane tests and the demo: network namespaces the caller made, each
 * behind an OvS internal port in a VLAN of the bridge, so their packets can reach another VLAN
 * only through whatever joins the two (a VNF's ports). Every packet goes between namespaces; no
 * address outside them is ever used.
 */
export interface Endpoint {
  ns: string;
  port: string;
  /** With its prefix length, e.g. 10.77.1.1/24 or fd00:77::1/64 (then `ipv6` must be on). */
  cidr: string;
  vlan: number;
  /** Off unless asked for: IPv6's own chatter (router and neighbour solicitations) would blur the counts. */
  ipv6?: boolean;
}

export const addressOf = (end: Endpoint) => end.cidr.split('/')[0]!;

const sh = (file: string, args: readonly string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function createEndpoint(bridge: string, end: Endpoint, gateway?: string): void {
  sh('ovs-vsctl', ['--timeout=10', 'add-port', bridge, end.port, `tag=${end.vlan}`, '--', 'set', 'Interface', end.port, 'type=internal']);
  sh('ip', ['netns', 'add', end.ns]);
  if (!end.ipv6) sh('ip', ['netns', 'exec', end.ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  sh('ip', ['link', 'set', end.port, 'netns', end.ns]);
  // An IPv6 address skips duplicate address detection (nodad): a tentative address cannot be sent from.
  sh('ip', ['-n', end.ns, 'addr', 'add', end.cidr, 'dev', end.port, ...(isIPv6(addressOf(end)) ? ['nodad'] : [])]);
  sh('ip', ['-n', end.ns, 'link', 'set', end.port, 'up']);
  sh('ip', ['-n', end.ns, 'link', 'set', 'lo', 'up']);
  if (gateway) sh('ip', ['-n', end.ns, 'route', 'add', 'default', 'via', gateway]);
}

/** Removes what createEndpoint made; parts that were never made are skipped. */
export function removeEndpoint(bridge: string, end: Endpoint): void {
  for (const [file, args] of [
    ['ip', ['netns', 'delete', end.ns]],
    ['ovs-vsctl', ['--timeout=10', '--if-exists', 'del-port', bridge, end.port]],
  ] as const) {
    try {
      sh(file, args);
    } catch {
      // not made
    }
  }
}

/** How many of `count` echo requests from `from` to `to` were answered. */
export async function ping(from: Endpoint, to: string, count: number, { intervalS = 0.2, waitS = 1 } = {}): Promise<number> {
  const args = ['netns', 'exec', from.ns, 'ping', '-n', '-c', String(count), '-i', String(intervalS), '-W', String(waitS), to];
  const out = await run('ip', args).then(
    (r) => r.stdout,
    (error: { stdout?: string }) => String(error.stdout ?? ''),
  );
  return Number(/(\d+) received/.exec(out)?.[1] ?? 0);
}

/** Milliseconds until the first echo reply from `to`, one try a second; undefined after `timeoutMs`. */
export async function firstReplyMs(from: Endpoint, to: string, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await ping(from, to, 1, { waitS: 1 })) === 1) return Date.now() - started;
  }
  return undefined;
}

/** How long datagrams may still be on their way (through a VM under TCG) when the sender is done. */
const DRAIN_MS = 500;

async function drainedThenDone(receiver: ReturnType<typeof spawn>): Promise<void> {
  await new Promise((r) => setTimeout(r, DRAIN_MS));
  receiver.stdin!.end();
}


const TCP_PROBE = `
const c = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]), timeout: Number(process.argv[3]) });
c.on('connect', () => { c.write('vim-lite'); c.end(); console.log('connected'); });
c.on('timeout', () => { console.log('timeout'); process.exit(0); });
c.on('error', (e) => { console.log(e.code); process.exit(0); });`;

const TCP_LISTENER = `
const server = require('node:net').createServer((c) => { c.on('data', () => {}); c.on('end', () => c.end()); });
server.listen(Number(process.argv[1]), () => console.log('ready'));
setTimeout(() => process.exit(0), Number(process.argv[2]));`;

function nodeIn(ns: string, source: string, args: (string | number)[]) {
  return spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', source, ...args.map(String)], { stdio: ['pipe', 'pipe', 'pipe'] });
}

function firstLine(child: ReturnType<typeof spawn>, matcher: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.split('\n').find((line) => matcher.test(line));
      if (match !== undefined) resolve(match);
    });
    child.on('exit', () => reject(new Error(`no line like ${matcher} from the namespace's process (output: ${out.trim()})`)));
  });
}

/** 6 when `to`'s address is IPv6 (the receiver binds a udp6 socket, the sender sends from one), else 4. */
const familyOf = (to: Endpoint) => (isIPv6(addressOf(to)) ? 6 : 4);

/**
 * Sends `count` UDP datagrams (over IPv6 when `to`'s address is IPv6) from `from` to `to`:`port` (5 ms apart) and answers how many a
 * receiver in `to`'s namespace got.
 */
export async function udpDelivered(from: Endpoint, to: Endpoint, port: number, count: number): Promise<number> {
  const { result } = await udpStream(from, to, port, count, 5);
  return (await result).received;
}

/** Whether a TCP connection from `from` to a listener in `to`'s namespace on `port` is made within `timeoutMs`. */
export async function tcpConnects(from: Endpoint, to: Endpoint, port: number, timeoutMs = 3_000): Promise<boolean> {
  const listener = nodeIn(to.ns, TCP_LISTENER, [port, timeoutMs + 10_000]);
  try {
    await firstLine(listener, /^ready$/);
    const { stdout } = await run('ip', ['netns', 'exec', from.ns, process.execPath, '-e', TCP_PROBE, addressOf(to), String(port), String(timeoutMs)]);
    return stdout.trim() === 'connected';
  } finally {
    listener.kill();
  }
}

export interface PortCounters {
  rxPackets: number;
  txPackets: number;
}

/**
 * An OvS port's counters, asked of ovs-vswitchd itself (OpenFlow port stats): the Interface
 * table's `statistics` lags by up to its 5 s refresh. rx is what OvS received from the port, tx
 * what OvS sent into it.
 */
export function portCounters(bridge: string, port: string): PortCounters {
  const stats = sh('ovs-ofctl', ['-O', 'OpenFlow14', 'dump-ports', bridge, port]);
  const field = (direction: string) => Number(new RegExp(`${direction} pkts=(\\d+)`).exec(stats)?.[1] ?? 0);
  return { rxPackets: field('rx'), txPackets: field('tx') };
}

/**
 * A "hop" for chain tests: a namespace whose two ports are joined by a Linux bridge inside it,
 * forwarding like a bump-in-the-wire VNF (RECIPES, "Namespaces as traffic endpoints on the netdev
 * bridge"). Each port is a veth pair whose outer end (`ingress`, `egress`) is an OvS port in the
 * root namespace and whose inner end (`in0`, `out0`) is enslaved to the bridge, not an internal port
 * moved into the namespace: on the netdev datapath OvS reads an internal port's counters from the
 * kernel in its own namespace, so once the port is moved `ovs-ofctl dump-ports` prints
 * `rx pkts=?` for it (checked on OvS 3.1), while a veth's outer end keeps real OpenFlow port
 * counters. No addresses, no IPv6 and no multicast snooping, so the hop sends nothing of its own.
 */
export interface HopNamespace {
  ns: string;
  /** The OvS ports facing the chain's ingress side and its egress side (at most 15 characters). */
  ingress: string;
  egress: string;
}

export function createHopNamespace(bridge: string, hop: HopNamespace): void {
  sh('ip', ['netns', 'add', hop.ns]);
  sh('ip', ['netns', 'exec', hop.ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  // Without multicast snooping: with it, br0 sends two IGMPv3 reports (joining 224.0.0.106) out of
  // both ports as it comes up, which OvS would count as forwarded by the hop.
  sh('ip', ['-n', hop.ns, 'link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0', 'mcast_snooping', '0']);
  for (const [port, inner] of [[hop.ingress, 'in0'], [hop.egress, 'out0']] as const) {
    sh('ip', ['link', 'add', port, 'type', 'veth', 'peer', 'name', inner, 'netns', hop.ns]);
    // The outer end lives in the root namespace: no IPv6 of its own (router solicitations, MLD)
    // may enter the hop and come back to OvS as if the hop had forwarded it.
    sh('sysctl', ['-q', '-w', `net.ipv6.conf.${port}.disable_ipv6=1`]);
    sh('ip', ['link', 'set', port, 'up']);
    sh('ovs-vsctl', ['--timeout=10', 'add-port', bridge, port]);
    sh('ip', ['-n', hop.ns, 'link', 'set', inner, 'master', 'br0']);
    sh('ip', ['-n', hop.ns, 'link', 'set', inner, 'up']);
  }
  sh('ip', ['-n', hop.ns, 'link', 'set', 'br0', 'up']);
}

/** Removes what createHopNamespace made (the namespace takes the veth pairs with it); parts never made are skipped. */
export function removeHopNamespace(bridge: string, hop: HopNamespace): void {
  for (const [file, args] of [
    ['ip', ['netns', 'delete', hop.ns]],
    ['ip', ['link', 'delete', hop.ingress]],
    ['ip', ['link', 'delete', hop.egress]],
    ['ovs-vsctl', ['--timeout=10', '--if-exists', 'del-port', bridge, hop.ingress]],
    ['ovs-vsctl', ['--timeout=10', '--if-exists', 'del-port', bridge, hop.egress]],
  ] as const) {
    try {
      sh(file, args);
    } catch {
      // not made, or gone with the namespace
    }
  }
}

// Node's own sockets inside the namespaces: nothing to install, and the counts are exact. A
// receiver counts until the caller closes its stdin (the sender is done and the path drained), not
// until a quiet spell: a sender stalled by a loaded machine would otherwise end the count early.
// Its argument is a last-resort deadline. Numbered
// datagrams, so the receiver can say which ones never came.
const UDP_SEQ_RECEIVER = `
const s = require('node:dgram').createSocket(process.argv[3] === '6' ? 'udp6' : 'udp4');
const seen = new Set(); let dup = 0;
const done = () => { console.log('received ' + JSON.stringify({ seqs: [...seen], duplicates: dup })); process.exit(0); };
s.on('message', (m) => { const n = Number(String(m).split(' ').pop()); if (seen.has(n)) dup++; seen.add(n); });
process.stdin.on('end', done).resume();
s.bind(Number(process.argv[1]), () => { s.setRecvBufferSize(4 * 1024 * 1024); console.log('ready'); setTimeout(done, Number(process.argv[2])); });`;

const UDP_SEQ_SENDER = `
const s = require('node:dgram').createSocket(require('node:net').isIPv6(process.argv[1]) ? 'udp6' : 'udp4');
const [host, port, count, gap, sport] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] ?? 0)];
let i = 0, errors = 0, t0 = Date.now();
const next = () => {
  if (i >= count) { console.log('sent ' + JSON.stringify({ sent: i, errors, ms: Date.now() - t0 })); s.close(); return; }
  i++; if (i === 1) console.log('sending');
  s.send('vim-lite seq ' + i, port, host, (e) => { if (e) errors++; setTimeout(next, gap); });
};
// A source port of the caller's choice makes the 5-tuple known in advance (0: the system picks one).
if (sport > 0) s.bind(sport, () => { t0 = Date.now(); next(); }); else next();`;

export interface UdpStreamResult {
  sent: number;
  received: number;
  /** Sequence numbers (1..sent) that never arrived. */
  missing: number[];
  duplicates: number;
  /** How long the sender took, start to last datagram. */
  sendMs: number;
}

/**
 * A steady stream of `count` numbered UDP datagrams from `from` to `to`:`port`, `intervalMs`
 * apart, from `sourcePort` when given (one known 5-tuple, e.g. to predict a select group's
 * bucket). `sending` resolves once the first datagram left (so the caller can change the path
 * mid-stream); `result` once the sender is done and the path has drained.
 */
export async function udpStream(
  from: Endpoint,
  to: Endpoint,
  port: number,
  count: number,
  intervalMs = 1,
  sourcePort?: number,
): Promise<{ sending: Promise<void>; result: Promise<UdpStreamResult> }> {
  const receiver = nodeIn(to.ns, UDP_SEQ_RECEIVER, [port, 10_000 + count * (intervalMs + 5), familyOf(to)]);
  await firstLine(receiver, /^ready$/).catch((error: unknown) => {
    receiver.kill();
    throw error;
  });
  const received = firstLine(receiver, /^received /);
  const sender = nodeIn(from.ns, UDP_SEQ_SENDER, [addressOf(to), port, count, intervalMs, sourcePort ?? 0]);
  const sending = firstLine(sender, /^sending$/).then(() => undefined);
  const sent = firstLine(sender, /^sent /);
  const result = (async () => {
    try {
      const s = JSON.parse((await sent).slice('sent '.length)) as { sent: number; errors: number; ms: number };
      await drainedThenDone(receiver);
      const r = JSON.parse((await received).slice('received '.length)) as { seqs: number[]; duplicates: number };
      const seen = new Set(r.seqs);
      const missing: number[] = [];
      for (let i = 1; i <= s.sent; i++) if (!seen.has(i)) missing.push(i);
      return { sent: s.sent - s.errors, received: seen.size, missing, duplicates: r.duplicates, sendMs: s.ms };
    } finally {
      sender.kill();
      receiver.kill();
    }
  })();
  return { sending, result };
}
