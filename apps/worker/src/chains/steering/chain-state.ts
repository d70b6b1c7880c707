import type { ChainFacts, ServiceChain } from '#vim/chains';
import type { SpecProblem } from '#vim/naming';
import type { ChainStateName } from '../records.js';

/** ACTIVE when every hop has a live instance; DEGRADED, saying which hops and what the failMode does, when not. */
export function steeredState(spec: ServiceChain, facts: ChainFacts): { state: ChainStateName; stateReason: string | null } {
  const dead = spec.hops.flatMap((hop, index) => (hop.instances.some((inst) => facts.instances[inst.vnfInstanceId]?.live) ? [] : [index]));
  if (dead.length === 0) return { state: 'ACTIVE', stateReason: null };
  const which = dead.map((index) => `hop ${index} (${spec.hops[index]!.instances.map((i) => i.vnfInstanceId).join(', ')})`).join(', ');
  const effect = (spec.failMode ?? 'closed') === 'closed'
    ? "failMode closed: the chain's traffic is dropped where it would enter the first of them"
    : "failMode open: the chain's traffic skips them";
  return { state: 'DEGRADED', stateReason: `no live instance in ${which}; ${effect}` };
}

export const REFUSED_PREFIX = 'the chain cannot be steered: ';

/** checkChain's problems as one line for stateReason. */
export function problemsReason(problems: readonly SpecProblem[]): string {
  return `${REFUSED_PREFIX}${problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ')}`;
}
