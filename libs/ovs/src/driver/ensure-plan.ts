import { InvalidSpecError, quote, type SpecProblem } from '#vim/naming';
import {
  createVhostUserClientPortOps, findInterfaceOp, findPortOp, type OvsdbOperation, removePortOps, type VhostUserClientPortSpec,
} from '../port-ops.js';
import { ALL_BRIDGES_OP, bridgeOfPort, type OvsdbRow, rowsOf, sameValue, uuidOf } from './ovsdb-rows.js';

/** A checked spec and the operations that would create it (wait, insert Interface, insert Port, attach). */
export interface DesiredPort {
  name: string;
  bridge: string;
  ops: OvsdbOperation[];
}

/** A port of the desired name as the switch has it; `iface` is the Interface of that name, wherever it is. */
export interface ObservedPort {
  port: OvsdbRow;
  iface?: OvsdbRow;
  bridge?: string;
}

export type PortAction = 'create' | 'keep' | 'replace';

// The columns a spec sets; vswitchd itself writes none of them, so a difference is someone's change.
const SPEC_PORT_COLUMNS = ['tag', 'external_ids'];
const SPEC_INTERFACE_COLUMNS = ['type', 'options', 'other_config', 'external_ids', 'mtu_request', 'ofport_request'];
const PORT_COLUMNS = ['_uuid', 'name', 'interfaces', ...SPEC_PORT_COLUMNS];
const INTERFACE_COLUMNS = ['_uuid', ...SPEC_INTERFACE_COLUMNS];

/** Checks every spec (all problems at once, paths prefixed with the spec's index) and names. */
export function desiredPorts(specs: readonly VhostUserClientPortSpec[]): DesiredPort[] {
  if (!Array.isArray(specs)) throw new InvalidSpecError('vhost-user port specs', [{ path: '', message: 'must be an array' }]);
  const problems: SpecProblem[] = [];
  const desired = specs.flatMap((spec, index): DesiredPort[] => {
    try {
      const ops = createVhostUserClientPortOps(spec, index);
      return [{ name: spec.name, bridge: spec.bridge, ops }];
    } catch (error) {
      if (!(error instanceof InvalidSpecError)) throw error;
      problems.push(...error.problems.map((p) => ({ path: `/${index}${p.path}`, message: p.message })));
      return [];
    }
  });
  problems.push(...repeatedNames(specs));
  if (problems.length > 0) throw new InvalidSpecError('vhost-user port specs', problems);
  return desired;
}

function repeatedNames(specs: readonly unknown[]): SpecProblem[] {
  const firstWithName = new Map<string, number>();
  return specs.flatMap((spec, index) => {
    const name = (spec as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return [];
    const first = firstWithName.get(name);
    if (first === undefined) firstWithName.set(name, index);
    return first === undefined ? [] : [{ path: `/${index}/name`, message: `${quote(name)} is also the name of spec ${first}` }];
  });
}

/** One read: every bridge's ports, then the Port and the Interface of each desired name. */
export function observeOps(desired: readonly DesiredPort[]): OvsdbOperation[] {
  return [ALL_BRIDGES_OP, ...desired.flatMap((d) => [findPortOp(d.name, PORT_COLUMNS), findInterfaceOp(d.name, INTERFACE_COLUMNS)])];
}

export function observedPorts(desired: readonly DesiredPort[], results: readonly unknown[]): Map<string, ObservedPort> {
  const bridges = bridgeOfPort(rowsOf(results[0]));
  const observed = new Map<string, ObservedPort>();
  desired.forEach((d, i) => {
    const [port] = rowsOf(results[1 + 2 * i]);
    const [iface] = rowsOf(results[2 + 2 * i]);
    if (port) observed.set(d.name, { port, iface, bridge: bridges.get(uuidOf(port._uuid)) });
  });
  return observed;
}

export function decide(want: DesiredPort, seen: ObservedPort | undefined): PortAction {
  if (!seen) return 'create';
  return matches(want, seen) ? 'keep' : 'replace';
}

function matches(want: DesiredPort, { port, iface, bridge }: ObservedPort): boolean {
  const [, ifaceInsert, portInsert] = want.ops;
  const wantIface = ifaceInsert.row as OvsdbRow;
  const wantPort = portInsert.row as OvsdbRow;
  return (
    bridge === want.bridge &&
    iface !== undefined &&
    sameValue(port.interfaces, iface._uuid) &&
    SPEC_PORT_COLUMNS.every((c) => sameValue(wantPort[c], port[c])) &&
    SPEC_INTERFACE_COLUMNS.every((c) => sameValue(wantIface[c], iface[c]))
  );
}

/**
 * The write transaction, or [] when every port is kept. A replaced port is detached in the same
 * transaction as its successor is inserted: OVSDB collects the old rows before it checks the
 * unique name index, so the name passes from one to the other atomically. Kept ports are
 * guarded by `wait`s, so the transaction fails instead of committing beside a port that someone
 * changed after our read.
 */
export function ensureOps(desired: readonly DesiredPort[], observed: ReadonlyMap<string, ObservedPort>): OvsdbOperation[] {
  const plans = desired.map((want) => {
    const seen = observed.get(want.name);
    return { want, seen, action: decide(want, seen) };
  });
  const changing = plans.filter((p) => p.action !== 'keep');
  if (changing.length === 0) return [];
  const bridgeWaits = new Map(changing.map(({ want }) => [want.bridge, want.ops[0]]));
  return [
    ...bridgeWaits.values(),
    ...plans.filter((p) => p.action === 'keep').flatMap((p) => unchanged(p.seen as ObservedPort)),
    ...changing.flatMap(({ want, seen, action }) => [...(action === 'replace' ? detach(seen as ObservedPort) : []), ...want.ops.slice(1)]),
  ];
}

function detach({ port, bridge }: ObservedPort): OvsdbOperation[] {
  // Not on any bridge cannot happen in one snapshot (OVSDB would have collected the Port).
  return bridge === undefined ? [] : removePortOps(bridge, uuidOf(port._uuid));
}

function unchanged({ port, iface }: ObservedPort): OvsdbOperation[] {
  return [guard('Port', port, ['name', 'interfaces', ...SPEC_PORT_COLUMNS]), guard('Interface', iface as OvsdbRow, SPEC_INTERFACE_COLUMNS)];
}

function guard(table: string, row: OvsdbRow, columns: string[]): OvsdbOperation {
  const expected = Object.fromEntries(columns.map((c) => [c, row[c]]));
  return { op: 'wait', timeout: 0, table, where: [['_uuid', '==', row._uuid]], columns, until: '==', rows: [expected] };
}
