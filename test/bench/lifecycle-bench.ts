// npm run bench:lifecycle: instantiate then terminate single-VM instances on test:/// hosts through
// the real API and worker processes (Postgres, Redis and OvS real; libvirt's test driver instead of
// QEMU). Prints request-to-COMPLETED and the orchestration's own overhead (everything but the time
// inside libvirt calls) and writes the table to docs/benchmarks.md. Needs deploy/local's services
// and `npm run build`.
import 'reflect-metadata';
import { cpus } from 'node:os';
import { Queue } from 'bullmq';
import { newTokenSecret } from '#vim/auth';
import { QUEUES } from '#vim/platform';
import { insertHosts } from '../support/fleet-fixture.js';
import { API_MAIN, spawnApp, stopProcess, WORKER_MAIN } from '../support/processes.js';
import { BENCH_POSTGRES, recreateBenchDatabase, writeBenchmarkSection } from './report.js';
import { markdownTable, percentile } from './stats.js';

const DATABASE = 'vim_bench_lcm';
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 200);
/** Instances run first and not counted: the API's and the worker's code paths get compiled by V8. */
const WARMUP = 20;
const HOSTS = 8;
const PORT = Number(process.env.BENCH_API_PORT ?? 3199);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = `bench-lcm-${process.pid}`;
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the API and the worker.
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** One VDU, 2 dedicated vCPUs on 2 MiB pages, one VIRTIO port on br-int. */
const VNFD = {
  vnfd: {
    id: 'bench-vnf',
    provider: 'bench',
    'product-name': 'bench-vnf',
    version: '1.0',
    'virtual-compute-desc': [
      { id: 'c', 'virtual-cpu': { 'num-virtual-cpu': 2, pinning: { policy: 'static' } }, 'virtual-memory': { size: 1, 'mempage-size': 'SIZE_2MB' } },
    ],
    vdu: [
      {
        id: 'vm',
        name: 'vm',
        'virtual-compute-desc': 'c',
        'int-cpd': [{ id: 'data-int', 'virtual-network-interface-requirement': [{ name: 'eth0', 'virtual-interface': { type: 'VIRTIO' } }] }],
      },
    ],
    'ext-cpd': [{ id: 'data', 'int-cpd': { 'vdu-id': 'vm', cpd: 'data-int' } }],
    df: [{ id: 'default', 'vdu-profile': [{ id: 'vm', 'min-number-of-instances': 1, 'max-number-of-instances': 1 }] }],
  },
};

interface OpResult {
  totalMs: number;
  libvirtMs: number;
  ovsdbMs: number;
  state: string;
}

const token = newTokenSecret();

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; location: string | null; json: any }> {
  const res = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), json: text ? JSON.parse(text) : undefined };
}

