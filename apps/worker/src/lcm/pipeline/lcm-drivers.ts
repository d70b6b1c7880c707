import type { DomainType, HypervisorDriver } from '#vim/libvirt';
import type { SwitchDriver } from '#vim/ovs';
import type { ImageDriver } from './image-driver.js';
import type { HostRecord } from './records.js';

/**
 * Everything the pipeline does to hosts goes through here, so one provider decides what is real:
 * the worker's default talks to libvirt, OVSDB and the local disk; tests hand in fakes, or the
 * real drivers with faults injected. Drivers are kept per host for the life of the worker.
 */
export abstract class LcmDrivers {
  abstract readonly images: ImageDriver;
  /** How long a launch watches the guest it started before it counts as up (LCM_GUEST_CHECK_MS); 0: one look. */
  guestCheckMs = 0;
  abstract hypervisor(host: HostRecord): HypervisorDriver;
  abstract switch(host: HostRecord): SwitchDriver;
  /** 'kvm' or 'qemu' for the host's libvirt, found out once per host. */
  abstract domainType(host: HostRecord): Promise<DomainType>;
  abstract close(): Promise<void>;
}
