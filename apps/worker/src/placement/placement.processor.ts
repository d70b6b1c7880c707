import { setTimeout as sleep } from 'node:timers/promises';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '#vim/config';
import { createScheduler, type Scheduler } from '#vim/placement';
import { QUEUES } from '#vim/platform';
import { PLACE_BATCH_JOB, type PlaceBatch, type PlaceBatchResult, type PlaceItem, type PlaceResult } from '#vim/placement-queue';
import { claimPlacements, loadClaimedPlacements } from '#vim/placement-store';
import { ClaimBatcher } from './claim-batcher.js';
import { FleetCache } from './fleet-cache.js';

import { PlacementPeers } from './placement-peers.js';
import { PlacementRound } from './placement-round.js';

/**
 * Each round that does not settle a VM means another worker claimed first or was claiming on the
 * chosen host right then; this bounds a livelock, not contention.
 */
const MAX_ROUNDS = 500;

/**
 * `place-batch` decides where each VM goes and claims the concrete resources in Postgres, all of
 * a round's decisions in one transaction. A decision whose claim conflicts is made again on
 * fresh data for that host; a job that runs twice finds its claims and changes nothing.
 */
@Processor(QUEUES.placement)
export class PlacementProcessor extends WorkerHost implements OnApplicationBootstrap {
  /** Long-lived: it keeps a column store of the fleet and per-shape results between jobs. */
  private readonly scheduler: Scheduler;
  private readonly claims: ClaimBatcher;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly fleet: FleetCache,
    private readonly peers: PlacementPeers,
  ) {
    super();
    this.claims = new ClaimBatcher((items) => claimPlacements(db, items));
    // Workers start their name order at different hosts: on equal hosts they would otherwise all
    // pick the same one and lose most claims to each other.
    this.scheduler = createScheduler({ strategy: config.PLACEMENT_STRATEGY, tieBreakOffset: Math.floor(Math.random() * 2 ** 31) });
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.PLACEMENT_CONCURRENCY;
  }

  async process(job: Job<PlaceBatch>): Promise<PlaceBatchResult> {
    if (job.name !== PLACE_BATCH_JOB) throw new Error(`unknown job '${job.name}' on queue ${QUEUES.placement}`);
    return { results: await this.place(job.data.items) };
  }

  async place(items: readonly PlaceItem[]): Promise<PlaceResult[]> {
    const results = new Map<string, PlaceResult>();
    // The same VM twice in a batch is placed once; both get that answer.
    const open = [...new Map(items.map((i) => [i.vduInstanceId, i])).values()];
    const round = new PlacementRound(this.fleet, this.scheduler, this.peers.part(), open);
    for (let rounds = 1; round.undecided() > 0; rounds++) {
      if (rounds > MAX_ROUNDS) throw new Error(`placement kept conflicting for ${MAX_ROUNDS} rounds; the last: ${round.lastConflict}`);
      await round.decide(results);
      const settled = await this.claim(round, results);
      // Nothing settled: every chosen host was busy. A short random pause lets those claims commit.
      if (settled === 0 && round.undecided() > 0) await sleep(1 + Math.random() * 4);
    }
    // A VM placed by an earlier run of this job is found when its claim is written; on a fleet
    // that is now full it is refused before that, so a refusal looks for earlier claims first.
    const refused = [...results].flatMap(([vm, r]) => (r.ok ? [] : [vm]));
    if (refused.length > 0) await this.answerPlacedEarlier(refused, results, { onlyFound: true });
    return items.map((i) => results.get(i.vduInstanceId)!);
  }

  /** Claims the round's decisions; returns how many VMs it settled. */
  private async claim(round: PlacementRound, results: Map<string, PlaceResult>): Promise<number> {
    const decided = round.takeDecided();
    if (decided.length === 0) return 0;
    const outcomes = await this.claims.submit(decided).catch(async (error: unknown) => {
      await round.settle(decided, decided.map(() => ({ claimed: false, reason: String(error) })));
      throw error;
    });
    const committedAt = Date.now();
    await round.settle(decided, outcomes);
    const placedEarlier: string[] = [];
    let settled = 0;
    decided.forEach(({ vduInstanceId, placement }, k) => {
      const outcome = outcomes[k]!;
      if (outcome.claimed) results.set(vduInstanceId, { ok: true, placement, attempts: round.attemptsOf(vduInstanceId), committedAt });
      else if (outcome.alreadyPlaced) placedEarlier.push(vduInstanceId);
      else return;
      round.close(vduInstanceId);
      settled++;
    });
    if (placedEarlier.length > 0) await this.answerPlacedEarlier(placedEarlier, results, { onlyFound: false });
    return settled;
  }

  /** Another run of the same job placed these: answer with what it claimed. */
  private async answerPlacedEarlier(vms: string[], results: Map<string, PlaceResult>, { onlyFound }: { onlyFound: boolean }): Promise<void> {
    const held = await loadClaimedPlacements(this.db, vms);
    for (const vm of vms) {
      const placement = held.get(vm);
      if (!placement && onlyFound) continue;
      if (!placement) throw new Error(`VM ${vm} is placed on a host but holds no claims`);
      results.set(vm, { ok: true, placement, attempts: 0, committedAt: Date.now(), alreadyPlaced: true });
    }
  }
}
