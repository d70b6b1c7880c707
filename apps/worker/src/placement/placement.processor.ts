import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { createScheduler, type HostSnapshot, type NoValidHost, type Placement, type PlacementRequest } from '../../../../libs/placement/src/index.js';
import { claimPlacement } from '../../../../libs/placement-store/src/index.js';
import { QUEUES } from '../../../../libs/platform/src/index.js';
import { FleetCache } from './fleet-cache.js';

export interface PlaceJob {
  vduInstanceId: string;
  request: PlacementRequest;
}

export type PlaceResult =
  | { ok: true; placement: Placement; attempts: number; alreadyPlaced?: boolean }
  | { ok: false; explanation: NoValidHost; attempts: number };

/**
 * Up to RETRY_SUBSET hosts picked at random. Small on purpose: on a fleet of equal hosts the
 * winner of a large sample is the same host for everyone (ties go by name).
 */
function randomPart(fleet: readonly HostSnapshot[], lost: ReadonlySet<string>): HostSnapshot[] {
  const others = fleet.filter((h) => !lost.has(h.hostId));
  if (others.length <= RETRY_SUBSET) return others;
  const picked = new Set<number>();
  while (picked.size < RETRY_SUBSET) picked.add(Math.floor(Math.random() * others.length));
  return [...picked].map((i) => others[i]);
}

const RETRY_SUBSET = 32;

/** Each conflict means another worker claimed first, so the fleet moved on; this bounds a livelock, not contention. */
const MAX_ATTEMPTS = 50;

/**
 * `place` decides where a VM goes and claims the concrete resources in Postgres. A decision whose
 * claim conflicts is made again on fresh data for that host; a job that runs twice finds its
 * claims and changes nothing.
 */
@Processor(QUEUES.placement)
export class PlacementProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly scheduler;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly fleet: FleetCache,
  ) {
    super();
    this.scheduler = createScheduler({ strategy: config.PLACEMENT_STRATEGY });
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.PLACEMENT_CONCURRENCY;
  }

  async process(job: Job<PlaceJob>): Promise<PlaceResult> {
    if (job.name !== 'place') throw new Error(`unknown job '${job.name}' on queue ${QUEUES.placement}`);
    return this.place(job.data);
  }

  async place({ vduInstanceId, request }: PlaceJob): Promise<PlaceResult> {
    const existing = await this.existingPlacement(vduInstanceId);
    if (existing) return { ok: true, placement: existing, attempts: 0, alreadyPlaced: true };
    let refreshedForNoHost = false;
    // After losing a race, other workers deciding on the same picture are busy where this job
    // looked: retry on a random part of the other hosts (Nova's host_subset_size, only after a loss).
    const lost = new Set<string>();
    let lastConflict = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const fleet = await this.fleet.current();
      let result = this.scheduler.place(request, lost.size > 0 ? randomPart(fleet, lost) : fleet);
      if (!result.ok && lost.size > 0) result = this.scheduler.place(request, fleet);
      if (!result.ok) {
        // Before saying no, make sure the no is not an old picture's: others may have released.
        if (!refreshedForNoHost && this.fleet.age() > 1000) {
          refreshedForNoHost = true;
          await this.fleet.reload();
          continue;
        }
        return { ok: false, explanation: result.explanation, attempts: attempt };
      }
      if (!this.fleet.reserve(result.placement)) {
        lastConflict = `the cached picture of host ${result.placement.hostId} no longer had the chosen resources`;
        await this.fleet.refreshHost(result.placement.hostId);
        continue;
      }
      const outcome = await claimPlacement(this.db, vduInstanceId, result.placement).catch(async (error: unknown) => {
        await this.fleet.settle(result.placement, false);
        throw error;
      });
      await this.fleet.settle(result.placement, outcome.claimed);
      if (outcome.claimed) return { ok: true, placement: result.placement, attempts: attempt };
      lastConflict = outcome.reason;
      lost.add(result.placement.hostId);
    }
    throw new Error(`placement of ${vduInstanceId} kept conflicting after ${MAX_ATTEMPTS} attempts; the last: ${lastConflict}`);
  }

  /** The claims a VM already holds, as a Placement, so a re-run job returns the same answer. */
  private async existingPlacement(vduInstanceId: string): Promise<Placement | undefined> {
    const rows = (await this.db.query(
      `SELECT c."hostId", c.kind, c."resourceKey", c."numaCell", c.amount, v."numaCell" AS "vmCell"
       FROM resource_claims c JOIN vdu_instances v ON v.id = c."vduInstanceId" WHERE c."vduInstanceId" = $1
       ORDER BY c."portIndex" NULLS FIRST, CASE WHEN c.kind = 'CPU' THEN c."resourceKey"::int END`,
      [vduInstanceId],
    )) as { hostId: string; kind: string; resourceKey: string; numaCell: number; amount: number; vmCell: number }[];
    if (rows.length === 0) return undefined;
    const of = (kind: string) => rows.filter((r) => r.kind === kind);
    const pages = of('HUGEPAGES')[0];
    return {
      hostId: rows[0].hostId,
      cellId: rows[0].vmCell,
      cpus: of('CPU').map((r) => Number(r.resourceKey)),
      memoryMb: of('MEMORY')[0]?.amount ?? 0,
      hugepages: pages ? { pageSizeKb: Number(pages.resourceKey.split('/')[1]), count: pages.amount } : undefined,
      pmdQueues: of('PMD_QUEUE').map((r) => ({ cpuId: Number(r.resourceKey.split('/')[0]), slot: Number(r.resourceKey.split('/')[1]) })),
      vfs: of('VF').map((r) => ({ pciAddress: r.resourceKey, physnet: '', cellId: r.numaCell, pfPciAddress: '' })),
      score: 0,
    };
  }
}
