import type { SpecProblem } from '#vim/naming';
import { PROBLEM, type ProblemDetails } from '#vim/problems';

/** A problem as kept in chain_op_occs.error and sent in ChainEvents. */
export type ChainProblem = ProblemDetails & { detail: string };

/** Chain-specific problem types (URNs, like libs/problems'). */
export const CHAIN_PROBLEM = {
  /** The switch refused the rules (ovs-ofctl's stderr quoted) or could not be reached. */
  install: 'urn:vim:problem:chain-install',
  /** The chain's rules cannot be installed from this worker (a switch on another machine). */
  unreachableSwitch: 'urn:vim:problem:chain-switch-unreachable',
} as const;

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** checkChain refused the chain as it now stands; each problem names its place in the chain with a JSON pointer. */
export function refusedProblem(problems: readonly SpecProblem[], detail: string): ChainProblem {
  return { type: PROBLEM.validation, title: 'The chain cannot be steered', status: 422, detail, errors: problems.map((p) => ({ path: p.path, message: p.message })) };
}

export function installProblem(cause: unknown): ChainProblem {
  if (cause instanceof UnreachableSwitchError) return { type: CHAIN_PROBLEM.unreachableSwitch, title: 'Switch not reachable from the worker', status: 502, detail: cause.message, host: cause.host };
  return { type: CHAIN_PROBLEM.install, title: "The chain's rules were not installed", status: 502, detail: messageOf(cause) };
}

/** The worker drives ovs-ofctl on its own machine only. */
export class UnreachableSwitchError extends Error {
  constructor(readonly host: string, remote: string) {
    super(`host ${host}'s switch (${remote}) is not on this worker's machine: chain rules are installed with ovs-ofctl on the local ovs-vswitchd only`);
  }
}
