import type { DomainType } from '#vim/libvirt';
import { FakeHypervisorDriver } from '#vim/libvirt/testing';
import { FakeSwitchDriver } from '#vim/ovs/testing';
import { type CloudInitSeed, ImageError, type ImageDriver, type OverlaySpec } from '../image-driver.js';
import { LcmDrivers } from '../lcm-drivers.js';
import type { HostRecord } from '../records.js';

/** Files as a set of paths; base images are the ones `addBase` put there. */
export class FakeImageDriver implements ImageDriver {
  readonly files = new Map<string, string>();
  readonly folders = new Set<string>();
  private failOverlay = false;

  addBase(path: string): void {
    this.files.set(path, 'base');
  }

  failNextOverlay(): void {
    this.failOverlay = true;
  }

  async ensureFolder(path: string): Promise<void> {
    this.folders.add(path);
  }

  async createOverlay({ basePath, path }: OverlaySpec): Promise<void> {
    if (this.failOverlay) {
      this.failOverlay = false;
      throw new ImageError(`qemu-img create ${path} failed: injected failure`);
    }
    if (this.files.has(path)) return;
    if (!this.files.has(basePath)) throw new ImageError(`base image ${basePath} does not exist`);
    this.files.set(path, `overlay of ${basePath}`);
  }

  async createCloudInitIso({ isoPath, userData, metaData }: CloudInitSeed): Promise<void> {
    if (!this.files.has(isoPath)) this.files.set(isoPath, `${userData}\n---\n${metaData}`);
  }

  async remove(path: string): Promise<void> {
    this.files.delete(path);
  }

  async consoleTail(path: string, lines: number): Promise<string[]> {
    const text = this.files.get(path);
    return text === undefined ? [] : text.split('\n').filter((line) => line !== '').slice(-lines);
  }

  /** Files other than base images. */
  made(): string[] {
    return [...this.files].filter(([, content]) => content !== 'base').map(([path]) => path).sort();
  }
}

/** One fake libvirt and one fake OvS per host (by URI and remote, as the real drivers are kept). */
export class FakeLcmDrivers extends LcmDrivers {
  readonly images = new FakeImageDriver();
  readonly hypervisors = new Map<string, FakeHypervisorDriver>();
  readonly switches = new Map<string, FakeSwitchDriver>();
  closed = false;

  hypervisor(host: HostRecord): FakeHypervisorDriver {
    if (!this.hypervisors.has(host.libvirtUri)) this.hypervisors.set(host.libvirtUri, new FakeHypervisorDriver(host.libvirtUri));
    return this.hypervisors.get(host.libvirtUri)!;
  }

  switch(host: HostRecord): FakeSwitchDriver {
    if (!this.switches.has(host.ovsdbRemote)) this.switches.set(host.ovsdbRemote, new FakeSwitchDriver({ bridges: ['br-int', 'br-data'] }));
    return this.switches.get(host.ovsdbRemote)!;
  }

  async domainType(): Promise<DomainType> {
    return 'qemu';
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
