import {
  checkBridgeName, checkExternalIdKey, checkExternalIdValue, checkInteger, checkInterfaceName, checkOpenFlowPort, checkRxqAffinity,
  checkSocketPath, checkUuid, checkVlanId, InvalidSpecError, Problems, type RxqPin,
} from '../../naming/src/index.js';

/**
 * OVSDB (RFC 7047) operations for vhost-user ports, as JSON data for OvsdbClient.transact. Every
 * name and value is a JSON string or number inside the operation, never part of a command line,
 * and is checked with libs/naming first so OvS and the kernel accept it as it is.
 */
export type OvsdbOperation = Record<string, unknown>;

/** A dpdkvhostuserclient port: OvS connects to the socket QEMU serves (libvirt mode 'server'). */
export interface VhostUserClientPortSpec {
  bridge: string;
  /** Port and Interface name, e.g. vhostUserPortName(vduInstanceId, index). */
  name: string;
  /** Interface options:vhost-server-path, the same path as the domain's `<source path>`. */
  socketPath: string;
  /** Access port on this VLAN (Port tag); left out, the port is a trunk. */
  vlanTag?: number;
  /** Interface other_config:pmd-rxq-affinity: which PMD core polls which rx queue. */
  rxqAffinity?: RxqPin[];
  /** Interface external_ids (iface-id, attached-mac, vm-uuid, …); also set on the Port. */
  externalIds?: Record<string, string>;
  /** Interface mtu_request, e.g. 9000 for jumbo frames. */
  mtuRequest?: number;
  /** Interface ofport_request, so flows can name the port by a number known in advance. */
  ofportRequest?: number;
}

/** Most external_ids entries we write on one row. */
export const MAX_EXTERNAL_IDS = 32;

type OvsdbMap = ['map', [string, string][]];

function externalIdsMap(p: Problems, value: unknown): OvsdbMap {
  if (value === undefined) return ['map', []];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    p.add(['externalIds'], 'must be an object of string keys and values');
    return ['map', []];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_EXTERNAL_IDS) p.add(['externalIds'], `has more than ${MAX_EXTERNAL_IDS} entries`);
  const pairs: [string, string][] = [];
  for (const [key, v] of entries) {
    const k = checkExternalIdKey(key);
    // A bad key is quoted in the message, not put in the path: problem paths end up in logs.
    if (!k.ok) p.add(['externalIds'], `key ${k.message}`);
    const checked = p.take(k.ok ? ['externalIds', key] : ['externalIds'], checkExternalIdValue(v));
    if (k.ok && checked !== undefined) pairs.push([k.value, checked]);
  }
  // Sorted, so the same spec always gives byte-identical operations.
  return ['map', pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))];
}

/** A `wait` that fails the whole transaction at once unless the bridge exists. */
function bridgeExists(bridge: string): OvsdbOperation {
  return { op: 'wait', timeout: 0, table: 'Bridge', where: [['name', '==', bridge]], columns: ['name'], until: '==', rows: [{ name: bridge }] };
}

/**
 * The operations that create a dpdkvhostuserclient Interface, its Port, and attach the Port to
 * the bridge, for one atomic transaction. The leading `wait` matters: mutating a missing bridge
 * matches no row, and the unreferenced Port would then be garbage-collected, a silent no-op.
 * A name already in use fails on OVSDB's unique index instead of sharing a port.
 * Throws InvalidSpecError listing every problem.
 */
export function createVhostUserClientPortOps(spec: VhostUserClientPortSpec): OvsdbOperation[] {
  const p = new Problems();
  const s = (typeof spec === 'object' && spec !== null ? spec : {}) as Partial<Record<keyof VhostUserClientPortSpec, unknown>>;
  const bridge = p.take(['bridge'], checkBridgeName(s.bridge));
  const name = p.take(['name'], checkInterfaceName(s.name));
  const socketPath = p.take(['socketPath'], checkSocketPath(s.socketPath));
  const tag = s.vlanTag === undefined ? undefined : p.take(['vlanTag'], checkVlanId(s.vlanTag));
  const affinity = s.rxqAffinity === undefined ? undefined : p.take(['rxqAffinity'], checkRxqAffinity(s.rxqAffinity));
  const mtu = s.mtuRequest === undefined ? undefined : p.take(['mtuRequest'], checkInteger(s.mtuRequest, 68, 65535));
  const ofport = s.ofportRequest === undefined ? undefined : p.take(['ofportRequest'], checkOpenFlowPort(s.ofportRequest));
  const externalIds = externalIdsMap(p, s.externalIds);
  p.throwIfAny('vhost-user port spec');

  const iface: Record<string, unknown> = {
    name,
    type: 'dpdkvhostuserclient',
    options: ['map', [['vhost-server-path', socketPath]]],
    other_config: ['map', affinity === undefined ? [] : [['pmd-rxq-affinity', affinity]]],
    external_ids: externalIds,
  };
  if (mtu !== undefined) iface.mtu_request = mtu;
  if (ofport !== undefined) iface.ofport_request = ofport;
  const port: Record<string, unknown> = { name, interfaces: ['named-uuid', 'iface'], external_ids: externalIds };
  if (tag !== undefined) port.tag = tag;

  return [
    bridgeExists(bridge as string),
    { op: 'insert', table: 'Interface', row: iface, 'uuid-name': 'iface' },
    { op: 'insert', table: 'Port', row: port, 'uuid-name': 'port' },
    { op: 'mutate', table: 'Bridge', where: [['name', '==', bridge]], mutations: [['ports', 'insert', ['set', [['named-uuid', 'port']]]]] },
  ];
}

/** Selects a port's row (its `_uuid` is what removePortOps needs) and its bridge membership. */
export function findPortOp(name: string): OvsdbOperation {
  const checked = checkInterfaceName(name);
  if (!checked.ok) throw new InvalidSpecError('port name', [{ path: '', message: checked.message }]);
  return { op: 'select', table: 'Port', where: [['name', '==', checked.value]], columns: ['_uuid', 'name', 'interfaces'] };
}

/**
 * Detaches a port from its bridge; OVSDB then garbage-collects the Port and its Interface, which
 * only the bridge referenced. `portUuid` comes from findPortOp.
 */
export function removePortOps(bridge: string, portUuid: string): OvsdbOperation[] {
  const p = new Problems();
  const b = p.take(['bridge'], checkBridgeName(bridge));
  // OVSDB row UUIDs are random (v4): the same lowercase canonical form as ours.
  const uuid = p.take(['portUuid'], checkUuid(portUuid));
  p.throwIfAny('port removal');
  return [
    bridgeExists(b as string),
    { op: 'mutate', table: 'Bridge', where: [['name', '==', b]], mutations: [['ports', 'delete', ['set', [['uuid', uuid]]]]] },
  ];
}
