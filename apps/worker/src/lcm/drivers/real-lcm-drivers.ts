import { type DomainType, type HypervisorDriver, UnraidHypervisorDriver } from '#vim/libvirt';
import { OvsdbSwitchDriver, type SwitchDriver } from '#vim/ovs';
import { kvmAvailable, VirshProbe } from '#vim/inventory';
import { LcmDrivers } from '../pipeline/lcm-drivers.js';
import type { HostRecord } from '../pipeline/records.js';
import { LocalImageDriver } from './local-image-driver.js';

function kept<T>(drivers: Map<string, T>, key: string, create: () => T): T {
  let driver = drivers.get(key);
  if (driver === undefined) drivers.set(key, (driver = create()));
  return driver;
}

/**
 * The worker's drivers: libvirt through @unraid/libvirt, OVSDB over JSON-RPC, images on the local
 * disk. Connections are kept per libvirt URI and OVSDB remote, not per host row: libvirt's test
 * driver keeps its domains per connection, and two rows naming one daemon share it.
 */
export class RealLcmDrivers extends LcmDrivers {
  readonly images = new LocalImageDriver();
  private readonly hypervisors = new Map<string, HypervisorDriver>();
  private readonly switches = new Map<string, SwitchDriver>();
  private readonly domainTypes = new Map<string, Promise<DomainType>>();

  constructor({ guestCheckMs = 0 }: { guestCheckMs?: number } = {}) {
    super();
    this.guestCheckMs = guestCheckMs;
  }

  hypervisor(host: HostRecord): HypervisorDriver {
    return kept(this.hypervisors, host.libvirtUri, () => new UnraidHypervisorDriver(host.libvirtUri));
  }

  switch(host: HostRecord): SwitchDriver {
    return kept(this.switches, host.ovsdbRemote, () => new OvsdbSwitchDriver(host.ovsdbRemote));
  }

  domainType(host: HostRecord): Promise<DomainType> {
    const uri = host.libvirtUri;
    return kept(this.domainTypes, uri, () => {
      const detecting = new VirshProbe(uri).capabilities().then((xml): DomainType => (kvmAvailable(xml) ? 'kvm' : 'qemu'));
      // A failed look is not kept: the host may answer the next time.
      detecting.catch(() => this.domainTypes.delete(uri));
      return detecting;
    });
  }

  async close(): Promise<void> {
    const drivers = [...this.hypervisors.values(), ...this.switches.values()];
    this.hypervisors.clear();
    this.switches.clear();
    await Promise.allSettled(drivers.map((d) => d.close()));
  }
}
