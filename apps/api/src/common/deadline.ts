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
