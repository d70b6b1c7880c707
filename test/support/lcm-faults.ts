import { type DomainType, type HypervisorDriver, LibvirtError } from '#vim/libvirt';
import { OvsError, type SwitchDriver } from '#vim/ovs';
import type { ImageDriver } from '../../apps/worker/src/lcm/pipeline/image-driver.js';
import { LcmDrivers } from '../../apps/worker/src/lcm/pipeline/lcm-drivers.js';
import type { HostRecord } from '../../apps/worker/src/lcm/pipeline/records.js';
import { aroundMethods } from '../../apps/worker/src/lcm/pipeline/timing.js';

export type Fault = 'define' | 'start' | 'ports';

const METHODS: Record<string, Fault> = { defineDomain: 'define', startDomain: 'start', ensureVhostUserPorts: 'ports' };

/**
 * The worker's real drivers with faults injected on demand: an armed fault makes the next call of
 * its method fail, as libvirt or OVSDB would, before it reaches the real driver; everything else
 * goes through untouched.
 */
export class FaultyLcmDrivers extends LcmDrivers {
  readonly images: ImageDriver;
  private readonly armed = new Set<Fault>();

  constructor(readonly real: LcmDrivers) {
    super();
    this.images = real.images;
  }

  failNext(fault: Fault): void {
    this.armed.add(fault);
  }

  hypervisor(host: HostRecord): HypervisorDriver {
    return this.faulty(this.real.hypervisor(host), (method) => new LibvirtError({ operation: method === 'defineDomain' ? 'define' : 'start', uri: host.libvirtUri, libvirtMessage: 'injected fault' }));
  }

  switch(host: HostRecord): SwitchDriver {
    return this.faulty(this.real.switch(host), () => new OvsError('injected fault'));
  }

  domainType(host: HostRecord): Promise<DomainType> {
    return this.real.domainType(host);
  }

  close(): Promise<void> {
    return this.real.close();
  }

  private faulty<T extends object>(driver: T, error: (method: string) => Error): T {
    return aroundMethods(driver, (method, call) => {
      const fault = METHODS[method];
      return fault && this.armed.delete(fault) ? Promise.reject(error(method)) : call();
    });
  }
}
