/** Redis key prefix under which each running worker refreshes a short-lived heartbeat. */
export const WORKER_HEARTBEAT_PREFIX = 'vim:workers:';
