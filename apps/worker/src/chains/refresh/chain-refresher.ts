import { chainCounters, type ChainFacts, type RefreshChainsJob } from '#vim/chains';
import { isDeepStrictEqual } from 'node:util';
import { announce, chainEvent } from '../events.js';
import { installProblem, refusedProblem } from '../problem.js';
import type { ChainChanges, ChainDrivers, ChainEventSink, ChainLog, ChainOpRecord, ChainRecord, ChainStore, RepairParams } from '../records.js';
import { problemsReason, REFUSED_PREFIX } from '../steering/chain-state.js';
import { type Assessment, ChainSteering } from '../steering/chain-steering.js';
import { passDrivers } from '../steering/pass-drivers.js';
import { type Drift, driftTotal, renderAt, type Rendering } from '../steering/rollout.js';

export interface ChainRefresherDeps {
  store: ChainStore;
  drivers: ChainDrivers;
  events: ChainEventSink;
  log: ChainLog;
  now?: () => Date;
  /**
   * Runs an API operation (CREATE, UPDATE, DELETE) that has waited longer than `resumeAfterMs`,
   * holding the chain's lock: its apply-chain job is lost (Redis lost it, or the job failed after
   * a worker died). Without it such a chain waits forever.
   */
  resume?: (opId: string) => Promise<unknown>;
  resumeAfterMs?: number;
}

/** What one chain's refresh did. */
export type RefreshResult = 'unchanged' | 'repaired' | 'repair-failed' | 'resumed' | 'busy' | 'skipped' | 'failed';

export interface RefreshSummary {
  chains: number;
  results: Record<RefreshResult, number>;
}

/** An ERROR from checkChain's problems, which are gone now: the chain can be steered again. */
const wasRefused = (chain: ChainRecord) => chain.state === 'ERROR' && (chain.stateReason ?? '').startsWith(REFUSED_PREFIX);

const ABANDONED = {
  type: 'urn:vim:problem:chain-install',
  title: 'Repair abandoned',
  status: 500,
  detail: 'the worker running this repair stopped before it finished; the next check repairs the chain again',
};

const NO_DRIFT: Drift = { missingFlows: 0, extraFlows: 0, missingGroups: 0, extraGroups: 0 };

function safeRender(chain: ChainRecord, facts: ChainFacts | null): Rendering | undefined {
  if (!facts) return undefined;
  try {
    return renderAt(chain.spec, chain.cookie, chain.generation, facts);
  } catch {
    return undefined;
  }
}

/**
 * refresh-chains: brings each chain's rules back to what its instances and the switch now call for.
 * A chain is reinstalled (a REPAIR operation, as a new generation) when its rendering changed
 * (an instance healed, terminated or crashed; a port renumbered) or the switch drifted from it
 * (rules lost when ovs-vswitchd restarted, a rule removed by hand); its counters are read on
 * every pass. A chain busy with another operation (or whose lock another worker holds) waits
 * for the next pass.
 */
export class ChainRefresher {
  private readonly now: () => Date;

