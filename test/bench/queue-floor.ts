// npm run bench:queue-floor: what BullMQ alone costs on this machine. Workers that do nothing take
// jobs at a steady rate, one job per request, so the figures are the floor under any design that
// puts each placement in a job of its own. Prints a table; writes nothing.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { markdownTable, percentile } from './stats.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = 3;

if (process.argv[2] === 'worker') {
  const worker = new Worker('floor', async () => ({ ok: true }), { connection: { url }, prefix: process.env.FLOOR_PREFIX, concurrency: 16 });
  process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
} else {
  const rows: (string | number)[][] = [];
  for (const workers of [1, 4]) {
    for (const rate of [500, 1000]) rows.push(await measure(workers, rate));
  }
  console.log(markdownTable(['workers', 'offered/s', 'jobs/s', 'p50 ms', 'p99 ms'], rows));
}

async function measure(workers: number, rate: number): Promise<(string | number)[]> {
  const prefix = `floor-${process.pid}-${workers}-${rate}`;
  const children = Array.from({ length: workers }, () => fork(fileURLToPath(import.meta.url), ['worker'], { env: { ...process.env, FLOOR_PREFIX: prefix } }));
  const queue = new Queue('floor', { connection: { url }, prefix });
  const events = new QueueEvents('floor', { connection: { url }, prefix });
  try {
    await events.waitUntilReady();
    await new Promise((r) => setTimeout(r, 1500));
    const jobs = [];
    const started = Date.now();
    for (let sent = 0; sent < rate * SECONDS; ) {
      const n = Math.round(rate / 100);
      jobs.push(...(await queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'x', data: { i: sent + i } })))));
      sent += n;
      const due = started + (sent / rate) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 60_000)));
    const done = await Promise.all(jobs.map((j) => queue.getJob(j.id as string)));
    const latencies = done.map((j) => (j?.finishedOn ?? NaN) - (j?.timestamp ?? NaN));
    const last = Math.max(...done.map((j) => j?.finishedOn ?? 0));
    return [workers, rate, Math.round((jobs.length / (last - started)) * 1000), percentile(latencies, 50), percentile(latencies, 99)];
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}
