import { describe, expect, test } from '@jest/globals';
import { createScheduler } from '../engine.js';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { explanation, survivors } from '../testing/harness.js';
import { vhostUserReadyFilter } from './vhost-user-ready.filter.js';

const REASON =
  'ovs-vswitchd (pid 4242) has DPDK loaded without its mempool ring driver (librte_mempool_ring), so it cannot create packet-buffer pools for vhost-user ports: install librte-mempool-ring23, then restart ovs-vswitchd';

describe('VhostUserReadyFilter', () => {
  const hosts = [
    makeHost('ready', [{}, {}], { vhostUser: { ready: true, reason: null } }),
    makeHost('broken', [{}, {}], { vhostUser: { ready: false, reason: REASON } }),
    makeHost('remote', [{}], { vhostUser: { ready: null, reason: 'not checked: ovs-vswitchd is not on this machine' } }),
    makeHost('never-discovered', [{}]),
  ];

  test('rejects a host not ready for vhost-user when the VM has vhost-user ports; not checked counts as ready', () => {
    expect(survivors(vhostUserReadyFilter, makeRequest({ virtioPorts: 2 }), hosts)).toEqual([[0, 1], [], [0], [0]]);
  });

  test('is not relevant to a VM without vhost-user ports (SR-IOV only)', () => {
    expect(vhostUserReadyFilter.relevant({ virtioPorts: 0 } as never)).toBe(false);
    expect(vhostUserReadyFilter.relevant({ virtioPorts: 1 } as never)).toBe(true);
  });

  test("quotes discovery's reason", () => {
    expect(explanation(vhostUserReadyFilter, makeRequest({ virtioPorts: 2 }), hosts[1]!)).toBe(`host cannot carry vhost-user ports (needs 2): ${REASON}`);
    const noReason = makeHost('x', [{}], { vhostUser: { ready: false, reason: null } });
    expect(explanation(vhostUserReadyFilter, makeRequest({ virtioPorts: 1 }), noReason)).toBe('host cannot carry vhost-user ports (needs 1): discovery found it not ready');
  });

  test('in the default chain: the refusal names the filter and the reason, and an SR-IOV-only VM still goes to the host', () => {
    const scheduler = createScheduler({ strategy: 'pack' });
    const broken = [makeHost('broken', [{ vfs: { 'sriov-a': 2 } }], { vhostUser: { ready: false, reason: REASON } })];
    const refused = scheduler.place(makeRequest({ virtioPorts: 1 }), broken);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.explanation.reasonCounts).toEqual({ VhostUserReadyFilter: 1 });
    expect(refused.explanation.hosts).toEqual([{ hostId: 'id-broken', name: 'broken', filter: 'VhostUserReadyFilter', reason: `host cannot carry vhost-user ports (needs 1): ${REASON}` }]);
    const placed = scheduler.place(makeRequest({ requestId: 'req-2', sriovPorts: [{ physnet: 'sriov-a' }] }), broken);
    expect(placed).toMatchObject({ ok: true, placement: { hostId: 'id-broken' } });
  });
});
