import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { addFlows, cookieMatch, deleteFlowsByCookie, type OfctlInvocation } from '#vim/ovs';

jest.setTimeout(120_000);

const COOKIE = 0xe2e0_0001n;
// Short names: Linux interface names stop at 15 characters.
const TAG = String(process.pid % 100_000);
const BRIDGE = `bre2e${TAG}`;
const ENDS = [
  { ns: `vim-e2e-a-${TAG}`, port: `pa${TAG}`, address: '192.0.2.1' },
  { ns: `vim-e2e-b-${TAG}`, port: `pb${TAG}`, address: '192.0.2.2' },
] as const;

const sh = (file: string, args: readonly string[], input?: string) => execFileSync(file, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
const ofctl = (invocation: OfctlInvocation) => sh(invocation.file, invocation.args, invocation.stdin);
const ofport = (port: string) => Number(sh('ovs-vsctl', ['--timeout=10', 'get', 'Interface', port, 'ofport']).trim());

/** Pings B from inside A; answers how many of `count` replies came back (0 when none did). */
function ping(count: number): number {
  let out: string;
  try {
    out = sh('ip', ['netns', 'exec', ENDS[0].ns, 'ping', '-c', String(count), '-i', '0.2', '-W', '1', ENDS[1].address]);
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? '');
  }
  return Number(/(\d+) received/.exec(out)?.[1] ?? 0);
}

/** Packets each of the bridge's flows with our cookie has matched. */
function flowPackets(): number[] {
  const out = sh('ovs-ofctl', ['-O', 'OpenFlow14', 'dump-flows', BRIDGE, cookieMatch(COOKIE)]);
  return [...out.matchAll(/n_packets=(\d+)/g)].map((m) => Number(m[1]));
}

/**
 * The data path deploy/local/services-up.sh sets up (ovs-vswitchd with DPDK, a netdev bridge),
 * proven with packets: two namespaces of the test's own, each behind an OvS internal port on a
 * bridge of the test's own, joined only by the flows the product's ovs-ofctl bundle installs.
 */
describe('packets across an OvS-DPDK netdev bridge, steered by OpenFlow bundles', () => {
  beforeAll(() => {
    sh('ovs-vsctl', ['--timeout=10', 'add-br', BRIDGE, '--', 'set', 'bridge', BRIDGE, 'datapath_type=netdev']);
    // No NORMAL fallback: whatever crosses the bridge crosses it by our flows.
    sh('ovs-ofctl', ['del-flows', BRIDGE]);
    for (const end of ENDS) {
      sh('ovs-vsctl', ['--timeout=10', 'add-port', BRIDGE, end.port, '--', 'set', 'Interface', end.port, 'type=internal']);
      sh('ip', ['netns', 'add', end.ns]);
      sh('ip', ['link', 'set', end.port, 'netns', end.ns]);
      sh('ip', ['-n', end.ns, 'addr', 'add', `${end.address}/24`, 'dev', end.port]);
      sh('ip', ['-n', end.ns, 'link', 'set', end.port, 'up']);
    }
  });

  afterAll(() => {
    for (const end of ENDS) {
      try {
        sh('ip', ['netns', 'delete', end.ns]);
      } catch {
        // not made
      }
    }
    try {
      sh('ovs-vsctl', ['--timeout=10', '--if-exists', 'del-br', BRIDGE]);
    } catch {
      // not made
    }
  });

  test('no flow, no packet', () => {
    expect(ping(3)).toBe(0);
  });

  test('with the two flows of one bundle, 20 of 20 pings cross and both flows count them; deleted by cookie, none do', () => {
    const [a, b] = ENDS.map((end) => ofport(end.port));
    const cookie = `cookie=0x${COOKIE.toString(16)}`;
    ofctl(addFlows(BRIDGE, [
      `add ${cookie},table=0,priority=100,in_port=${a},actions=output:${b}`,
      `add ${cookie},table=0,priority=100,in_port=${b},actions=output:${a}`,
    ]));

    expect(ping(20)).toBe(20);
    // Echo requests one way and replies the other (ARP adds a few).
    for (const packets of flowPackets()) expect(packets).toBeGreaterThanOrEqual(20);

    ofctl(deleteFlowsByCookie(BRIDGE, COOKIE));
    expect(flowPackets()).toEqual([]);
    expect(ping(3)).toBe(0);
  });
});
