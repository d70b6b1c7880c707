import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { createScheduler, type NoValidHost, type Placement, type PlacementRequest } from '../../../../libs/placement/src/index.js';
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
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = this.scheduler.place(request, await this.fleet.current());
      if (!result.ok) {
        // Before saying no, make sure the no is not an old picture's: others may have released.
        if (!refreshedForNoHost && this.fleet.age() > 1000) {
          refreshedForNoHost = true;
          await this.fleet.reload();
          continue;
        }
        return { ok: false, explanation: result.explanation, attempts: attempt };
      }
      const outcome = await claimPlacement(this.db, vduInstanceId, result.placement);
      if (outcome.claimed) {
        await this.fleet.apply(result.placement);
        return { ok: true, placement: result.placement, attempts: attempt };
      }
      await this.fleet.refreshHost(result.placement.hostId);
    }
    throw new Error(`placement of ${vduInstanceId} kept conflicting after ${MAX_ATTEMPTS} attempts`);
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
