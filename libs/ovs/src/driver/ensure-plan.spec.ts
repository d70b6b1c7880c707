import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import type { VhostUserClientPortSpec } from '../port-ops.js';
import { decide, desiredPorts, ensureOps, observedPorts, observeOps, type ObservedPort } from './ensure-plan.js';

const PORT_UUID = '0b8e8f5c-9c1e-4a57-8d55-6f6a9f0e2b11';
const IFACE_UUID = '5d1c0a3e-7f2b-4c9d-8e6a-1b2c3d4e5f60';
const SPEC: VhostUserClientPortSpec = {
  bridge: 'br-int',
  name: 'vhu2b3c4d5e6f00',
  socketPath: '/run/vim/vhu2b3c4d5e6f00.sock',
  vlanTag: 100,
  rxqAffinity: [{ queue: 0, core: 1 }],
  externalIds: { 'vim:vnf-instance': 'a', 'vim:vdu-instance': 'b' },
};

/** The port as OVSDB sends it back: server order, optional columns as empty sets. */
function observed(changes: { port?: Record<string, unknown>; iface?: Record<string, unknown>; bridge?: string } = {}): ObservedPort {
  const ids = ['map', [['vim:vdu-instance', 'b'], ['vim:vnf-instance', 'a']]];
  return {
    bridge: changes.bridge ?? 'br-int',
    port: { _uuid: ['uuid', PORT_UUID], name: SPEC.name, interfaces: ['uuid', IFACE_UUID], tag: 100, external_ids: ids, ...changes.port },
    iface: {
      _uuid: ['uuid', IFACE_UUID],
      type: 'dpdkvhostuserclient',
      options: ['map', [['vhost-server-path', SPEC.socketPath]]],
      other_config: ['map', [['pmd-rxq-affinity', '0:1']]],
      external_ids: ids,
      mtu_request: ['set', []],
      ofport_request: ['set', []],
      ...changes.iface,
    },
  };
}

const [want] = desiredPorts([SPEC]);

describe('desiredPorts', () => {
  test('lists every problem of every spec under its index, and repeated names', () => {
    try {
      desiredPorts([SPEC, { ...SPEC, name: 'vhu1', bridge: 'unix:/x', vlanTag: 4095 }, { ...SPEC, name: 'vhu0', vlanTag: 4095 }, { ...SPEC, name: 'vhu0' }]);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSpecError);
      expect((error as InvalidSpecError).problems.map((p) => p.path)).toEqual(['/1/bridge', '/1/vlanTag', '/2/vlanTag', '/3/name']);
      expect((error as InvalidSpecError).problems[3].message).toBe('"vhu0" is also the name of spec 2');
    }
  });

  test('a null spec or a non-array is refused, not a TypeError', () => {
    expect(() => desiredPorts([null as unknown as VhostUserClientPortSpec])).toThrow(InvalidSpecError);
    expect(() => desiredPorts({} as VhostUserClientPortSpec[])).toThrow(InvalidSpecError);
  });
});

describe('decide', () => {
  test('nothing of that name: create', () => {
    expect(decide(want, undefined)).toBe('create');
  });

  test('the same rows, whatever the map order or set encoding: keep', () => {
    expect(decide(want, observed())).toBe('keep');
    expect(decide(want, observed({ port: { tag: ['set', [100]] } }))).toBe('keep');
  });

  test.each([
    ['another socket path', { iface: { options: ['map', [['vhost-server-path', '/run/other.sock']]] } }],
    ['another VLAN', { port: { tag: 200 } }],
    ['no VLAN (trunk)', { port: { tag: ['set', []] } }],
    ['a foreign other_config key', { iface: { other_config: ['map', [['pmd-rxq-affinity', '0:1'], ['tx-steering', 'hash']]] } }],
    ['another external id', { iface: { external_ids: ['map', [['vim:vnf-instance', 'a']]] } }],
    ['an mtu_request we did not ask for', { iface: { mtu_request: 9000 } }],
    ['another interface type', { iface: { type: 'dpdkvhostuser' } }],
    ['another bridge', { bridge: 'br-ex' }],
    ['a second interface on the port', { port: { interfaces: ['set', [['uuid', IFACE_UUID], ['uuid', PORT_UUID]]] } }],
  ])('%s: replace', (_, changes) => {
    expect(decide(want, observed(changes))).toBe('replace');
  });

  test('a port whose interface has another name: replace', () => {
    expect(decide(want, { ...observed(), iface: undefined })).toBe('replace');
  });
});

describe('ensureOps', () => {
  const [first, second] = desiredPorts([SPEC, { ...SPEC, name: 'vhu2b3c4d5e6f01' }]);

  test('everything kept: no write at all', () => {
    expect(ensureOps([want], new Map([[want.name, observed()]]))).toEqual([]);
  });

  test('one wait per bridge, then both ports with distinct uuid-names', () => {
    const ops = ensureOps([first, second], new Map());
    expect(ops.map((op) => `${op.op} ${op.table}`)).toEqual(['wait Bridge', 'insert Interface', 'insert Port', 'mutate Bridge', 'insert Interface', 'insert Port', 'mutate Bridge']);
    expect(ops.filter((op) => op.op === 'insert').map((op) => op['uuid-name'])).toEqual(['iface_0', 'port_0', 'iface_1', 'port_1']);
  });

  test('a replaced port is detached before its successor is inserted; a kept one is guarded', () => {
    const ops = ensureOps([first, second], new Map([[first.name, observed()], [second.name, observed({ port: { name: second.name, tag: 7 } })]]));
    expect(ops.map((op) => `${op.op} ${op.table}`)).toEqual([
      'wait Bridge', 'wait Port', 'wait Interface', 'wait Bridge', 'mutate Bridge', 'insert Interface', 'insert Port', 'mutate Bridge',
    ]);
    expect(ops[1]).toEqual({
      op: 'wait',
      timeout: 0,
      table: 'Port',
      where: [['_uuid', '==', ['uuid', PORT_UUID]]],
      columns: ['name', 'interfaces', 'tag', 'external_ids'],
      until: '==',
      rows: [{ name: SPEC.name, interfaces: ['uuid', IFACE_UUID], tag: 100, external_ids: observed().port.external_ids }],
    });
    expect(ops[4].mutations).toEqual([['ports', 'delete', ['set', [['uuid', PORT_UUID]]]]]);
  });
});

describe('observedPorts', () => {
  test('joins the Port, the Interface of the same name and the bridge holding the Port', () => {
    const { port, iface } = observed();
    const results = [
      { rows: [{ name: 'br-int', ports: ['set', [['uuid', PORT_UUID], ['uuid', IFACE_UUID]]] }, { name: 'br-ex', ports: ['set', []] }] },
      { rows: [port] },
      { rows: [iface] },
      { rows: [] },
      { rows: [] },
    ];
    const [a, b] = desiredPorts([SPEC, { ...SPEC, name: 'vhu1' }]);
    expect(observeOps([a, b])).toHaveLength(5);
    expect(observedPorts([a, b], results)).toEqual(new Map([[SPEC.name, { port, iface, bridge: 'br-int' }]]));
  });
});
