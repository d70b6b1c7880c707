import {
  checkBridgeName, checkExternalIdKey, checkExternalIdValue, checkInteger, checkInterfaceName, checkOpenFlowPort, checkRxqAffinity,
  checkSocketPath, checkUuid, checkVlanId, InvalidSpecError, Problems, quote, type RxqPin,
} from '#vim/naming';

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
 * `index` tells several ports of one transaction apart: uuid-names must be unique in it.
 * Throws InvalidSpecError listing every problem.
 */
export function createVhostUserClientPortOps(spec: VhostUserClientPortSpec, index?: number): OvsdbOperation[] {
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
  const [ifaceRef, portRef] = uuidNames(index);
  const port: Record<string, unknown> = { name, interfaces: ['named-uuid', ifaceRef], external_ids: externalIds };
  if (tag !== undefined) port.tag = tag;

  return [
    bridgeExists(bridge as string),
    { op: 'insert', table: 'Interface', row: iface, 'uuid-name': ifaceRef },
    { op: 'insert', table: 'Port', row: port, 'uuid-name': portRef },
    { op: 'mutate', table: 'Bridge', where: [['name', '==', bridge]], mutations: [['ports', 'insert', ['set', [['named-uuid', portRef]]]]] },
  ];
}

function uuidNames(index: number | undefined): [string, string] {
  if (index === undefined) return ['iface', 'port'];
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`port index must be a non-negative integer, got ${quote(index)}`);
  return [`iface_${index}`, `port_${index}`];
}

function checkedName(name: unknown): string {
  const checked = checkInterfaceName(name);
  if (!checked.ok) throw new InvalidSpecError('port name', [{ path: '', message: checked.message }]);
  return checked.value;
}

/** Selects a port's row by name (its `_uuid` is what removePortOps needs). */
export function findPortOp(name: string, columns: readonly string[] = ['_uuid', 'name', 'interfaces']): OvsdbOperation {
  return { op: 'select', table: 'Port', where: [['name', '==', checkedName(name)]], columns: [...columns] };
}

/** Selects an interface's row by name. */
export function findInterfaceOp(name: string, columns: readonly string[]): OvsdbOperation {
  return { op: 'select', table: 'Interface', where: [['name', '==', checkedName(name)]], columns: [...columns] };
}

/**
 * Selects the interfaces whose external_ids include every given entry. An empty filter is
 * refused: it would match every interface on the switch, ours or not.
 */
export function findInterfacesByExternalIdsOp(externalIds: Record<string, string>, columns: readonly string[]): OvsdbOperation {
  const p = new Problems();
  const map = externalIdsMap(p, externalIds);
  if (p.list.length === 0 && map[1].length === 0) p.add(['externalIds'], 'must have at least one entry');
  p.throwIfAny('external_ids filter');
  return { op: 'select', table: 'Interface', where: [['external_ids', 'includes', map]], columns: [...columns] };
}

/** Selects the ports of one bridge: no row when the bridge does not exist. */
export function bridgePortsOp(bridge: string): OvsdbOperation {
  const checked = checkBridgeName(bridge);
  if (!checked.ok) throw new InvalidSpecError('bridge name', [{ path: '', message: checked.message }]);
  return { op: 'select', table: 'Bridge', where: [['name', '==', checked.value]], columns: ['ports'] };
}

/**
 * Detaches ports from their bridge; OVSDB then garbage-collects each Port and its Interface,
 * which only the bridge referenced. The UUIDs come from findPortOp; one that is no longer in the
 * bridge is ignored by OVSDB, so a stale read removes nothing else.
 */
export function removePortOps(bridge: string, ...portUuids: string[]): OvsdbOperation[] {
  const p = new Problems();
  const b = p.take(['bridge'], checkBridgeName(bridge));
  // OVSDB row UUIDs are random (v4): the same lowercase canonical form as ours.
  const uuids = portUuids.map((uuid, i) => p.take(['portUuids', i], checkUuid(uuid)));
  p.throwIfAny('port removal');
  return [
    bridgeExists(b as string),
    { op: 'mutate', table: 'Bridge', where: [['name', '==', b]], mutations: [['ports', 'delete', ['set', uuids.map((uuid) => ['uuid', uuid])]]] },
  ];
}
