// npm run bench:placement: sustained placement throughput and request-to-committed-claim latency
// on simulated fleets of 1,000 and 10,000 hosts, with 1 and 4 worker processes. Prints a table and
// writes it to docs/benchmarks.md. Needs the services from deploy/local and `npm run build`.
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { Queue, QueueEvents } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { PlacementRequest } from '#vim/placement';
import { bullmqBatchRunner, type PlaceResult, PlacementClient } from '#vim/placement-queue';
import { insertVms } from '../support/fleet-fixture.js';
import { spawnApp, stopProcess, WORKER_MAIN } from '../support/processes.js';
import { sampleCpu } from './cpu-sample.js';
import { fillFleet } from './fleet.js';
import { BENCH_POSTGRES, recreateBenchDatabase, writeBenchmarkSection } from './report.js';
import { markdownTable, percentile } from './stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE = 'vim_bench';
const FLEETS = (process.env.BENCH_FLEETS ?? '1000,10000').split(',').map(Number);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,4').split(',').map(Number);
// Requests offered per second: the target rate, and one below saturation for latency alone.
const RATES = (process.env.BENCH_RATES ?? '1000,500').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP = 200;
// Workers and the client reach their steady state only after tens of seconds at the measured
// rate (V8 is still compiling the per-job code of BullMQ, ioredis and pg): with 2 s the 4 workers
// used 0.7-0.8 cores and p99 was 50-60 ms, with 30 s 0.45-0.55 cores and 28-38 ms. Measuring
// start-up is not measuring a placement service, which runs for days.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 30);
/** ...but the warm-up leaves the fleet at most this full (a small fleet would fill up first). */
const WARMUP_VMS_PER_HOST = 10;
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the workers.
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** The mixed stream: a quarter each of pinned, hugepage, SR-IOV and vhost-user VMs. */
function request(i: number): PlacementRequest {
  const base = { requestId: `r${i}`, vcpus: 2, memoryMb: 2048, virtioPorts: 0, sriovPorts: [], vfNumaAffinity: 'required' as const };
  switch (i % 4) {
    case 0:
      return { ...base, cpuPolicy: 'dedicated', pageSize: 'small' };
    case 1:
      return { ...base, cpuPolicy: 'shared', pageSize: 2048 };
    case 2:
      return { ...base, cpuPolicy: 'dedicated', pageSize: 2048, sriovPorts: [{ physnet: 'data' }, { physnet: 'data' }] };
    default:
      return { ...base, cpuPolicy: 'dedicated', pageSize: 2048, virtioPorts: 2 };
  }
}

function startWorkers(count: number, prefix: string): ChildProcess[] {
  const env = {
    DATABASE_URL: `${BENCH_POSTGRES}/${DATABASE}`,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    // Each worker reads the fleet once and then keeps it current itself (see FleetCache).
    PLACEMENT_SNAPSHOT_TTL_MS: '600000',
    PLACEMENT_CONCURRENCY: '16',
  };
  return Array.from({ length: count }, () => spawnApp(WORKER_MAIN, env, WORKER_NODE_ARGS));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  hosts: number;
  workers: number;
  rate: number;
  placed: number;
  refused: number;
  throughput: number;
  p50: number;
  p99: number;
  duplicates: number;
  /** Decisions per placement: above 1 means claims lost races to other workers and were decided again. */
  attempts: number;
  /** Cores used while measured: the workers together, Postgres, Redis, the benchmark (the API's part). */
  cores: string;
}

/** "workers / Postgres / Redis / benchmark" from a CPU sample. */
function coresOf(used: Record<string, number>): string {
  return [used.workers, used.postgres, used['redis-server'], used.benchmark].map((c) => (c ?? 0).toFixed(2)).join(' / ');
}

