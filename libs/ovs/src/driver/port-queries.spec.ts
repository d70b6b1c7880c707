import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import { findPortsByNameOps, findPortsOps, foundPorts, foundPortsByName, interfaceStatus, portsToRemoveOps, removeOps } from './port-queries.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ref = (n: number) => ['uuid', uuid(n)];

describe('findPorts', () => {
  test('selects interfaces whose external_ids include the filter', () => {
    const [select] = findPortsOps({ 'vim:vnf-instance': 'a', 'vim:port-index': '1' });
    expect(select.where).toEqual([['external_ids', 'includes', ['map', [['vim:port-index', '1'], ['vim:vnf-instance', 'a']]]]]);
  });

  test('an empty or invalid filter is refused: it must never match every port on the switch', () => {
    expect(() => findPortsOps({})).toThrow(/must have at least one entry/);
    expect(() => findPortsOps({ 'Bad Key': 'x' })).toThrow(InvalidSpecError);
  });

  test('joins each interface to its port and bridge, sorted by name', () => {
    const iface = (n: number, name: string, extra: Record<string, unknown>) => ({
      _uuid: ref(n),
      name,
      external_ids: ['map', [['k', 'v']]],
      options: ['map', [['vhost-server-path', `/run/${name}.sock`]]],
      other_config: ['map', []],
      status: ['map', [['mode', 'client'], ['status', 'disconnected']]],
      ...extra,
    });
    const results = [
      { rows: [iface(2, 'vhub', { ofport: ['set', []] }), iface(1, 'vhua', { ofport: 7 })] },
      { rows: [{ _uuid: ref(11), interfaces: ref(1), tag: 100 }, { _uuid: ref(12), interfaces: ref(2), tag: ['set', []] }] },
      { rows: [{ name: 'br-int', ports: ['set', [ref(11), ref(12)]] }] },
    ];
    expect(foundPorts(results)).toEqual([
      {
        name: 'vhua',
        bridge: 'br-int',
        interfaceUuid: uuid(1),
        externalIds: { k: 'v' },
        options: { 'vhost-server-path': '/run/vhua.sock' },
        otherConfig: {},
        status: { mode: 'client', status: 'disconnected' },
        ofport: 7,
        vlanTag: 100,
      },
      expect.not.objectContaining({ ofport: expect.anything(), vlanTag: expect.anything() }),
    ]);
  });
});

describe('findPortsByName', () => {
  test('one select per name, then every port and bridge; bad names are refused before anything is sent', () => {
    const ops = findPortsByNameOps(['vhu-a', 'ns1-p']);
    expect(ops.map((op) => [op.table, op.where])).toEqual([
      ['Interface', [['name', '==', 'vhu-a']]],
      ['Interface', [['name', '==', 'ns1-p']]],
      ['Port', []],
      ['Bridge', []],
    ]);
    expect(() => findPortsByNameOps(['bad name;'])).toThrow(InvalidSpecError);
  });

  test('answers the found interfaces with their OpenFlow port and access VLAN; a missing name is left out', () => {
    const iface = (n: number, name: string, ofport: unknown) => ({
      _uuid: ref(n), name, ofport, external_ids: ['map', []], options: ['map', []], other_config: ['map', []], status: ['map', []],
    });
    const results = [
      { rows: [iface(1, 'vhu-a', 5)] },
      { rows: [] },
      { rows: [iface(2, 'ns1-p', 9)] },
      { rows: [{ _uuid: ref(11), interfaces: ref(1), tag: 30 }, { _uuid: ref(12), interfaces: ref(2), tag: ['set', []] }] },
      { rows: [{ name: 'br-int', ports: ['set', [ref(11), ref(12)]] }] },
    ];
    expect(foundPortsByName(results).map((p) => [p.name, p.bridge, p.ofport, p.vlanTag])).toEqual([
      ['ns1-p', 'br-int', 9, undefined],
      ['vhu-a', 'br-int', 5, 30],
    ]);
  });
});

describe('interfaceStatus', () => {
  test('status, link state and error; undefined when there is no such interface', () => {
    const row = { status: ['map', [['mode', 'client'], ['status', 'connected']]], link_state: 'up', error: ['set', []] };
    expect(interfaceStatus([{ rows: [row] }])).toEqual({ status: { mode: 'client', status: 'connected' }, linkState: 'up' });
    expect(interfaceStatus([{ rows: [{ status: ['map', []], link_state: ['set', []], error: 'could not open network device' }] }])).toEqual({
      status: {},
      error: 'could not open network device',
    });
    expect(interfaceStatus([{ rows: [] }])).toBeUndefined();
  });
});

describe('removing ports', () => {
  test('checks the bridge and every name before anything is read', () => {
    expect(() => portsToRemoveOps('unix:/x', ['vhu0'])).toThrow(InvalidSpecError);
    expect(() => portsToRemoveOps('br-int', ['vhu0', 'x y'])).toThrow(InvalidSpecError);
    expect(portsToRemoveOps('br-int', ['vhu0'])).toHaveLength(2);
  });

  test('detaches only the named ports that are on this bridge; none found: no write', () => {
    const bridge = { rows: [{ ports: ['set', [ref(1), ref(2), ref(9)]] }] };
    const ops = removeOps('br-int', [bridge, { rows: [{ _uuid: ref(1) }] }, { rows: [] }, { rows: [{ _uuid: ref(3) }] }]);
    expect(ops[1].mutations).toEqual([['ports', 'delete', ['set', [ref(1)]]]]);
    expect(removeOps('br-int', [bridge, { rows: [] }])).toEqual([]);
    expect(removeOps('br-gone', [{ rows: [] }, { rows: [{ _uuid: ref(1) }] }])).toEqual([]);
  });
});
