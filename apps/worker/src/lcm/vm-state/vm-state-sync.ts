import type { HypervisorDriver, PowerState } from '#vim/libvirt';
import { type VmStateEvent, vmStateEvent } from '#vim/lcm';
import type { HostRecord } from '../pipeline/records.js';

/** An ACTIVE VM with a domain, as the sync reads it: what was recorded of its power state, and the row's version. */
export interface WatchedVm {
  id: string;
  tenantId: string;
  vnfInstanceId: string;
  vduId: string;
  domainName: string;
  host: HostRecord;
  powerState: string | null;
  powerStateReason: string | null;
  /** The row as read (its updatedAt, exactly): a lifecycle step that wrote it since wins over the sync. */
  version: string;
}

/** What a VM's power state became: libvirt's state, or MISSING when libvirt has no such domain. */
export interface ObservedPower {
  powerState: string;
  powerStateReason: string | null;
}

export interface VmStateStore {
  /** ACTIVE VMs with a domain whose instance runs no operation now (a heal or terminate changes them on purpose). */
  watched(): Promise<WatchedVm[]>;
  /** Records the change unless the row changed since it was read; true when it was recorded. */
  record(vm: WatchedVm, observed: ObservedPower): Promise<boolean>;
}

export interface VmStateSyncDeps {
  store: VmStateStore;
  hypervisor(host: HostRecord): HypervisorDriver;
  publish(event: VmStateEvent): Promise<void>;
  warn?(message: string): void;
}

const observed = (power: PowerState | undefined): ObservedPower =>
  power ? { powerState: power.state, powerStateReason: power.reason ?? null } : { powerState: 'MISSING', powerStateReason: null };

const changed = (vm: WatchedVm, now: ObservedPower) => vm.powerState !== now.powerState || vm.powerStateReason !== now.powerStateReason;

/**
 * Keeps each VM's recorded power state where libvirt has it: libvirt lets a guest pause (a KVM
 * internal error, an I/O error), crash or power off without anyone asking, and the API would
 * otherwise go on showing the VM as it was launched. It only reads libvirt, and only the domains
 * of the VMs in its own database; heal is the way back. One look per host per sync.
 */
export class VmStateSync {
  constructor(private readonly deps: VmStateSyncDeps) {}

  async syncOnce(): Promise<{ checked: number; changed: number }> {
    const vms = await this.deps.store.watched();
    let count = 0;
    for (const group of byLibvirt(vms).values()) count += await this.syncHost(group);
    return { checked: vms.length, changed: count };
  }

  private async syncHost(vms: WatchedVm[]): Promise<number> {
    let powers: Map<string, PowerState>;
    try {
      powers = await this.deps.hypervisor(vms[0]!.host).powerStates(vms.map((vm) => vm.domainName));
    } catch (error) {
      // An unreachable libvirt says nothing about its guests: inventory marks the host DOWN.
      this.deps.warn?.(`VM states of host ${vms[0]!.host.name} not read: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
    let count = 0;
    for (const vm of vms) {
      const now = observed(powers.get(vm.domainName));
      if (!changed(vm, now) || !(await this.deps.store.record(vm, now))) continue;
      count++;
      const { tenantId, vnfInstanceId, id: vduInstanceId, vduId } = vm;
      const event = vmStateEvent({ tenantId, vnfInstanceId, vduInstanceId, vduId, ...now, previousPowerState: vm.powerState });
      // Watchers are a courtesy: Postgres has the change.
      await this.deps.publish(event).catch((error: unknown) => this.deps.warn?.(`VM state event for ${vm.id} not published: ${String(error)}`));
    }
    return count;
  }
}

function byLibvirt(vms: readonly WatchedVm[]): Map<string, WatchedVm[]> {
  const groups = new Map<string, WatchedVm[]>();
  for (const vm of vms) groups.set(vm.host.libvirtUri, [...(groups.get(vm.host.libvirtUri) ?? []), vm]);
  return groups;
}
