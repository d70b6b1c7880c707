export { ConfigModule } from './config.module.js';
export { DatabaseModule } from './database.module.js';
export { RedisClient, RedisModule } from './redis.module.js';
export { createLogger, PinoNestLogger } from './logger.js';
export { WORKER_BEAT_MS, WORKER_LEASE_MS, WorkerRegistry } from './worker-registry.js';
export { discoveryJob, QUEUES, QueueRootModule } from './queues.js';
export { loadConfigOrExit } from './startup.js';
