/**
 * What the VNF lifecycle asks of one libvirt host (one URI). Every state change is idempotent, so a
 * job that is retried after a crash can run the same steps again: what is already done is a no-op.
 * Domains are addressed by name (`vim-<uuid>`, libs/naming).
 */
export interface HypervisorDriver {
  readonly uri: string;
  /** Defines the domain, or redefines it (same name and UUID): the new XML applies from its next start. */
  defineDomain(xml: string): Promise<DomainRef>;
  /**
   * Starts a shut-off domain; a running or paused one is left as it is (libvirt pauses a VM on
   * I/O errors, and resuming it is the operator's call). A missing domain is an error.
   */
  startDomain(name: string): Promise<void>;
  /** ACPI shutdown, then destroy once `timeoutMs` has passed; no-op when not running or missing. */
  shutdownDomain(name: string, timeoutMs: number): Promise<void>;
  /** Hard power-off; no-op when not running or missing. */
  destroyDomain(name: string): Promise<void>;
  /**
   * Removes the definition; no-op when missing. A running domain keeps running as a transient one
   * until it stops (libvirt's rule), so callers shut it down first.
   */
  undefineDomain(name: string): Promise<void>;
  lookupDomain(name: string): Promise<DomainStatus | undefined>;
  /** The live XML of a running domain (libvirt's additions included), else its definition. */
  domainXml(name: string): Promise<string | undefined>;
  /** Names of all domains, running or not, that start with `prefix`, sorted. */
  listDomainNames(prefix: string): Promise<string[]>;
  /** libvirt's state of the domain and why it is in it (`virsh domstate --reason`); undefined when missing. */
  powerState(name: string): Promise<PowerState | undefined>;
  /**
   * The states of these domains in one pass, for a periodic look at many VMs: a domain that runs
   * costs no reason lookup (its reason is left undefined), a missing one is left out of the map.
   */
  powerStates(names: readonly string[]): Promise<Map<string, PowerState>>;
  /** The last `lines` lines of the domain's QEMU log, where this process can read it (a local qemu:///system); else undefined. */
  qemuLogTail(name: string, lines: number): Promise<string[] | undefined>;
  close(): Promise<void>;
}

export interface DomainRef {
  uuid: string;
  name: string;
}

export type DomainState = 'running' | 'shutoff' | 'paused' | 'other';

export interface DomainStatus extends DomainRef {
  state: DomainState;
}

/**
 * libvirt's virDomainState as virsh names it, in capitals ('shut off' is SHUTOFF, 'in shutdown'
 * SHUTDOWN, 'no state' NOSTATE); `reason` is libvirt's word for why (e.g. PAUSED 'unknown' after a
 * KVM internal error, 'user' after a suspend; CRASHED 'panicked').
 */
export type PowerStateName = 'RUNNING' | 'BLOCKED' | 'PAUSED' | 'SHUTDOWN' | 'SHUTOFF' | 'CRASHED' | 'PMSUSPENDED' | 'NOSTATE';

export interface PowerState {
  state: PowerStateName;
  reason?: string;
}

/** A guest whose vCPUs execute: a blocked vCPU waits on a host resource, the guest is up all the same. */
export const isUp = (state: PowerStateName): boolean => state === 'RUNNING' || state === 'BLOCKED';

export type LibvirtOperation = 'connect' | 'define' | 'start' | 'shutdown' | 'destroy' | 'undefine' | 'lookup' | 'xml' | 'list' | 'state' | 'close';

export interface LibvirtErrorDetails {
  operation: LibvirtOperation;
  uri: string;
  /** Unknown for `define` (the name is inside the XML) and for connection-wide operations. */
  domainName?: string;
  libvirtMessage: string;
}

/** A real failure of a libvirt call; the idempotent no-op cases above never throw it. */
export class LibvirtError extends Error {
  override readonly name = 'LibvirtError';
  readonly operation: LibvirtOperation;
  readonly uri: string;
  readonly domainName: string | undefined;
  readonly libvirtMessage: string;

  constructor(details: LibvirtErrorDetails, options?: ErrorOptions) {
    const target = details.domainName === undefined ? '' : ` of ${details.domainName}`;
    super(`libvirt ${details.operation}${target} on ${details.uri} failed: ${details.libvirtMessage}`, options);
    this.operation = details.operation;
    this.uri = details.uri;
    this.domainName = details.domainName;
    this.libvirtMessage = details.libvirtMessage;
  }
}
