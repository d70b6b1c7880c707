/**
 * Published by the worker on `lcmEventChannel(prefix)`, next to the operations' LcmEvents, when
 * libvirt reports a VM in another power state than was recorded (a guest paused by a KVM internal
 * error, one that crashed or powered off); the API streams it as a `vm-state` server-sent event.
 */
export interface VmStateEvent {
  kind: 'vm-state';
  tenantId: string;
  vnfInstanceId: string;
  vduInstanceId: string;
  vduId: string;
  /** libs/libvirt PowerStateName, or MISSING when libvirt has no such domain. */
  powerState: string;
  powerStateReason: string | null;
  previousPowerState: string | null;
  at: string;
}

export function vmStateEvent(vm: Omit<VmStateEvent, 'kind' | 'at'>, at = new Date()): VmStateEvent {
  return { kind: 'vm-state', ...vm, at: at.toISOString() };
}

/**
 * Published by the worker when discovery finds a host in another state than it was recorded in
 * (UP after DOWN, DOWN after UP). Hosts belong to no tenant: every stream gets it, without the
 * discovery error, which only platform administrators read (GET /api/v1/hosts/{id}).
 */
export interface HostStateEvent {
  kind: 'host-state';
  hostId: string;
  hostName: string;
  state: 'UP' | 'DOWN';
  previousState: string;
  at: string;
}

export function hostStateEvent(host: Omit<HostStateEvent, 'kind' | 'at'>, at = new Date()): HostStateEvent {
  return { kind: 'host-state', ...host, at: at.toISOString() };
}
