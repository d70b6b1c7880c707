import { execFile, execFileSync, spawn } from 'node:child_process';
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
  /** With its prefix length, e.g. 10.77.1.1/24. */
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
  sh('ip', ['-n', end.ns, 'addr', 'add', end.cidr, 'dev', end.port]);
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

// Node's own sockets inside the namespaces: nothing to install, and the counts are exact.
const UDP_RECEIVER = `
const s = require('node:dgram').createSocket('udp4');
let n = 0, timer;
const done = () => { console.log('received ' + n); process.exit(0); };
s.on('message', () => { n++; clearTimeout(timer); timer = setTimeout(done, 1500); });
s.bind(Number(process.argv[1]), () => { console.log('ready'); timer = setTimeout(done, Number(process.argv[2])); });`;

const UDP_SENDER = `
const s = require('node:dgram').createSocket('udp4');
const [host, port, count] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
let i = 0;
const next = () => i++ < count ? s.send('vim-lite datagram ' + i, port, host, () => setTimeout(next, 5)) : s.close();
next();`;

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
  return spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', source, ...args.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
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

/**
 * Sends `count` UDP datagrams from `from` to `to`:`port` (5 ms apart) and answers how many a
 * receiver in `to`'s namespace got.
 */
export async function udpDelivered(from: Endpoint, to: Endpoint, port: number, count: number): Promise<number> {
  const receiver = nodeIn(to.ns, UDP_RECEIVER, [port, 5_000 + count * 20]);
  try {
    await firstLine(receiver, /^ready$/);
    const received = firstLine(receiver, /^received \d+$/);
    await run('ip', ['netns', 'exec', from.ns, process.execPath, '-e', UDP_SENDER, addressOf(to), String(port), String(count)]);
    return Number((await received).split(' ')[1]);
  } finally {
    receiver.kill();
  }
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
