import { announce, chainEvent } from '../events.js';
import { installProblem } from '../problem.js';
import type { ChainEventSink, ChainLog, ChainOpRecord, ChainRecord, ChainStore } from '../records.js';
import type { ChainSteering } from '../steering/chain-steering.js';

export interface ChainApplierDeps {
  store: ChainStore;
  steering: ChainSteering;
  events: ChainEventSink;
  log: ChainLog;
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
    await this.deps.store.updateChain(chain.id, outcome.changes);
    const after = { ...chain, ...outcome.changes } as ChainRecord;
    if (outcome.problem) this.deps.log.warn(`chain ${chain.id} (${chain.name}) ${op.operation} failed: ${outcome.problem.detail}`);
    else this.deps.log.log(`chain ${chain.id} (${chain.name}) ${op.operation}: generation ${after.generation} installed, ${after.state}`);
    return this.finish(op, after, outcome.problem ? 'FAILED' : 'COMPLETED', outcome.problem);
  }

  private async delete(op: ChainOpRecord, chain: ChainRecord | undefined): Promise<ChainOpRecord> {
    if (chain) {
      try {
        const hosts = await this.deps.store.inputs([], chain.installed.map((i) => i.host));
        await this.deps.steering.rollout(hosts.hosts).remove(chain);
      } catch (error) {
        const problem = installProblem(error);
        const stateReason = `deleting the chain's rules failed (the chain stays until a delete succeeds): ${problem.detail}`;
        await this.deps.store.updateChain(chain.id, { state: 'ERROR', stateReason });
        this.deps.log.warn(`chain ${chain.id} (${chain.name}) DELETE failed: ${problem.detail}`);
        return this.finish(op, { ...chain, state: 'ERROR', stateReason }, 'FAILED', problem);
      }
      await this.deps.store.deleteChain(chain.id);
      this.deps.log.log(`chain ${chain.id} (${chain.name}) deleted from ${chain.installed.length} bridge(s)`);
    }
    return this.finish(op, undefined, 'COMPLETED');
  }

  private async finish(op: ChainOpRecord, chain: ChainRecord | undefined, state: 'COMPLETED' | 'FAILED', problem?: Record<string, unknown>): Promise<ChainOpRecord> {
    const done = await this.deps.store.setOpState(op.id, state, problem ?? null);
    await this.announce(done, chain);
    return done;
  }

  private announce(op: ChainOpRecord, chain: ChainRecord | undefined): Promise<void> {
    const state = chain ? { state: chain.state, stateReason: chain.stateReason } : { state: 'DELETED' as const, stateReason: null };
    return announce(this.deps.events, chainEvent(op, state), (m) => this.deps.log.warn(m));
  }
}
