import { bridgePortsOp, findInterfaceOp, findInterfacesByExternalIdsOp, findPortOp, type OvsdbOperation, removePortOps } from '../port-ops.js';
import { ALL_BRIDGES_OP, bridgeOfPort, mapObject, optional, type OvsdbRow, rowsOf, uuidOf, uuidsOf } from './ovsdb-rows.js';
import type { FoundPort, InterfaceStatus } from './switch-driver.js';

const FOUND_INTERFACE_COLUMNS = ['_uuid', 'name', 'external_ids', 'options', 'other_config', 'status', 'ofport'];
const ALL_PORTS_OP = { op: 'select', table: 'Port', where: [], columns: ['_uuid', 'interfaces', 'tag'] };

/** One read: the matching interfaces, and every port and bridge to place them. */
export function findPortsOps(externalIds: Record<string, string>): OvsdbOperation[] {
  return [findInterfacesByExternalIdsOp(externalIds, FOUND_INTERFACE_COLUMNS), ALL_PORTS_OP, ALL_BRIDGES_OP];
}

/**
 * One read: the interfaces of these names (one select each: OVSDB has no `in`), and every port and
 * bridge to place them. Names are checked as port names before anything is sent.
 */
export function findPortsByNameOps(names: readonly string[]): OvsdbOperation[] {
  return [...names.map((name) => findInterfaceOp(name, FOUND_INTERFACE_COLUMNS)), ALL_PORTS_OP, ALL_BRIDGES_OP];
}

/** The answer to findPortsByNameOps: names without an interface (or one on no bridge) are left out. */
export function foundPortsByName(results: readonly unknown[]): FoundPort[] {
  const interfaces = results.slice(0, -2).flatMap((result) => rowsOf(result));
  return foundPorts([{ rows: interfaces }, results.at(-2), results.at(-1)]);
}

export function foundPorts([interfaces, ports, bridges]: readonly unknown[]): FoundPort[] {
  const portOfInterface = new Map(rowsOf(ports).flatMap((port) => uuidsOf(port.interfaces).map((uuid): [string, OvsdbRow] => [uuid, port])));
  const bridgeOf = bridgeOfPort(rowsOf(bridges));
  return rowsOf(interfaces)
    .flatMap((iface) => {
      const port = portOfInterface.get(uuidOf(iface._uuid));
      const bridge = port && bridgeOf.get(uuidOf(port._uuid));
      return port && bridge ? [foundPort(iface, port, bridge)] : [];
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function foundPort(iface: OvsdbRow, port: OvsdbRow, bridge: string): FoundPort {
  const found: FoundPort = {
    name: iface.name as string,
    bridge,
    interfaceUuid: uuidOf(iface._uuid),
    externalIds: mapObject(iface.external_ids),
    options: mapObject(iface.options),
    otherConfig: mapObject(iface.other_config),
    status: mapObject(iface.status),
  };
  const ofport = optional<number>(iface.ofport);
  const vlanTag = optional<number>(port.tag);
  if (ofport !== undefined) found.ofport = ofport;
  if (vlanTag !== undefined) found.vlanTag = vlanTag;
  return found;
}

export function interfaceStatusOp(name: string): OvsdbOperation {
  return findInterfaceOp(name, ['status', 'link_state', 'error']);
}

export function interfaceStatus([result]: readonly unknown[]): InterfaceStatus | undefined {
  const [row] = rowsOf(result);
  if (!row) return undefined;
  const status: InterfaceStatus = { status: mapObject(row.status) };
  const linkState = optional<'up' | 'down'>(row.link_state);
  const error = optional<string>(row.error);
  if (linkState !== undefined) status.linkState = linkState;
  if (error !== undefined) status.error = error;
  return status;
}

/** One read: the bridge's ports (no row if it does not exist) and the Port of each name. */
export function portsToRemoveOps(bridge: string, names: readonly string[]): OvsdbOperation[] {
  return [bridgePortsOp(bridge), ...names.map((name) => findPortOp(name, ['_uuid']))];
}

/** The write that detaches the named ports found on the bridge, or [] when there are none. */
export function removeOps(bridge: string, [bridgeResult, ...portResults]: readonly unknown[]): OvsdbOperation[] {
  const [bridgeRow] = rowsOf(bridgeResult);
  const onBridge = new Set(bridgeRow ? uuidsOf(bridgeRow.ports) : []);
  const uuids = portResults.flatMap((result) => rowsOf(result).map((row) => uuidOf(row._uuid))).filter((uuid) => onBridge.has(uuid));
  return uuids.length === 0 ? [] : removePortOps(bridge, ...uuids);
}
