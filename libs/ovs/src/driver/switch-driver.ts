import { assertUuid } from '#vim/naming';
import type { OvsdbOperation, VhostUserClientPortSpec } from '../port-ops.js';

/** external_ids keys that mark a port as ours and name what it belongs to. */
export const VNF_INSTANCE_ID_KEY = 'vim:vnf-instance';
export const VDU_INSTANCE_ID_KEY = 'vim:vdu-instance';

/**
 * The external_ids of a VDU instance's ports, or (without a VDU) the filter that finds every
 * port of a VNF instance. One helper for writers and finders, so the keys cannot drift apart.
 */
export function ownerExternalIds(vnfInstanceId: string, vduInstanceId?: string): Record<string, string> {
  const ids = { [VNF_INSTANCE_ID_KEY]: assertUuid(vnfInstanceId) };
  return vduInstanceId === undefined ? ids : { ...ids, [VDU_INSTANCE_ID_KEY]: assertUuid(vduInstanceId) };
}

/** A port found by its external_ids, with what vswitchd reports about its interface. */
export interface FoundPort {
  name: string;
  bridge: string;
  /** Changes only when the interface is recreated, so it tells a kept port from a replaced one. */
  interfaceUuid: string;
  externalIds: Record<string, string>;
  options: Record<string, string>;
  otherConfig: Record<string, string>;
  /** Interface `status`, e.g. `{ mode: 'client', status: 'connected' }` once QEMU serves the socket. */
  status: Record<string, string>;
  /** OpenFlow port number: undefined until vswitchd has added the interface, -1 if that failed. */
  ofport?: number;
  /** Access VLAN (Port `tag`); undefined for a trunk. */
  vlanTag?: number;
}

export interface InterfaceStatus {
  status: Record<string, string>;
  linkState?: 'up' | 'down';
  /** Why vswitchd could not add the interface (Interface `error`). */
  error?: string;
}

/**
 * The Open vSwitch of one host, for the VNF lifecycle. Every change is one OVSDB transaction, so
 * it happens completely or not at all, and every method can be re-run: ensure keeps what is
 * already as asked, remove ignores what is already gone.
 *
 * Errors: InvalidSpecError (libs/naming) for bad input, before anything is sent; OvsError when
 * OVSDB refuses a transaction; OvsdbError when the switch cannot be reached.
 */
export interface SwitchDriver {
  /**
   * Creates these dpdkvhostuserclient ports and keeps those that already exist as specified. A
   * port that exists with other settings is deleted and created again in the same transaction:
   * vswitchd ignores a changed vhost-server-path on a client it has registered, so an update in
   * place could look applied and not be.
   */
  ensureVhostUserPorts(specs: readonly VhostUserClientPortSpec[]): Promise<void>;
  /** Removes the named ports of this bridge; ports that do not exist (or are elsewhere) are fine. */
  removePorts(bridge: string, names: readonly string[]): Promise<void>;
  /** Ports whose interface's external_ids include every given entry (at least one), by name. */
  findPorts(externalIds: Readonly<Record<string, string>>): Promise<FoundPort[]>;
  /**
   * The ports whose interface has one of these names (any bridge), by name; a name without an
   * interface is left out. For service chains: the OpenFlow port and access VLAN of each port.
   */
  findPortsByName(names: readonly string[]): Promise<FoundPort[]>;
  /** undefined when there is no interface of that name. */
  interfaceStatus(name: string): Promise<InterfaceStatus | undefined>;
  close(): Promise<void>;
}

/** OVSDB refused a transaction; nothing of it was applied. */
export class OvsError extends Error {
  override readonly name = 'OvsError';

  constructor(
    /** OVSDB's error, e.g. `constraint violation`, or `timed out` for a failed `wait`. */
    readonly error: string,
    readonly details?: string,
    /** The operation that failed; undefined when the commit itself failed. */
    readonly operation?: OvsdbOperation,
  ) {
    super(`OVSDB transaction failed: ${error}${details ? ` (${details})` : ''}${operation ? ` at ${describe(operation)}` : ''}`);
  }
}

function describe(operation: OvsdbOperation): string {
  return `${String(operation.op)} ${String(operation.table)} where ${JSON.stringify(operation.where ?? [])}`;
}
