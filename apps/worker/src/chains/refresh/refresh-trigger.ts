import { REFRESH_CHAINS_JOB, type RefreshChainsJob } from '#vim/chains';
import type { LcmEvent, VmStateEvent } from '#vim/lcm';

/** Lifecycle operation states after which an instance's VMs and ports stay as they are until the next operation. */
const SETTLED = new Set(['COMPLETED', 'FAILED', 'ROLLED_BACK', 'FAILED_TEMP']);

/**
 * The refresh a lifecycle event calls for: an operation of an instance that settled (its VMs or
 * ports may have changed: healed, terminated, rolled back), or a VM whose power state changed
 * (crashed, paused: no longer live). Other events change nothing a chain renders from.
 */
export function refreshFor(event: LcmEvent | VmStateEvent): RefreshChainsJob | undefined {
  if ('kind' in event && event.kind === 'vm-state') {
    return { vnfInstanceId: event.vnfInstanceId, reason: `VM ${event.vduInstanceId} of instance ${event.vnfInstanceId} is ${event.powerState} (was ${event.previousPowerState ?? 'unknown'})` };
  }
  const op = event as LcmEvent;
  if (!SETTLED.has(op.operationState)) return undefined;
  return { vnfInstanceId: op.vnfInstanceId, reason: `${op.operation} of instance ${op.vnfInstanceId} ${op.operationState}` };
}

/** What enqueues a refresh-chains job (the chains queue). */
export interface RefreshQueue {
  add(name: string, data: RefreshChainsJob, opts: { removeOnComplete: boolean; removeOnFail: number }): Promise<unknown>;
}

/**
 * Enqueues the refresh an event calls for. Never throws: the periodic check repairs what a lost
 * trigger would have, `warn` says so.
 */
export async function triggerRefresh(queue: RefreshQueue, event: LcmEvent | VmStateEvent, warn: (message: string) => void): Promise<void> {
  const job = refreshFor(event);
  if (!job) return;
  await queue.add(REFRESH_CHAINS_JOB, job, { removeOnComplete: true, removeOnFail: 100 }).catch((error: unknown) => {
    warn(`chains through instance ${job.vnfInstanceId} not refreshed after "${job.reason}" (the periodic check will): ${String(error)}`);
  });
}
