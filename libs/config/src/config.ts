import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting the api and worker read from the environment, with the defaults that match
 * deploy/local. Read once at start-up; a bad value stops the process with a list of problems.
 */
export class AppConfig {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://vim:vim@127.0.0.1:5432/vim';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsString()
  API_HOST = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  API_PORT = 3000;

  /** Largest VNFD document accepted, in bytes; larger ones get 413. */
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  VNFD_MAX_BYTES = 1024 * 1024;

  /** Largest body of any other request, in bytes. */
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  API_MAX_BODY_BYTES = 64 * 1024;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Prefix of every BullMQ key, so several deployments can share one Redis. */
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'QUEUE_PREFIX must be 1-32 of a-z, 0-9 and -' })
  QUEUE_PREFIX = 'vim';

  /** How often every host is rediscovered; 0 turns the periodic refresh off (discovery on demand only). */
  @IsInt()
  @Min(0)
  @Max(86_400)
  INVENTORY_REFRESH_SECONDS = 60;

  /** pack fills hosts before using new ones; spread balances load across hosts. */
  @IsIn(['pack', 'spread'])
  PLACEMENT_STRATEGY: 'pack' | 'spread' = 'pack';

  /** Placement jobs one worker runs at once (they wait on Postgres, not on the CPU). */
  @IsInt()
  @Min(1)
  @Max(256)
  PLACEMENT_CONCURRENCY = 8;

  /** How old a worker's cached picture of the fleet may get before it is reread. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  PLACEMENT_SNAPSHOT_TTL_MS = 5000;

  /**
   * How long a launch watches the guest it started: the domain must still run then. A failing
   * nested KVM halts the guest in its firmware, which hands over to the boot loader about 1.6 s
   * after start under KVM (measured); 0 checks once, at once.
   */
  @IsInt()
  @Min(0)
  @Max(60_000)
  LCM_GUEST_CHECK_MS = 2000;

  /** How often the worker records what libvirt says of each VM's state (paused, crashed, shut off); 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(86_400)
  VM_STATE_SYNC_SECONDS = 10;

  /**
   * How often each worker looks for open lifecycle operations whose job the queue lost (and
   * re-creates it); also at start-up and soon after Redis comes back. 0 turns the reconciler off.
   */
  @IsInt()
  @Min(0)
  @Max(86_400)
  RECONCILE_INTERVAL_SECONDS = 30;

  /**
   * How often the worker checks every service chain against its instances and the switches (and
   * repairs drift, reads counters); a BullMQ job scheduler, so one check per interval whatever the
   * number of workers. 0 turns the periodic check off (lifecycle events still trigger one).
   */
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  CHAIN_CHECK_INTERVAL_MS = 10_000;

  /** Requests one token may make per minute; more get 429. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 1200;

  /**
   * The dashboard's built files (npm run build:dashboard), served at `/`. The default is the
   * checkout's dist/dashboard, found from where the api runs (dist/ or another build folder alike).
   */
  @Matches(/^\//, { message: 'DASHBOARD_DIR must be an absolute path' })
  DASHBOARD_DIR = join(repoRoot(), 'dist', 'dashboard');

  /** When set, an admin token of the default tenant with this secret exists (README: "First token"). */
  @IsOptional()
  @Matches(/^vim_[A-Za-z0-9_-]{43}$/, { message: 'BOOTSTRAP_ADMIN_TOKEN must be a token secret (vim_ and 43 URL-safe characters)' })
  BOOTSTRAP_ADMIN_TOKEN: string | undefined = undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const NUMERIC_KEYS = new Set(['API_PORT', 'VNFD_MAX_BYTES', 'API_MAX_BODY_BYTES', 'RATE_LIMIT_PER_MINUTE', 'INVENTORY_REFRESH_SECONDS', 'PLACEMENT_CONCURRENCY', 'PLACEMENT_SNAPSHOT_TTL_MS', 'RECONCILE_INTERVAL_SECONDS',
  'LCM_GUEST_CHECK_MS', 'VM_STATE_SYNC_SECONDS', 'CHAIN_CHECK_INTERVAL_MS']);
const SECRET_KEYS = new Set(['BOOTSTRAP_ADMIN_TOKEN']);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defaults = new AppConfig();
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] = NUMERIC_KEYS.has(key) && /^\d+$/.test(value) ? Number(value) : value;
  }
  const config = Object.assign(defaults, plainToInstance(AppConfig, raw));
  const errors = validateSync(config);
  if (errors.length > 0) {
    throw new ConfigError(
      errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}=${SECRET_KEYS.has(e.property) ? '[redacted]' : JSON.stringify(env[e.property])}: ${m}`)),
    );
  }
  return config;
}
