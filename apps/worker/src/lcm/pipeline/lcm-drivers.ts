import type { DomainType, HypervisorDriver } from '../../../../../libs/libvirt/src/index.js';
import type { SwitchDriver } from '../../../../../libs/ovs/src/index.js';
import type { HostRecord } from './records.js';

export interface OverlaySpec {
  basePath: string;
  path: string;
  baseFormat: 'qcow2' | 'raw';
}

export interface CloudInitSeed {
  isoPath: string;
  userData: string;
  metaData: string;
}

/**
 * The files a VM needs on its host: the vhost-user socket folder, its disk overlay and its
 * cloud-init seed; and those it leaves there: its console log and, after a crash, its sockets. Every call can be re-run: what exists is kept, what is gone is fine.
 */
export interface ImageDriver {
  ensureFolder(path: string): Promise<void>;
  /** A qcow2 overlay at `path` on the base image; a missing base image is an ImageError naming it. */
  createOverlay(overlay: OverlaySpec): Promise<void>;
  /** A NoCloud seed ISO (volume `cidata`) holding user-data and meta-data. */
  createCloudInitIso(seed: CloudInitSeed): Promise<void>;
  remove(path: string): Promise<void>;
  /** The last `lines` lines of a VM's console log (read from its end, bounded); none when it does not exist. */
  consoleTail(path: string, lines: number): Promise<string[]>;
}

/** A file operation failed: the message names the file and what the tool said. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}

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