/** Offers vms[from, from + count) at `rate` per second, in 10 ms ticks; answers with each request's latency. */
async function offer(client: PlacementClient, vms: string[], from: number, count: number, rate: number) {
  const pending: Promise<{ result: PlaceResult; latency: number }>[] = [];
  const started = Date.now();
  const perTick = Math.max(1, Math.round(rate / 100));
  for (let sent = 0; sent < count; ) {
    const at = Date.now();
    for (const [k, vm] of vms.slice(from + sent, from + Math.min(count, sent + perTick)).entries()) {
      const submitted = client.submit({ vduInstanceId: vm, request: request(from + sent + k) });
      pending.push(submitted.then((result) => ({ result, latency: result.ok ? result.committedAt - at : Date.now() - at })));
    }
    sent = Math.min(count, sent + perTick);
    const due = started + (sent / rate) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  return { started, answers: await Promise.all(pending) };
}

/**
 * Every configuration starts from the same empty fleet: the VMs of the one before are deleted
 * (their claims go with them) and the dead rows vacuumed. They used to be reset to waiting, and
 * the configurations run later met tens of thousands of waiting VMs and the dead index entries of
 * over a hundred thousand claims (10,000 hosts, 4 workers: p99 68 ms as seventh of eight, 22-40 ms
 * alone, 28 ms as seventh after this change).
 */
async function startEmpty(db: DataSource): Promise<void> {
  await db.query('DELETE FROM vdu_instances');
  await db.query('VACUUM ANALYZE resource_claims, vdu_instances');
}

async function run(db: DataSource, hosts: number, workers: number, rate: number): Promise<Row> {
  await startEmpty(db);
  const total = rate * SECONDS;
  const warm = Math.min(rate * WARMUP_SECONDS, hosts * WARMUP_VMS_PER_HOST);
  const { vduInstanceIds: vms } = await insertVms(db, WARMUP + warm + total);
  const prefix = `bench-${hosts}-${workers}-${process.pid}`;
  const queue = new Queue('placement', { connection: { url: REDIS_URL }, prefix });
  const events = new QueueEvents('placement', { connection: { url: REDIS_URL }, prefix });
  await events.waitUntilReady();
  const children = startWorkers(workers, prefix);
  try {
    // Workers load the fleet when they start; one request per job reaches all of them, so the
    // first batches do not wait for a load. The stream at the measured rate then runs for
    // WARMUP_SECONDS uncounted: a worker that has just built its picture of 10,000 hosts spends
    // the next second collecting the garbage of the load, and V8 compiles for much longer (see
    // WARMUP_SECONDS). That is start-up, not placement.
    const single = new PlacementClient(bullmqBatchRunner(queue, events, 300_000), { maxBatch: 1 });
    await Promise.all(vms.slice(0, WARMUP).map((vm, i) => single.submit({ vduInstanceId: vm, request: request(i) })));
    // Requests submitted in the same tick share a job (PlacementClient), as the API's would.
    const client = new PlacementClient(bullmqBatchRunner(queue, events, 300_000));
    await offer(client, vms, WARMUP, warm, rate);
    const cpu = sampleCpu(new Map([[process.pid, 'benchmark'], ...children.map((c) => [c.pid!, 'workers'] as [number, string])]));
    const { started, answers } = await offer(client, vms, WARMUP + warm, total, rate);
    const used = cpu();
    const results = answers.map((a) => a.result);
    const lastAnswer = Math.max(...answers.map((a) => (a.result.ok ? a.result.committedAt : 0)));
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM resource_claims WHERE kind IN ('CPU', 'VF', 'PMD_QUEUE') GROUP BY "hostId", kind, "resourceKey" HAVING count(*) > 1) d`,
    );
    return {
      hosts,
      workers,
      rate,
      placed: results.filter((r) => r.ok).length,
      refused: results.filter((r) => !r.ok).length,
      throughput: Math.round((total / (lastAnswer - started)) * 1000),
      p50: percentile(answers.map((a) => a.latency), 50),
      p99: percentile(answers.map((a) => a.latency), 99),
      duplicates: n,
      attempts: Math.round((results.reduce((sum, r) => sum + r.attempts, 0) / results.length) * 100) / 100,
      cores: coresOf(used),
    };
  } finally {
    await Promise.all(children.map((child) => stopProcess(child)));
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const hosts of FLEETS) {
    const db = await recreateBenchDatabase(DATABASE);
    const filled = Date.now();
    await fillFleet(db, hosts);
    console.error(`fleet of ${hosts} hosts written in ${Date.now() - filled} ms`);
    for (const workers of WORKERS) {
      for (const rate of RATES) {
        const row = await run(db, hosts, workers, rate);
        console.error(JSON.stringify(row));
        rows.push(row);
      }
    }
    await db.destroy();
  }
  const table = markdownTable(
    ['hosts', 'workers', 'offered/s', 'placed', 'refused', 'placements/s', 'p50 ms', 'p99 ms', 'decisions per placement', 'duplicate claims', 'cores: workers / Postgres / Redis / bench'],
    rows.map((r) => [r.hosts, r.workers, r.rate, r.placed, r.refused, r.throughput, r.p50, r.p99, r.attempts, r.duplicates, r.cores]),
  );
  console.log(table);
  writeBenchmarkSection(
    '## Placement (npm run bench:placement)',
    `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores), Postgres, Redis and the workers all on it.
${RATES.join(' and ')} requests/s offered for ${SECONDS} s each (a quarter each: pinned small-page, shared hugepage, SR-IOV with 2 VFs, 2 vhost-user ports),
after ${WARMUP} single warm-up placements and ${WARMUP_SECONDS} s of the same stream (at most ${WARMUP_VMS_PER_HOST} VMs per host), not counted. Requests submitted in the same 10 ms tick share one BullMQ job (PlacementClient).
Latency is from a request's submission to its claim committed in Postgres. Cores: CPU used while measured, from /proc.\n\n${table}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
