import { setTimeout as sleep } from 'node:timers/promises';
import { type Domain, DomainState as NativeState, Hypervisor } from '@unraid/libvirt';
import {
  type DomainRef, type DomainState, type DomainStatus, type HypervisorDriver, isUp, LibvirtError, type LibvirtOperation, type PowerState,
  type PowerStateName,
} from './hypervisor-driver.js';
import { qemuLogTail, virshDomstate } from './virsh-state.js';

interface Found extends DomainRef {
  domain: Domain;
  state: NativeState;
}

const STATES: Partial<Record<NativeState, DomainState>> = {
  [NativeState.RUNNING]: 'running',
  // A vCPU waiting on a host resource: the guest is up all the same.
  [NativeState.BLOCKED]: 'running',
  [NativeState.PAUSED]: 'paused',
  [NativeState.SHUTOFF]: 'shutoff',
};

const POWER_STATES: Record<NativeState, PowerStateName> = {
  [NativeState.NOSTATE]: 'NOSTATE',
  [NativeState.RUNNING]: 'RUNNING',
  [NativeState.BLOCKED]: 'BLOCKED',
  [NativeState.PAUSED]: 'PAUSED',
  [NativeState.SHUTDOWN]: 'SHUTDOWN',
  [NativeState.SHUTOFF]: 'SHUTOFF',
  [NativeState.CRASHED]: 'CRASHED',
  [NativeState.PMSUSPENDED]: 'PMSUSPENDED',
};

/** Missing counts as inactive; every state but SHUTOFF has a QEMU process to destroy. */
const isActive = (state: NativeState | undefined): boolean => state !== undefined && state !== NativeState.SHUTOFF;

export interface UnraidDriverOptions {
  /** How often shutdownDomain looks whether the guest has powered off. */
  pollIntervalMs?: number;
  /** Opens the connection (default: @unraid/libvirt's Hypervisor for the URI); a test holds it to drop it. */
  open?: (uri: string) => Promise<Hypervisor>;
}

/**
 * HypervisorDriver over @unraid/libvirt: one connection per URI, opened on first use and opened
 * again when it dies (libvirtd restarted). The binding reports libvirt errors by message only (no
 * error codes), so every no-op case is decided by a lookup, never by reading an error message.
 */
export class UnraidHypervisorDriver implements HypervisorDriver {
  private connection: Promise<Hypervisor> | undefined;
  private readonly pollIntervalMs: number;
  private readonly open: (uri: string) => Promise<Hypervisor>;

  constructor(
    readonly uri: string,
    options: UnraidDriverOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.open = options.open ?? openHypervisor;
  }

  defineDomain(xml: string): Promise<DomainRef> {
    return this.reconnecting(async () => {
      const hypervisor = await this.connect();
      return this.attempt('define', undefined, async () => {
        const domain = await hypervisor.domainDefineXML(xml);
        return { uuid: await domain.getUUIDString(), name: await domain.getName() };
      });
    });
  }

  startDomain(name: string): Promise<void> {
    return this.reconnecting(async () => {
      const found = await this.inspect('start', name);
      if (!found) throw new LibvirtError({ operation: 'start', uri: this.uri, domainName: name, libvirtMessage: 'domain not found' });
      if (isActive(found.state)) return;
      await this.change('start', name, () => found.domain.create(), async () => isActive(await this.stateOf('start', name)));
    });
  }

  shutdownDomain(name: string, timeoutMs: number): Promise<void> {
    return this.reconnecting(async () => {
      const found = await this.inspect('shutdown', name);
      if (!found || !isActive(found.state)) return;
      const graceful = STATES[found.state] === 'running' && (await this.requestAcpiShutdown(found.domain));
      if (graceful && (await this.waitUntilOff(name, timeoutMs))) return;
      await this.powerOff('shutdown', name, found.domain);
    });
  }

  destroyDomain(name: string): Promise<void> {
    return this.reconnecting(async () => {
      const found = await this.inspect('destroy', name);
      if (found && isActive(found.state)) await this.powerOff('destroy', name, found.domain);
    });
  }

  undefineDomain(name: string): Promise<void> {
    return this.reconnecting(async () => {
      const domain = await this.find('undefine', name);
      if (!domain) return;
      await this.change('undefine', name, () => domain.undefine(), async () => (await this.find('undefine', name)) === undefined);
    });
  }

  lookupDomain(name: string): Promise<DomainStatus | undefined> {
    return this.reconnecting(async () => {
      const found = await this.inspect('lookup', name);
      return found && { uuid: found.uuid, name: found.name, state: STATES[found.state] ?? 'other' };
    });
  }

  domainXml(name: string): Promise<string | undefined> {
    return this.reconnecting(async () => {
      const domain = await this.find('xml', name);
      if (!domain) return undefined;
      try {
        return await domain.getXMLDesc();
      } catch (error) {
        return this.unlessGone('xml', name, error);
      }
    });
  }

  listDomainNames(prefix: string): Promise<string[]> {
    return this.reconnecting(async () => (await this.allNames('list')).filter((name) => name.startsWith(prefix)).sort());
  }

