import type { FieldProblem } from '#vim/descriptors';
import { GuestNotRunningError, LibvirtError } from '#vim/libvirt';
import { OvsdbError, OvsError } from '#vim/ovs';
import type { NoValidHost } from '#vim/placement';
import { PROBLEM, type ProblemDetails } from '#vim/problems';
import { ImageError } from './image-driver.js';

/** A problem as kept in lcm_op_occs.error and sent in LcmEvents: always with its detail. */
export type Problem = ProblemDetails & { detail: string };

/** A step failed in a way that already has its problem document. */
export class StepError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** The VM a failure happened on, as the problem names it. */
export interface VmLabel {
  id: string;
  vduId: string;
  hostName?: string;
}

const describeVm = (vm: VmLabel) => `VM ${vm.id} (vdu '${vm.vduId}')${vm.hostName ? ` on host ${vm.hostName}` : ''}`;

/** Which backend failed: driver failures are the host's (502), anything else is ours (500). */
function source(cause: unknown): { type: string; status: number } {
  if (cause instanceof LibvirtError) return { type: PROBLEM.libvirt, status: 502 };
  if (cause instanceof GuestNotRunningError) return { type: PROBLEM.guestNotRunning, status: 502 };
  if (cause instanceof OvsError || cause instanceof OvsdbError) return { type: PROBLEM.ovsdb, status: 502 };
  if (cause instanceof ImageError) return { type: PROBLEM.image, status: 502 };
  return { type: PROBLEM.stepFailed, status: 500 };
}

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export function vmStepProblem(step: string, vm: VmLabel, cause: unknown): Problem {
  return {
    ...source(cause),
    title: 'Lifecycle step failed',
    detail: `step '${step}' failed for ${describeVm(vm)}: ${messageOf(cause)}`,
    step,
    vduInstanceId: vm.id,
    vduId: vm.vduId,
    ...(vm.hostName ? { host: vm.hostName } : {}),
    ...guestFacts(cause),
  };
}

/** What libvirt said of a guest that did not stay up, as fields a client can read without parsing the detail. */
function guestFacts(cause: unknown): Record<string, unknown> {
  if (!(cause instanceof GuestNotRunningError)) return {};
  return {
    domainName: cause.domainName,
    domainState: cause.power?.state ?? null,
    domainStateReason: cause.power?.reason ?? null,
    ...(cause.qemuLog ? { qemuLog: cause.qemuLog } : {}),
    ...(cause.consoleLog?.length ? { consoleLog: cause.consoleLog } : {}),
  };
}

export function stepProblem(step: string, cause: unknown): Problem {
  if (cause instanceof StepError) return cause.problem;
  return { ...source(cause), title: 'Lifecycle step failed', detail: `step '${step}' failed: ${messageOf(cause)}`, step };
}

export function noValidHostProblem(step: string, vm: VmLabel, explanation: NoValidHost): Problem {
  return {
    type: PROBLEM.noValidHost,
    title: 'No valid host',
    status: 409,
    detail: `${describeVm(vm)} cannot be placed: ${explanation.summary}`,
    step,
    vduInstanceId: vm.id,
    vduId: vm.vduId,
    reasonCounts: explanation.reasonCounts,
    hosts: explanation.hosts,
  };
}

export function invalidRequestProblem(step: string, detail: string, errors: readonly FieldProblem[] = []): Problem {
  return { type: PROBLEM.validation, title: 'Invalid request', status: 422, detail, step, errors: [...errors] };
}

/** The rollback failed: its own failure, with the failure that started it as `cause`. */
export function rollbackProblem(cause: unknown, original: Problem | null): Problem {
  const failure = stepProblem('rollback', cause);
  return { ...failure, title: 'Rollback failed', detail: `rollback failed: ${failure.detail}`, ...(original ? { cause: original } : {}) };
}

/** The operator's cancel took effect before `step` (null: before the first); a cancelled rollback keeps its cause. */
export function cancelledProblem(step: string | null, original: Problem | null): Problem {
  const where = step === null ? 'before its first step' : `before step '${step}'`;
  return {
    type: PROBLEM.cancelled,
    title: 'Operation cancelled',
    status: 409,
    detail: `cancelled by the operator ${where}: retry, roll back or fail it`,
    ...(step === null ? {} : { step }),
    ...(original ? { cause: original } : {}),
  };
}

export function notRollbackableProblem(operation: string, original: Problem | null): Problem {
  return {
    type: PROBLEM.rollbackNotSupported,
    title: 'Rollback not supported',
    status: 409,
    detail: `a ${operation} operation cannot be rolled back: retry it, or fail it`,
    ...(original ? { cause: original } : {}),
  };
}
