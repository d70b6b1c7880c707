import type { Job, Queue, QueueEvents } from 'bullmq';
import { PLACE_BATCH_JOB, type PlaceBatch, type PlaceBatchResult, type PlaceItem, type PlaceResult } from './jobs.js';

/** Runs one batch job and answers with its results; BullMQ in production, a fake in unit tests. */
export type BatchRunner = (batch: PlaceBatch) => Promise<PlaceResult[]>;

export interface PlacementClientOptions {
  /** Most items in one job. Default 64. */
  maxBatch?: number;
}

interface Waiting {
  item: PlaceItem;
  resolve: (result: PlaceResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Submits placements as batch jobs. Requests submitted in the same turn of the event loop share
 * one job, so under load the queue carries one job per burst instead of one per VM: on a small
 * machine the queue's own cost per job, not the decision, is what limits placements per second.
 * A lone request is sent at once (no timer), so batching adds no waiting.
 */
export class PlacementClient {
  private pending: Waiting[] = [];
  private scheduled = false;
  private readonly maxBatch: number;

  constructor(
    private readonly run: BatchRunner,
    options: PlacementClientOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
  }

  submit(item: PlaceItem): Promise<PlaceResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) void this.send(this.pending.splice(0, this.maxBatch));
  }

  private async send(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.run({ items: batch.map((w) => w.item) });
      if (results.length !== batch.length) throw new Error(`placement batch answered ${results.length} results for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      batch.forEach((w) => w.reject(error));
    }
  }
}

/**
 * Finished batch jobs are kept a minute: long enough for a waiter that registers after the job
 * finished to read its outcome from the job itself, short enough that a busy queue does not keep
 * every batch it ever ran in Redis (BullMQ's default).
 */
const BATCH_JOB_OPTIONS = { removeOnComplete: { age: 60 }, removeOnFail: { age: 24 * 3600 } };

/** A BatchRunner over a BullMQ placement queue: adds the job and waits for its result. */
export function bullmqBatchRunner(queue: Queue, events: QueueEvents, timeoutMs = 60_000): BatchRunner {
  return async (batch) => {
    const job = (await queue.add(PLACE_BATCH_JOB, batch, BATCH_JOB_OPTIONS)) as Job<PlaceBatch, PlaceBatchResult>;
    const { results } = (await job.waitUntilFinished(events, timeoutMs)) as PlaceBatchResult;
    return results;
  };
}
