import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import {
  bridgePortsOp, createVhostUserClientPortOps, findInterfaceOp, findInterfacesByExternalIdsOp, findPortOp, removePortOps, type VhostUserClientPortSpec,
} from './port-ops.js';

const SPEC: VhostUserClientPortSpec = {
  bridge: 'br-int',
  name: 'vhu2b3c4d5e6f00',
  socketPath: '/var/run/vim/vhu2b3c4d5e6f00.sock',
  vlanTag: 100,
  rxqAffinity: [{ queue: 0, core: 3 }],
  externalIds: { 'vm-uuid': '3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f', 'attached-mac': '52:54:00:00:00:01', 'iface-id': 'p1' },
  mtuRequest: 9000,
  ofportRequest: 10,
};

function problems(spec: unknown): string[] {
  try {
    createVhostUserClientPortOps(spec as VhostUserClientPortSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError);
    return (error as InvalidSpecError).problems.map((p) => `${p.path} ${p.message}`);
  }
  throw new Error('accepted');
}

describe('createVhostUserClientPortOps', () => {
  test('wait for the bridge, insert Interface and Port, add the Port to the bridge', () => {
    const ids = ['map', [['attached-mac', '52:54:00:00:00:01'], ['iface-id', 'p1'], ['vm-uuid', '3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f']]];
    expect(createVhostUserClientPortOps(SPEC)).toEqual([
      { op: 'wait', timeout: 0, table: 'Bridge', where: [['name', '==', 'br-int']], columns: ['name'], until: '==', rows: [{ name: 'br-int' }] },
      {
        op: 'insert',
        table: 'Interface',
        row: {
          name: 'vhu2b3c4d5e6f00',
          type: 'dpdkvhostuserclient',
          options: ['map', [['vhost-server-path', '/var/run/vim/vhu2b3c4d5e6f00.sock']]],
          other_config: ['map', [['pmd-rxq-affinity', '0:3']]],
          external_ids: ids,
          mtu_request: 9000,
          ofport_request: 10,
        },
        'uuid-name': 'iface',
      },
      { op: 'insert', table: 'Port', row: { name: 'vhu2b3c4d5e6f00', interfaces: ['named-uuid', 'iface'], external_ids: ids, tag: 100 }, 'uuid-name': 'port' },
      { op: 'mutate', table: 'Bridge', where: [['name', '==', 'br-int']], mutations: [['ports', 'insert', ['set', [['named-uuid', 'port']]]]] },
    ]);
  });

  test('optional columns are left out', () => {
    const [, iface, port] = createVhostUserClientPortOps({ bridge: 'br-int', name: 'vhu0', socketPath: '/run/a.sock' });
    expect(iface.row).toEqual({ name: 'vhu0', type: 'dpdkvhostuserclient', options: ['map', [['vhost-server-path', '/run/a.sock']]], other_config: ['map', []], external_ids: ['map', []] });
    expect(port.row).toEqual({ name: 'vhu0', interfaces: ['named-uuid', 'iface'], external_ids: ['map', []] });
  });

  test('every problem is listed', () => {
    const found = problems({ ...SPEC, bridge: 'unix:/x', name: 'vhu0;reboot', socketPath: 'rel.sock', vlanTag: 4095, rxqAffinity: [{ queue: 0, core: -1 }], mtuRequest: 10, ofportRequest: 65280 });
    expect(found.map((f) => f.split(' ')[0])).toEqual(['/bridge', '/name', '/socketPath', '/vlanTag', '/rxqAffinity', '/mtuRequest', '/ofportRequest']);
  });

  test('external_ids keys and values', () => {
    expect(problems({ ...SPEC, externalIds: { 'Bad Key\n': 'v' } })).toEqual([expect.stringMatching(/^\/externalIds key "Bad Key\\n" does not match/)]);
    expect(problems({ ...SPEC, externalIds: { ok: 'line\nbreak' } })).toEqual([expect.stringMatching(/^\/externalIds\/ok contains a control character/)]);
    expect(problems({ ...SPEC, externalIds: ['a'] })).toEqual(['/externalIds must be an object of string keys and values']);
    expect(problems({ ...SPEC, externalIds: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])) })).toEqual(['/externalIds has more than 32 entries']);
    expect(problems(null)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/bridge/)]));
  });
});

describe('finding and removing ports', () => {
  test('select by name, then delete the uuid from the bridge', () => {
    expect(findPortOp('vhu0')).toEqual({ op: 'select', table: 'Port', where: [['name', '==', 'vhu0']], columns: ['_uuid', 'name', 'interfaces'] });
    const uuid = '0b8e8f5c-9c1e-4a57-8d55-6f6a9f0e2b11';
    expect(removePortOps('br-int', uuid)[1]).toEqual({ op: 'mutate', table: 'Bridge', where: [['name', '==', 'br-int']], mutations: [['ports', 'delete', ['set', [['uuid', uuid]]]]] });
    expect(() => findPortOp('x y')).toThrow(InvalidSpecError);
    expect(() => removePortOps('br-int', 'named-uuid')).toThrow(/portUuid/);
  });

  test('several ports leave the bridge in one mutation', () => {
    const uuids = ['0b8e8f5c-9c1e-4a57-8d55-6f6a9f0e2b11', '5d1c0a3e-7f2b-4c9d-8e6a-1b2c3d4e5f60'];
    expect(removePortOps('br-int', ...uuids)[1].mutations).toEqual([['ports', 'delete', ['set', uuids.map((u) => ['uuid', u])]]]);
    expect(() => removePortOps('br-int', uuids[0], 'x')).toThrow(/\/portUuids\/1/);
  });

  test('selects by name or by external_ids; bridge membership', () => {
    expect(findInterfaceOp('vhu0', ['status'])).toEqual({ op: 'select', table: 'Interface', where: [['name', '==', 'vhu0']], columns: ['status'] });
    expect(findInterfacesByExternalIdsOp({ b: '2', a: '1' }, ['name']).where).toEqual([['external_ids', 'includes', ['map', [['a', '1'], ['b', '2']]]]]);
    expect(() => findInterfacesByExternalIdsOp({}, ['name'])).toThrow(/at least one entry/);
    expect(bridgePortsOp('br-int')).toEqual({ op: 'select', table: 'Bridge', where: [['name', '==', 'br-int']], columns: ['ports'] });
    expect(() => bridgePortsOp('tcp:1.2.3.4')).toThrow(InvalidSpecError);
  });
});

describe('several ports in one transaction', () => {
  test('an index makes the uuid-names unique', () => {
    const ops = createVhostUserClientPortOps(SPEC, 3);
    expect(ops[1]['uuid-name']).toBe('iface_3');
    expect(ops[2]).toMatchObject({ 'uuid-name': 'port_3', row: { interfaces: ['named-uuid', 'iface_3'] } });
    expect(ops[3].mutations).toEqual([['ports', 'insert', ['set', [['named-uuid', 'port_3']]]]]);
    expect(() => createVhostUserClientPortOps(SPEC, -1)).toThrow(RangeError);
  });
});