  constructor(private readonly deps: ChainRefresherDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async refresh(job: RefreshChainsJob): Promise<RefreshSummary> {
    const ids = await this.deps.store.chainIds(job.vnfInstanceId);
    const steering = new ChainSteering(this.deps.store, passDrivers(this.deps.drivers));
    const results: RefreshSummary['results'] = { unchanged: 0, repaired: 0, 'repair-failed': 0, resumed: 0, busy: 0, skipped: 0, failed: 0 };
    for (const id of ids) {
      let result: RefreshResult;
      try {
        // A triggered refresh waits for the lock (its holder, say the periodic check, may have read
        // the instance before the change that triggered it); the periodic check skips a locked chain.
        result = (await this.deps.store.exclusive(id, job.vnfInstanceId !== undefined, () => this.refreshOne(steering, id, job.reason))) ?? 'busy';
      } catch (error) {
        this.deps.log.warn(`chain ${id} not refreshed (${job.reason}): ${error instanceof Error ? error.message : String(error)}`);
        result = 'failed';
      }
      results[result]++;
    }
    return { chains: ids.length, results };
  }

  private async refreshOne(steering: ChainSteering, chainId: string, reason: string): Promise<RefreshResult> {
    const chain = await this.deps.store.chain(chainId);
    if (!chain || chain.state === 'DELETING') return 'skipped';
    const waiting = await this.unfinished(chain);
    if (waiting) return waiting;
    let assessment: Assessment;
    try {
      assessment = await steering.assess(chain);
    } catch (error) {
      this.deps.log.warn(`chain ${chain.id} (${chain.name}): switch not read (${reason}): ${installProblem(error).detail}`);
      return 'failed';
    }
    if (assessment.problems.length > 0) return this.refused(chain, assessment, reason);
    const expected = renderAt(chain.spec, chain.cookie, chain.generation, assessment.facts);
    const rollout = steering.rollout(assessment.hosts);
    const drift = chain.generation === 0 ? NO_DRIFT : await rollout.drift(chain, expected);
    const renderingChanged = chain.generation === 0 || !isDeepStrictEqual(safeRender(chain, chain.facts), expected);
    let result: RefreshResult = 'unchanged';
    if (renderingChanged || driftTotal(drift) > 0 || wasRefused(chain)) {
      result = await this.repair(steering, chain, assessment, { reason, drift, renderingChanged });
    } else if (!isDeepStrictEqual(chain.facts, assessment.facts)) {
      await this.deps.store.updateChain(chain.id, { facts: assessment.facts });
    }
    await this.readCounters(steering, chainId, assessment);
    return result;
  }

  /**
   * An operation unfinished while this worker holds the chain's lock is running nowhere: a REPAIR
   * (only ever PROCESSING under the lock) was left by a worker that died, and is failed; an API
   * operation is resumed once it has waited longer than a queued job would, else the chain is busy.
   */
  private async unfinished(chain: ChainRecord): Promise<RefreshResult | undefined> {
    for (const op of await this.deps.store.unfinishedOps(chain.id)) {
      if (op.operation === 'REPAIR') {
        await this.announce(await this.deps.store.setOpState(op.id, 'FAILED', ABANDONED), chain);
        continue;
      }
      const waited = this.now().getTime() - new Date(op.stateEnteredTime).getTime();
      if (!this.deps.resume || waited < (this.deps.resumeAfterMs ?? 30_000)) return 'busy';
      this.deps.log.warn(`chain ${chain.id} (${chain.name}): ${op.operation} operation ${op.id} ${op.operationState} for ${Math.round(waited / 1000)} s with no worker on it; running it now`);
      await this.deps.resume(op.id);
      return 'resumed';
    }
    return undefined;
  }

  /** The chain cannot be steered as things are: ERROR with the reasons, once (not again while they stay the same). */
  private async refused(chain: ChainRecord, assessment: Assessment, reason: string): Promise<RefreshResult> {
    const stateReason = problemsReason(assessment.problems);
    if (chain.state === 'ERROR' && chain.stateReason === stateReason) return 'unchanged';
    const op = await this.deps.store.startRepair(chain, { reason, drift: NO_DRIFT, renderingChanged: true });
    if (!op) return 'busy';
    this.deps.log.warn(`chain ${chain.id} (${chain.name}) cannot be steered any more (${reason}): ${stateReason}`);
    await this.finish(op, { ...chain, state: 'ERROR', stateReason }, refusedProblem(assessment.problems, stateReason), { state: 'ERROR', stateReason });
    return 'repair-failed';
  }

  private async repair(steering: ChainSteering, chain: ChainRecord, assessment: Assessment, params: RepairParams): Promise<RefreshResult> {
    if (chain.generation === 0 && chain.state === 'PENDING') return 'skipped'; // its CREATE has not run yet
    const op = await this.deps.store.startRepair(chain, params);
    if (!op) return 'busy';
    const outcome = await steering.steer(chain, assessment);
    // Failed again as the last time (the same refused bundle, the same unreachable switch): keyed
    // by the reason like refused(), so a chain the switch keeps refusing is not a new FAILED REPAIR every pass.
    if (outcome.problem && chain.state === 'ERROR' && chain.stateReason === outcome.changes.stateReason) {
      await this.deps.store.discardRepair(op.id);
      return 'repair-failed';
    }
    await this.announce(op, chain);
    const d = params.drift;
    this.deps.log.warn(
      `chain ${chain.id} (${chain.name}) repaired (${params.reason}): ${params.renderingChanged ? 'rendering changed, ' : ''}` +
        `${d.missingFlows} flow(s) missing, ${d.extraFlows} extra, ${d.missingGroups} group(s) missing, ${d.extraGroups} extra` +
        `${outcome.problem ? `; the reinstallation failed: ${outcome.problem.detail}` : `; generation ${outcome.changes.generation} installed, ${outcome.changes.state}`}`,
    );
    await this.finish(op, { ...chain, ...outcome.changes } as ChainRecord, outcome.problem, { ...outcome.changes, ...(!outcome.problem && { repaired: true as const }) });
    return outcome.problem ? 'repair-failed' : 'repaired';
  }

  /** Counters are a courtesy too: a switch that cannot be read now is read on the next pass. */
  private async readCounters(steering: ChainSteering, chainId: string, assessment: Assessment): Promise<void> {
    const chain = await this.deps.store.chain(chainId);
    if (!chain || chain.installed.length === 0) return;
    try {
      const dumps = await steering.rollout(assessment.hosts).flowStats(chain);
      await this.deps.store.updateChain(chain.id, { counters: chainCounters(chain.spec, chain.facts ?? assessment.facts, chain.cookie, dumps, this.now()) });
    } catch (error) {
      this.deps.log.warn(`chain ${chain.id} (${chain.name}): counters not read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async finish(op: ChainOpRecord, chain: ChainRecord, problem?: Record<string, unknown>, changes?: ChainChanges): Promise<void> {
    const done = await this.deps.store.finishOp(op.id, problem ? 'FAILED' : 'COMPLETED', problem ?? null, changes && { id: chain.id, changes });
    await this.announce(done, chain);
  }

  private announce(op: ChainOpRecord, chain: ChainRecord): Promise<void> {
    return announce(this.deps.events, chainEvent(op, chain), (m) => this.deps.log.warn(m));
  }
}
