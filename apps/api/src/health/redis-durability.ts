/**
 * What BullMQ's production guidance asks of Redis: an append-only file, so a restart keeps the
 * queued jobs, and no eviction, so Redis never drops a job's keys to make room.
 */
export const REDIS_DURABILITY = { appendonly: 'yes', 'maxmemory-policy': 'noeviction' } as const;

/** Each setting that differs from REDIS_DURABILITY, named with what it is and what it should be. */
export function durabilityProblems(settings: Record<string, string | undefined>): string[] {
  return Object.entries(REDIS_DURABILITY).flatMap(([name, wanted]) =>
    settings[name] === wanted ? [] : [`${name} is ${settings[name] ?? 'unknown'}, should be ${wanted}`],
  );
}
