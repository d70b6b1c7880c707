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
