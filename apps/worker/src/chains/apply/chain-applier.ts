import type { ServiceChain } from '#vim/chains';
import { announce, chainEvent } from '../events.js';
import { installProblem } from '../problem.js';
import type { ChainChanges, ChainEventSink, ChainLog, ChainOpRecord, ChainRecord, ChainStore } from '../records.js';
import { steeredState } from '../steering/chain-state.js';
import { chainPlaces } from '../steering/rollout.js';
import { type ChainSteering, sharesGroupField } from '../steering/chain-steering.js';

export interface ChainApplierDeps {
  store: ChainStore;
  steering: ChainSteering;
  events: ChainEventSink;
  log: ChainLog;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An UPDATE's `operationParams.previous` (`{ spec, description }`), when it has the shape of a chain; the API wrote it, but older operations have none. */
export function previousOf(params: unknown): { spec: ServiceChain; description?: string | null } | undefined {
  const previous = isRecord(params) ? params.previous : undefined;
  if (!isRecord(previous) || !isRecord(previous.spec)) return undefined;
  const spec = previous.spec;
  const hopsOk = Array.isArray(spec.hops) && spec.hops.every((h) => isRecord(h) && Array.isArray(h.instances) && h.instances.every((i) => isRecord(i) && typeof i.vnfInstanceId === 'string'));
  if (typeof spec.name !== 'string' || !hopsOk || !isRecord(spec.ingress) || !isRecord(spec.egress) || !isRecord(spec.classifier)) return undefined;
  const description = previous.description;
  if (description !== undefined && description !== null && typeof description !== 'string') return { spec: spec as unknown as ServiceChain };
  return { spec: spec as unknown as ServiceChain, ...(description !== undefined && { description }) };
}

const isFinal = (op: ChainOpRecord) => op.operationState === 'COMPLETED' || op.operationState === 'FAILED';

/**
 * Runs the API's operations on a chain (apply-chain): CREATE and UPDATE install the chain as it
 * was accepted, DELETE removes its rules and its row. Holds the chain's lock throughout, so a
 * repair cannot interleave. A job that comes again for a finished operation does nothing.
 */
export class ChainApplier {
  constructor(private readonly deps: ChainApplierDeps) {}

  async apply(opId: string): Promise<ChainOpRecord | undefined> {
    const first = await this.deps.store.op(opId);
    if (!first || isFinal(first)) return first;
    return this.deps.store.exclusive(first.chainId, true, () => this.applyHeld(opId));
  }

  /** The operation's work, by a caller that holds the chain's lock already (a refresh resuming an operation whose job is gone). */
  async applyHeld(opId: string): Promise<ChainOpRecord | undefined> {
    const op = await this.deps.store.op(opId);
    if (!op || isFinal(op)) return op;
    const chain = await this.deps.store.chain(op.chainId);
    const processing = op.operationState === 'PROCESSING' ? op : await this.deps.store.setOpState(op.id, 'PROCESSING');
    if (processing !== op) await this.announce(processing, chain);
    if (op.operation === 'DELETE') return this.delete(processing, chain);
    if (!chain) return this.finish(processing, undefined, 'FAILED', { type: 'urn:vim:problem:not-found', title: 'No such chain', status: 404, detail: `chain ${op.chainId} no longer exists` });
    return this.install(processing, chain);
  }

  private async install(op: ChainOpRecord, chain: ChainRecord): Promise<ChainOpRecord> {
    const outcome = await this.deps.steering.steer(chain);
    let changes: ChainChanges = outcome.changes;
    if (outcome.problem && op.operation === 'UPDATE') changes = this.reverted(op, chain, outcome.problem.detail) ?? changes;
    const after = { ...chain, ...changes } as ChainRecord;
    if (outcome.problem) this.deps.log.warn(`chain ${chain.id} (${chain.name}) ${op.operation} failed: ${outcome.problem.detail}${changes.spec ? '; the chain as it was before is back' : ''}`);
    else this.deps.log.log(`chain ${chain.id} (${chain.name}) ${op.operation}: generation ${after.generation} installed, ${after.state}`);
    return this.finish(op, after, outcome.problem ? 'FAILED' : 'COMPLETED', outcome.problem, changes);
  }

  /**
   * A failed UPDATE puts the chain back as it was before the change (the API's
   * `operationParams.previous`), so no later repair installs the refused change. The rules from
   * before still run, so the state is theirs (ACTIVE or DEGRADED, saying the change was refused);
   * ERROR only when nothing is installed. Undefined when the operation has no usable `previous`.
   */
  private reverted(op: ChainOpRecord, chain: ChainRecord, detail: string): ChainChanges | undefined {
    const previous = previousOf(op.operationParams);
    if (!previous) {
      this.deps.log.warn(`chain ${chain.id} (${chain.name}) UPDATE ${op.id} has no usable operationParams.previous: the chain stays as changed, in ERROR`);
      return undefined;
    }
    const refused = `the last change was refused: ${detail}`;
    const running = chain.generation > 0 && chain.installed.length > 0 && chain.facts ? steeredState(previous.spec, chain.facts) : undefined;
    const state = running
      ? { state: running.state, stateReason: running.stateReason ? `${refused}; ${running.stateReason}` : refused }
      : { state: 'ERROR' as const, stateReason: `${refused}; no rules of the chain as it was before are installed` };
    return { ...state, spec: previous.spec, ...(previous.description !== undefined && { description: previous.description }) };
  }

  private async delete(op: ChainOpRecord, chain: ChainRecord | undefined): Promise<ChainOpRecord> {
    if (chain) {
      try {
        const hosts = await this.deps.store.inputs([], [...new Set(chainPlaces(chain).map((p) => p.host))]);
        const keepGroups = sharesGroupField(chain, await this.deps.store.otherChains(chain.id));
        await this.deps.steering.rollout(hosts.hosts).remove(chain, { keepGroups });
      } catch (error) {
        const problem = installProblem(error);
        const stateReason = `deleting the chain's rules failed (the chain stays until a delete succeeds): ${problem.detail}`;
        this.deps.log.warn(`chain ${chain.id} (${chain.name}) DELETE failed: ${problem.detail}`);
        return this.finish(op, { ...chain, state: 'ERROR', stateReason }, 'FAILED', problem, { state: 'ERROR', stateReason });
      }
      await this.deps.store.deleteChain(chain.id);
      this.deps.log.log(`chain ${chain.id} (${chain.name}) deleted from ${chain.installed.length} bridge(s)`);
    }
    return this.finish(op, undefined, 'COMPLETED');
  }

  private async finish(op: ChainOpRecord, chain: ChainRecord | undefined, state: 'COMPLETED' | 'FAILED', problem?: Record<string, unknown>, changes?: ChainChanges): Promise<ChainOpRecord> {
    const done = await this.deps.store.finishOp(op.id, state, problem ?? null, chain && changes ? { id: chain.id, changes } : undefined);
    await this.announce(done, chain);
    return done;
  }

  private announce(op: ChainOpRecord, chain: ChainRecord | undefined): Promise<void> {
    const state = chain ? { state: chain.state, stateReason: chain.stateReason } : { state: 'DELETED' as const, stateReason: null };
    return announce(this.deps.events, chainEvent(op, state), (m) => this.deps.log.warn(m));
  }
}