async function expectStatus(call: Promise<{ status: number; location: string | null; json: any }>, status: number) {
  const res = await call;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.json)}`);
  return res;
}

/** Final operation states from the SSE stream, by op id; a waiter per op. */
class OpEvents {
  private readonly waiting = new Map<string, (state: string) => void>();
  private readonly seen = new Map<string, { state: string; at: number }>();
  private controller = new AbortController();

  async open(): Promise<void> {
    const res = await fetch(`${BASE_URL}/api/v1/vnf_lcm_op_occs/events`, { headers: { authorization: `Bearer ${token}` }, signal: this.controller.signal });
    if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
    void this.read(res.body.getReader());
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) this.onEvent(JSON.parse(data.slice(6)) as { opId: string; operationState: string });
      }
    }
  }

  private onEvent(event: { opId: string; operationState: string }): void {
    if (!['COMPLETED', 'FAILED_TEMP', 'ROLLED_BACK', 'FAILED'].includes(event.operationState)) return;
    this.seen.set(event.opId, { state: event.operationState, at: Date.now() });
    this.waiting.get(event.opId)?.(event.operationState);
  }

  /** When the op reached a final (or FAILED_TEMP) state, by the wall clock of this process. */
  finished(opId: string): Promise<{ state: string; at: number }> {
    const seen = this.seen.get(opId);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`operation ${opId} did not finish in 60 s`)), 60_000);
      this.waiting.set(opId, () => {
        clearTimeout(timer);
        resolve(this.seen.get(opId)!);
      });
    });
  }

  close(): void {
    this.controller.abort();
  }
}

/** Runs one operation request and waits for its end; the op's timings come from the API. */
async function operate(events: OpEvents, path: string, body: unknown): Promise<OpResult> {
  const started = Date.now();
  const accepted = await expectStatus(api('POST', path, body), 202);
  const opId = (accepted.location ?? '').split('/').pop() as string;
  const { state, at } = await events.finished(opId);
  const op = (await expectStatus(api('GET', `/api/v1/vnf_lcm_op_occs/${opId}`), 200)).json;
  return { totalMs: at - started, libvirtMs: op.timings?.libvirtMs ?? 0, ovsdbMs: op.timings?.ovsdbMs ?? 0, state };
}

const appEnv = () => ({
  DATABASE_URL: `${BENCH_POSTGRES}/${DATABASE}`,
  REDIS_URL,
  QUEUE_PREFIX,
  API_PORT: String(PORT),
  BOOTSTRAP_ADMIN_TOKEN: token,
  RATE_LIMIT_PER_MINUTE: '1000000',
  // test:/// guests never stop by themselves, and the watch's wait is no orchestration overhead:
  // one look instead (its cost is in the README).
  LCM_GUEST_CHECK_MS: '0',
});

async function waitReady(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ready = await fetch(`${BASE_URL}/readyz`).then((r) => r.json() as Promise<{ workers?: number }>, () => undefined);
    if (ready && (ready.workers ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('api and worker did not get ready in 20 s');
}

const stats = (values: number[]) => [percentile(values, 50), percentile(values, 99)];

async function main(): Promise<void> {
  const db = await recreateBenchDatabase(DATABASE);
  await insertHosts(
    db,
    Array.from({ length: HOSTS }, (_, i) => ({ name: `lcm-bench-${i}` })),
  );
  await db.query(`UPDATE hosts SET "ovsdbRemote" = 'unix:/var/run/openvswitch/db.sock', "vhostSocketDir" = $1`, [`/var/run/vim-lite/bench-${process.pid}`]);
  const children = [API_MAIN, WORKER_MAIN].map((script) => spawnApp(script, appEnv(), APP_NODE_ARGS));
  const events = new OpEvents();
  try {
    await waitReady();
    await events.open();
    const vnfd = (await expectStatus(api('POST', '/api/v1/vnfds', VNFD), 201)).json;
    const cycle = async (name: string) => {
      const instance = (await expectStatus(api('POST', '/api/v1/vnf_instances', { vnfdId: vnfd.id, vnfInstanceName: name }), 201)).json;
      const instantiated = await operate(events, `/api/v1/vnf_instances/${instance.id}/instantiate`, { flavourId: 'default', extCpBindings: { data: { bridge: 'br-int' } } });
      const terminated = await operate(events, `/api/v1/vnf_instances/${instance.id}/terminate`, { terminationType: 'FORCEFUL' });
      await expectStatus(api('DELETE', `/api/v1/vnf_instances/${instance.id}`), 204);
      return [instantiated, terminated] as const;
    };
    for (let i = 0; i < WARMUP; i++) await cycle(`warm-up-${i}`);
    const instantiate: OpResult[] = [];
    const terminate: OpResult[] = [];
    const started = Date.now();
    for (let i = 0; i < INSTANCES; i++) {
      const [instantiated, terminated] = await cycle(`bench-${i}`);
      instantiate.push(instantiated);
      terminate.push(terminated);
    }
    const elapsed = (Date.now() - started) / 1000;
    const failed = [...instantiate, ...terminate].filter((r) => r.state !== 'COMPLETED').length;
    const row = (name: string, results: OpResult[]) => [
      name,
      results.length,
      ...stats(results.map((r) => r.totalMs)),
      ...stats(results.map((r) => r.libvirtMs)),
      ...stats(results.map((r) => r.ovsdbMs)),
      ...stats(results.map((r) => r.totalMs - r.libvirtMs)),
    ];
    const table = markdownTable(
      ['operation', 'count', 'p50 ms', 'p99 ms', 'libvirt p50', 'libvirt p99', 'OVSDB p50', 'OVSDB p99', 'overhead p50', 'overhead p99'],
      [row('instantiate', instantiate), row('terminate', terminate)],
    );
    console.log(table);
    console.log(`${INSTANCES} instances in ${elapsed.toFixed(1)} s; operations not COMPLETED: ${failed}`);
    writeBenchmarkSection(
      '## Lifecycle (npm run bench:lifecycle)',
      `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores): API and one worker as processes, Postgres,
Redis and OvS-DPDK real, ${HOSTS} hosts on libvirt's test:///default driver. ${INSTANCES} single-VM instances (2 pinned vCPUs, 2 MiB pages,
one vhost-user port on br-int), each instantiated, terminated (forceful) and deleted in turn, after ${WARMUP} such instances not counted. The launch's
guest watch looks once (LCM_GUEST_CHECK_MS=0): its wait would only add itself. Time is from the POST to the operation's
COMPLETED event on the SSE stream; libvirt and OVSDB are the time spent inside those calls (the operation's timings);
overhead is the rest: queue, steps, Postgres, placement and OVSDB. Operations not COMPLETED: ${failed}; ${elapsed.toFixed(1)} s in all.

${table}`,
    );
  } finally {
    events.close();
    await Promise.all(children.map((child) => stopProcess(child)));
    await db.destroy();
    // Step jobs are kept a day for crash recovery; a finished benchmark has none to recover.
    for (const name of Object.values(QUEUES)) {
      const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix: QUEUE_PREFIX });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
