import { DOMAIN_NAME_PREFIX } from '#vim/naming';
import type { LcmDrivers } from '../pipeline/lcm-drivers.js';
import type { HostRecord } from '../pipeline/records.js';
import type { OpenOp } from './due-queue-job.js';

/** What this deployment's database says, as far as the sweep asks. */
export interface LeftoverFacts {
  /** NOT_INSTANTIATED instances without an open operation that still have VM rows (and so claims, and what was made for them). */
  strayInstances(): Promise<string[]>;
  /**
   * Records an automatic undo of the instance's last instantiation (ROLLING_BACK, isAutomaticInvocation),
   * if it is still stray: the one-operation-per-instance index makes it exclusive with anything the API starts.
   */
  startCleanup(vnfInstanceId: string): Promise<OpenOp | undefined>;
  hosts(): Promise<HostRecord[]>;
  /** Of `vmIds`, those a VM row of this database stands for (its own id, or the VM a heal holder keeps). */
  knownVms(vmIds: readonly string[]): Promise<ReadonlySet<string>>;
}

export interface Unattributed {
  kind: 'domain';
  name: string;
  host: string;
  /** The VM the name points to, unknown to this database. */
  vmId: string;
}

export interface SweepReport {
  /** Automatic rollbacks started, one per stray instance: their jobs are to be scheduled like any due step. */
  cleanups: OpenOp[];
  /** Domains that look like this product's but that no VM row of this database stands for: reported, never touched. */
  unattributed: Unattributed[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What lost jobs (or an operator's `fail`) may leave half-made. A NOT_INSTANTIATED instance with VM
 * rows and no open operation holds claims, domains, ports and files that its own database proves
 * are its own: they are removed by an automatic rollback, an operation like any other (its ports
 * are found by their external ids). Domains on this database's hosts that carry this product's
 * names but no VM row of this database may belong to another deployment sharing libvirt: they are
 * only reported. (Ports are not listed: the switch driver finds ports by owner only.)
 */
export class LeftoverSweep {
  constructor(
    private readonly facts: LeftoverFacts,
    private readonly drivers: LcmDrivers,
    private readonly onHostError?: (error: unknown) => void,
  ) {}

  async sweep(): Promise<SweepReport> {
    const cleanups: OpenOp[] = [];
    for (const instanceId of await this.facts.strayInstances()) {
      const op = await this.facts.startCleanup(instanceId);
      if (op) cleanups.push(op);
    }
    return { cleanups, unattributed: await this.unattributed() };
  }

  private async unattributed(): Promise<Unattributed[]> {
    const found: Unattributed[] = [];
    // A host that does not answer is inventory's to report; the others are still looked at.
    const orNothing = (error: unknown): Unattributed[] => (this.onHostError?.(error), []);
    const seen = new Set<string>();
    for (const host of await this.facts.hosts()) {
      // Hosts registered twice on one libvirt would report each domain twice.
      if (seen.has(host.libvirtUri)) continue;
      seen.add(host.libvirtUri);
      found.push(...(await this.domainsOn(host).catch(orNothing)));
    }
    const known = await this.facts.knownVms(found.map((f) => f.vmId));
    return found.filter((f) => !known.has(f.vmId));
  }

  private async domainsOn(host: HostRecord): Promise<Unattributed[]> {
    const names = await this.drivers.hypervisor(host).listDomainNames(DOMAIN_NAME_PREFIX);
    return names
      .map((name) => ({ kind: 'domain' as const, name, host: host.name, vmId: name.slice(DOMAIN_NAME_PREFIX.length) }))
      .filter((d) => UUID.test(d.vmId));
  }
}
