import { describe, expect, test } from '@jest/globals';
import { checkChain } from './check.js';
import type { ChainFacts, ServiceChain } from './model.js';
import { chainInstanceIds, factsFromRecords, type InstanceRecord, RECORDS_ONLY, type SwitchPortLookup } from './records.js';

const FW = 'f0000000-0000-4000-8000-000000000001';
const VF = 'f0000000-0000-4000-8000-000000000002';

const chain: ServiceChain = {
  name: 'c',
  ingress: { host: 'node-1', bridge: 'br-int', vlan: 3101, port: 'ns-a' },
  egress: { host: 'node-1', bridge: 'br-int', vlan: 3102, port: 'ns-b' },
  classifier: { ethertype: 'ipv4', protocol: 17 },
  hops: [{ instances: [{ vnfInstanceId: FW, ingressCpd: 'left', egressCpd: 'right' }] }],
  symmetric: false,
};

const fw = (powerState: string | null, instantiationState = 'INSTANTIATED'): InstanceRecord => ({
  instantiationState,
  vms: [{ host: 'node-1', powerState, ports: [{ cpdId: 'left-int', extCpdId: 'left', kind: 'vhostuser', name: 'vl', bridge: 'br-int', vlan: 3105 }, { cpdId: 'right-int', extCpdId: 'right', kind: 'vhostuser', name: 'vr', bridge: 'br-int' }] }],
});

const SWITCH: Record<string, { ofport?: number; tag?: number }> = { vl: { ofport: 7 }, vr: { ofport: 8 }, 'ns-a': { ofport: 3, tag: 3101 }, 'ns-b': { ofport: 4 } };
const lookup: SwitchPortLookup = (host, name) => (host === 'node-1' ? SWITCH[name] : undefined);

describe('factsFromRecords', () => {
  test("ports by cpd with the switch's numbers; live when every VM runs and every port is up", () => {
    const facts = factsFromRecords(chain, new Map([[FW, fw('RUNNING')]]), lookup);
    expect(facts.instances[FW]).toEqual({
      state: 'INSTANTIATED',
      live: true,
      ports: { left: { host: 'node-1', bridge: 'br-int', ofport: 7, kind: 'vhostuser', vlan: 3105 }, right: { host: 'node-1', bridge: 'br-int', ofport: 8, kind: 'vhostuser' } },
    });
    // ns-a carries a tag (an access port: untagged in OpenFlow); ns-b none (a trunk).
    expect(facts.ingress).toEqual({ ofport: 3, tagged: false });
    expect(facts.egress).toEqual({ ofport: 4, tagged: true });
    expect(checkChain(chain, facts)).toEqual([]);
  });

  test('ports are named by their external connection point; an internal-only port is not a chain\'s to name', () => {
    const internal: InstanceRecord = { ...fw('RUNNING'), vms: [{ ...fw('RUNNING').vms[0]!, ports: [...fw('RUNNING').vms[0]!.ports, { cpdId: 'mgmt-int', kind: 'vhostuser', name: 'vm', bridge: 'br-int' }] }] };
    expect(Object.keys(factsFromRecords(chain, new Map([[FW, internal]]), lookup).instances[FW]!.ports).sort()).toEqual(['left', 'right']);
  });

  test('a VM that does not run, or a port the switch has not added, is not live', () => {
    expect(factsFromRecords(chain, new Map([[FW, fw('SHUTOFF')]]), lookup).instances[FW]!.live).toBe(false);
    const noRight: SwitchPortLookup = (host, name) => (name === 'vr' ? { ofport: -1 } : lookup(host, name));
    expect(factsFromRecords(chain, new Map([[FW, fw('RUNNING')]]), noRight).instances[FW]!.live).toBe(false);
  });

  test('a named network port the switch does not have gives no port, which checkChain explains', () => {
    const facts = factsFromRecords(chain, new Map([[FW, fw('RUNNING')]]), (h, n) => (n === 'ns-b' ? undefined : lookup(h, n)));
    expect(facts.egress).toEqual({});
    expect(checkChain(chain, facts).map((p) => p.path)).toEqual(['/egress']);
  });

  test('an SR-IOV connection point is refused for what it is, nothing else', () => {
    const sriov: InstanceRecord = { instantiationState: 'INSTANTIATED', vms: [{ host: 'node-1', powerState: 'RUNNING', ports: [{ cpdId: 'l', extCpdId: 'left', kind: 'sriov' }, { cpdId: 'r', extCpdId: 'right', kind: 'sriov' }] }] };
    const withVf = { ...chain, hops: [{ instances: [{ vnfInstanceId: VF, ingressCpd: 'left', egressCpd: 'right' }] }] };
    const problems = checkChain(withVf, factsFromRecords(withVf, new Map([[VF, sriov]]), RECORDS_ONLY));
    expect(problems.map((p) => p.path)).toEqual(['/hops/0/instances/0/ingressCpd', '/hops/0/instances/0/egressCpd']);
    expect(problems[0]!.message).toMatch(/SR-IOV port; a VF bypasses OvS, so it cannot be steered/);
  });

  test('an instance that lost its ports keeps the ports the rules came from, not live, so the chain renders around it', () => {
    const before = factsFromRecords(chain, new Map([[FW, fw('RUNNING')]]), lookup);
    const terminated: InstanceRecord = { instantiationState: 'NOT_INSTANTIATED', vms: [] };
    const after: ChainFacts = factsFromRecords(chain, new Map([[FW, terminated]]), lookup, before);
    expect(after.instances[FW]).toEqual({ ...before.instances[FW], live: false });
    expect(checkChain(chain, after)).toEqual([]);
    // Without what the rules came from, it is what it is: not INSTANTIATED.
    expect(checkChain(chain, factsFromRecords(chain, new Map([[FW, terminated]]), lookup)).map((p) => p.message).join()).toMatch(/NOT_INSTANTIATED/);
  });

  test('an instance of another tenant (absent from the records) does not exist', () => {
    expect(checkChain(chain, factsFromRecords(chain, new Map(), lookup))).toEqual([{ path: '/hops/0/instances/0/vnfInstanceId', message: `VNF instance ${FW} does not exist` }]);
  });
});

test('chainInstanceIds: hop instances and connection-point ends, once each', () => {
  const both = { ...chain, egress: { vnfInstanceId: VF, cpdId: 'left' }, hops: [...chain.hops, ...chain.hops] };
  expect(chainInstanceIds(both)).toEqual([FW, VF]);
});
