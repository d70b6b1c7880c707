import { type ChainFacts, checkChain, groupField, type ServiceChain } from '#vim/chains';
import type { SpecProblem } from '#vim/naming';
import { type ChainProblem, installProblem, refusedProblem } from '../problem.js';
import type { ChainChanges, ChainDrivers, ChainRecord, ChainStore, HostSwitch, OtherChain } from '../records.js';
import { currentFacts } from './chain-facts.js';
import { problemsReason, steeredState } from './chain-state.js';
import { renderAt, Rollout } from './rollout.js';

/** What steering a chain came to: the chain's changes to store, and the operation's problem when it failed. */
export interface SteerOutcome {
  changes: ChainChanges;
  problem?: ChainProblem;
}

/** The chain as it can be steered now: its facts, and checkChain's problems with them. */
export interface Assessment {
  facts: ChainFacts;
  hosts: Map<string, HostSwitch>;
  problems: SpecProblem[];
}

/** Another tenant's chain is not named to this one's owner (stateReason, the operation's problem), as the API words it. */
export const ANOTHER_TENANTS_CHAIN = "another tenant's chain";

export function othersSeenBy(tenantId: string, others: readonly OtherChain[]): ServiceChain[] {
  return others.map((o) => ({ ...o.spec, name: o.tenantId === tenantId ? o.name : ANOTHER_TENANTS_CHAIN }));
}

/** An older live chain with this chain's group-id field (ids.ts): the chain is refused rather than share (and delete) that chain's groups. */
export function groupFieldProblems(chain: Pick<ChainRecord, 'tenantId' | 'cookie'>, others: readonly OtherChain[]): SpecProblem[] {
  const field = groupField(chain.cookie);
  const older = others.find((o) => o.cookie < chain.cookie && groupField(o.cookie) === field);
  if (!older) return [];
  const name = older.tenantId === chain.tenantId ? `chain '${older.name}'` : ANOTHER_TENANTS_CHAIN;
  return [{
    path: '',
    message: `its OpenFlow group ids would be those of ${name} (cookies ${older.cookie} and ${chain.cookie} are equal modulo 1048575, the group-id field), and each chain would delete the other's groups: delete this chain and create it again for a new cookie`,
  }];
}

/** Whether another live chain has this chain's group-id field (its deletion must leave those groups alone). */
export const sharesGroupField = (chain: Pick<ChainRecord, 'cookie'>, others: readonly OtherChain[]) => others.some((o) => groupField(o.cookie) === groupField(chain.cookie));

const failed = (stateReason: string, problem: ChainProblem): SteerOutcome => ({ changes: { state: 'ERROR', stateReason }, problem });

/**
 * Facts, check, render, install: what an API operation and a repair both do to a chain. Never
 * throws for the chain's or the switch's faults; they become the outcome's problem and the
 * chain's ERROR (the rules installed before stay, since a bundle is all or nothing).
 */
export class ChainSteering {
  constructor(
    private readonly store: ChainStore,
    private readonly drivers: ChainDrivers,
  ) {}

  async assess(chain: ChainRecord): Promise<Assessment> {
    const { facts, hosts } = await currentFacts(this.store, this.drivers, chain);
    const others = await this.store.otherChains(chain.id);
    const problems = [...checkChain(chain.spec, facts, othersSeenBy(chain.tenantId, others)), ...groupFieldProblems(chain, others)];
    return { facts, hosts, problems };
  }

  rollout(hosts: ReadonlyMap<string, HostSwitch>): Rollout {
    return new Rollout(this.drivers, hosts);
  }

  /** Installs the chain as a new generation (reads the facts first unless given). */
  async steer(chain: ChainRecord, assessed?: Assessment): Promise<SteerOutcome> {
    let assessment: Assessment;
    try {
      assessment = assessed ?? (await this.assess(chain));
    } catch (error) {
      const problem = installProblem(error);
      return failed(`the switch could not be read: ${problem.detail}`, problem);
    }
    const { facts, hosts, problems } = assessment;
    if (problems.length > 0) {
      const reason = problemsReason(problems);
      return failed(reason, refusedProblem(problems, reason));
    }
    try {
      const { generation, installed } = await this.rollout(hosts).install(chain, (g) => renderAt(chain.spec, chain.cookie, g, facts));
      return { changes: { ...steeredState(chain.spec, facts), generation, installed, facts } };
    } catch (error) {
      const problem = installProblem(error);
      return failed(`the rules were not installed (the rules installed before, if any, stay): ${problem.detail}`, problem);
    }
  }
}
