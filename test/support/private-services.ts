import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';

// Redis and Postgres of a suite's own, on loopback ports of their own with data in a temporary
// folder, for tests that restart or stop them: the shared services from deploy/local carry other
// engineers' and the user's work and are never touched.

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, probe: () => Promise<unknown>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** `appendonly`: BullMQ's production settings (append-only file, noeviction); else no persistence at all, as deploy/local once ran it. */
export class PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'vim-redis-'));
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly appendonly: boolean,
  ) {}

  static async start(appendonly: boolean): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), appendonly);
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const persistence = this.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'] : ['--appendonly', 'no'];
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', ...persistence], { stdio: 'ignore' });
    await until(`redis on ${this.port}`, async () => {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    });
  }

  /** SIGTERM shuts down cleanly (the append-only file is flushed); SIGKILL is a crash. */
  async down(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.down(signal);
    await this.up();
  }

  async stop(): Promise<void> {
    await this.down('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Postgres 15 cluster of its own (postgres refuses to run as root: it runs as the postgres user, in a folder it owns). */
export class PrivatePostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'vim-pg-'));
  private readonly data = join(this.dir, 'data');

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivatePostgres> {
    const server = new PrivatePostgres(await freePort());
    chownSync(server.dir, ...(await postgresIds()));
    await server.asPostgres('initdb', ['-D', server.data, '-U', 'vim', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await server.up();
    return server;
  }

  url(database: string): string {
    return `postgres://vim@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(name: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
  }

  async up(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.asPostgres('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
  }

  /** Fast shutdown: every connection is cut, as when the server goes away under the app. */
  async down(): Promise<void> {
    await this.asPostgres('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.asPostgres('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async asPostgres(tool: string, args: string[]): Promise<void> {
    await run('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args], { cwd: this.dir });
  }
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout } = await run('id', ['postgres']);
  const uid = Number(/uid=(\d+)/.exec(stdout)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(stdout)?.[1]);
  return [uid, gid];
}
