import { OvsdbClient, OvsdbError, parseRemote } from '../ovsdb-client.js';
import type { OvsdbOperation, VhostUserClientPortSpec } from '../port-ops.js';
import { desiredPorts, ensureOps, observedPorts, observeOps } from './ensure-plan.js';
import { findPortsByNameOps, findPortsOps, foundPorts, foundPortsByName, interfaceStatus, interfaceStatusOp, portsToRemoveOps, removeOps } from './port-queries.js';
import { type FoundPort, type InterfaceStatus, OvsError, type SwitchDriver } from './switch-driver.js';

const DATABASE = 'Open_vSwitch';

/**
 * SwitchDriver over OVSDB JSON-RPC. Each change reads first (one transaction), decides, then
 * writes (one transaction); input is checked before anything is sent. Connects on first use and
 * again after the connection dropped (ovsdb-server restarted), so one driver can live as long
 * as its host.
 */
export class OvsdbSwitchDriver implements SwitchDriver {
  private connection?: Promise<OvsdbClient>;

  /** `remote` is `unix:/path` or `tcp:host:port`; a bad one throws here rather than on first use. */
  constructor(
    readonly remote: string,
    private readonly connectTimeoutMs = 5000,
  ) {
    parseRemote(remote);
  }

  async ensureVhostUserPorts(specs: readonly VhostUserClientPortSpec[]): Promise<void> {
    const desired = desiredPorts(specs);
    if (desired.length === 0) return;
    const observed = observedPorts(desired, await this.transact(observeOps(desired)));
    const ops = ensureOps(desired, observed);
    if (ops.length > 0) await this.transact(ops);
  }

  async removePorts(bridge: string, names: readonly string[]): Promise<void> {
    // Built first, so bad input is refused even when there is nothing to remove.
    const reads = portsToRemoveOps(bridge, names);
    if (names.length === 0) return;
    const ops = removeOps(bridge, await this.transact(reads));
    if (ops.length > 0) await this.transact(ops);
  }

  async findPorts(externalIds: Readonly<Record<string, string>>): Promise<FoundPort[]> {
    return foundPorts(await this.transact(findPortsOps(externalIds)));
  }

  async findPortsByName(names: readonly string[]): Promise<FoundPort[]> {
    const ops = findPortsByNameOps(names);
    if (names.length === 0) return [];
    return foundPortsByName(await this.transact(ops));
  }

  async interfaceStatus(name: string): Promise<InterfaceStatus | undefined> {
    return interfaceStatus(await this.transact([interfaceStatusOp(name)]));
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    (await connection?.catch(() => undefined))?.close();
  }

  private async transact(ops: OvsdbOperation[]): Promise<unknown[]> {
    const client = await this.client();
    try {
      return await client.transact(DATABASE, ...ops);
    } catch (error) {
      if (!(error instanceof OvsdbError) || !error.failure) throw error;
      const { index, error: reason, details } = error.failure;
      throw new OvsError(reason, details, ops[index]);
    }
  }

  private async client(): Promise<OvsdbClient> {
    const pending = this.connection;
    if (pending) {
      const client = await pending.catch(() => undefined);
      if (client && !client.closed) return client;
      // Concurrent callers all see the dead connection; only the first replaces it.
      if (this.connection === pending) this.connection = undefined;
    }
    this.connection ??= OvsdbClient.connect(this.remote, this.connectTimeoutMs);
    return this.connection;
  }
}
