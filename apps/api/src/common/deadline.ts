import type { JobsOptions, Queue } from 'bullmq';

/** How long a request waits for a queue to take a job. */
export const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * The promise's outcome, or a rejection with `message` after `ms`. A client that queues
 * commands while its server is away (BullMQ's never gives up) would otherwise hold the
 * request forever; the work itself is not cancelled, so callers must tolerate a late success.
 */
export function deadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}

/** Adds a job, or fails after ENQUEUE_TIMEOUT_MS when Redis does not take it (see deadline). */
export async function enqueue(queue: Queue, name: string, data: unknown, options: JobsOptions): Promise<void> {
  await deadline(queue.add(name, data, options), ENQUEUE_TIMEOUT_MS, `the ${queue.name} queue did not take the job within ${ENQUEUE_TIMEOUT_MS} ms`);
}
