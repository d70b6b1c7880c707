import type { DomainType, HypervisorDriver } from '#vim/libvirt';
import type { SwitchDriver } from '#vim/ovs';
import type { ImageDriver } from '../../apps/worker/src/lcm/pipeline/image-driver.js';
import { LcmDrivers } from '../../apps/worker/src/lcm/pipeline/lcm-drivers.js';
import type { HostRecord } from '../../apps/worker/src/lcm/pipeline/records.js';
import { aroundMethods } from '../../apps/worker/src/lcm/pipeline/timing.js';

/** Holds the calls that reach it while closed, so a test can freeze operations in the middle of a step. */
export class Gate {
  private closedFor = 0;
  private waiters: (() => void)[] = [];

  get pending(): number {
    return this.waiters.length;
  }

  close(): void {
    this.closedFor = 1;
  }

  open(): void {
    this.closedFor = 0;
    for (const release of this.waiters.splice(0)) release();
  }

  async pass(): Promise<void> {
    if (this.closedFor === 0) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Drivers whose OVSDB port changes (the plug-ports step) wait at a gate before they go through
 * to `inner`: operations stop in the middle of a step, with their jobs active, for as long as the
 * test keeps the gate closed.
 */
export class GatedLcmDrivers extends LcmDrivers {
  readonly images: ImageDriver;
  /**
   * While set, a worker's shutdown leaves the drivers open, so the next worker of the test goes on
   * with the same connections (libvirt's test:/// driver keeps its domains in the connection).
   */
  holdOpen = true;

  constructor(
    readonly inner: LcmDrivers,
    readonly gate: Gate,
  ) {
    super();
    this.images = inner.images;
  }

  hypervisor(host: HostRecord): HypervisorDriver {
    return this.inner.hypervisor(host);
  }

  switch(host: HostRecord): SwitchDriver {
    return aroundMethods(this.inner.switch(host), async (method, call) => {
      if (method === 'ensureVhostUserPorts') await this.gate.pass();
      return call();
    });
  }

  domainType(host: HostRecord): Promise<DomainType> {
    return this.inner.domainType(host);
  }

  close(): Promise<void> {
    return this.holdOpen ? Promise.resolve() : this.inner.close();
  }
}