  /** The binding's state; the reason from virsh when the guest is not up (virsh cannot see a test:/// connection's domains: no reason then). */
  powerState(name: string): Promise<PowerState | undefined> {
    return this.reconnecting(async () => {
      const found = await this.inspect('state', name);
      const state = found && POWER_STATES[found.state];
      if (!state) return undefined;
      if (isUp(state)) return { state };
      const reason = await virshDomstate(this.uri, name).then((virsh) => (virsh.state === state ? virsh.reason : undefined), () => undefined);
      return reason === undefined ? { state } : { state, reason };
    });
  }

  /** Binding calls for each (in-process, cheap); virsh only for the reason of a domain that is not up. */
  async powerStates(names: readonly string[]): Promise<Map<string, PowerState>> {
    const states = new Map<string, PowerState>();
    for (const name of names) {
      const state = await this.powerState(name);
      if (state) states.set(name, state);
    }
    return states;
  }

  qemuLogTail(name: string, lines: number): Promise<string[] | undefined> {
    return qemuLogTail(this.uri, name, lines);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    const hypervisor = await connection?.catch(() => undefined);
    if (hypervisor) await this.attempt('close', undefined, () => hypervisor.connectClose());
  }

  /**
   * Runs a call; when it fails and the connection no longer answers (libvirtd restarted), runs it
   * once more on a new connection. Every call here looks before it acts, so running it again is safe.
   */
  private async reconnecting<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(await this.dropIfDead())) throw error;
      return call();
    }
  }

  /** True when the connection was dead and is dropped, so the next call opens a new one. */
  private async dropIfDead(): Promise<boolean> {
    const current = this.connection;
    const hypervisor = await current?.catch(() => undefined);
    if (!hypervisor) return false;
    const alive = await hypervisor.connectGetHostname().then(() => true, () => false);
    if (!alive && this.connection === current) this.connection = undefined;
    return !alive;
  }

  private connect(): Promise<Hypervisor> {
    if (!this.connection) {
      const opening = this.attempt('connect', undefined, () => this.open(this.uri));
      this.connection = opening;
      // A failed connect is not kept: the next call tries again.
      opening.catch(() => {
        if (this.connection === opening) this.connection = undefined;
      });
    }
    return this.connection;
  }

  /** The domain, or undefined when there is none of that name. */
  private async find(operation: LibvirtOperation, name: string): Promise<Domain | undefined> {
    const hypervisor = await this.connect();
    try {
      return await hypervisor.domainLookupByName(name);
    } catch (error) {
      return this.unlessGone(operation, name, error);
    }
  }

  private async inspect(operation: LibvirtOperation, name: string): Promise<Found | undefined> {
    const domain = await this.find(operation, name);
    if (!domain) return undefined;
    try {
      const { state } = await domain.getInfo();
      return { domain, uuid: await domain.getUUIDString(), name, state };
    } catch (error) {
      return this.unlessGone(operation, name, error);
    }
  }

  private async stateOf(operation: LibvirtOperation, name: string): Promise<NativeState | undefined> {
    return (await this.inspect(operation, name))?.state;
  }

  /** Tells "no such domain" (undefined) from a failed call (thrown) by listing, since the binding drops error codes. */
  private async unlessGone(operation: LibvirtOperation, name: string, error: unknown): Promise<undefined> {
    if ((await this.allNames(operation)).includes(name)) throw this.error(operation, name, error);
    return undefined;
  }

  private async allNames(operation: LibvirtOperation): Promise<string[]> {
    const hypervisor = await this.connect();
    return this.attempt(operation, undefined, async () => Promise.all((await hypervisor.connectListAllDomains()).map((d) => d.getName())));
  }

  /** False when libvirt refuses the request (the guest paused or is changing state): destroy is the way off then. */
  private requestAcpiShutdown(domain: Domain): Promise<boolean> {
    return domain.shutdown().then(
      () => true,
      () => false,
    );
  }

  private async waitUntilOff(name: string, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (!isActive(await this.stateOf('shutdown', name))) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await sleep(Math.min(this.pollIntervalMs, left));
    }
  }

  private powerOff(operation: LibvirtOperation, name: string, domain: Domain): Promise<void> {
    return this.change(operation, name, () => domain.destroy(), async () => !isActive(await this.stateOf(operation, name)));
  }

  /**
   * Runs a state change; when it fails, a fresh lookup decides whether the goal was reached anyway
   * (another worker, or the guest itself, got there first) before the failure counts.
   */
  private async change(operation: LibvirtOperation, name: string, act: () => Promise<void>, reached: () => Promise<boolean>): Promise<void> {
    try {
      await act();
    } catch (error) {
      if (await reached().catch(() => false)) return;
      throw this.error(operation, name, error);
    }
  }

  private async attempt<T>(operation: LibvirtOperation, name: string | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.error(operation, name, error);
    }
  }

  private error(operation: LibvirtOperation, domainName: string | undefined, cause: unknown): LibvirtError {
    if (cause instanceof LibvirtError) return cause;
    const libvirtMessage = cause instanceof Error ? cause.message : String(cause);
    return new LibvirtError({ operation, uri: this.uri, domainName, libvirtMessage }, { cause });
  }
}

async function openHypervisor(uri: string): Promise<Hypervisor> {
  const hypervisor = new Hypervisor({ uri });
  await hypervisor.connectOpen();
  return hypervisor;
}
