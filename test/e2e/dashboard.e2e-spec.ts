import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { loadConfig } from '#vim/config';
import { chainCookieMatch, OvsdbClient, OvsdbSwitchDriver, ownerExternalIds, readSwitchInfo } from '#vim/ovs';
import { Role } from '#vim/persistence';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { withOwnVnfdId } from '../support/descriptors.js';
import { insertSriovTestHost } from '../support/lcm-fixture.js';
import { opIdOf, setAsideOtherHosts, waitForChain, waitForChainOp, waitForOp } from '../support/lcm.js';
import { spawnApp, stopProcess, WORKER_MAIN } from '../support/processes.js';
import { createEndpoint, type Endpoint, removeEndpoint } from '../support/traffic.js';

jest.setTimeout(120_000);

/**
 * The dashboard (issue 21) in Debian's Chromium, driven by playwright-core, against the real api
 * (this process, serving DASHBOARD_DIR at /) and a real worker process. The host is the SR-IOV node
 * fixture on libvirt's test:/// driver: its domains are fake, but the vhost-user ports the worker
 * plugs are real ports of br-int on the machine's OvS, and the chain's flows are real flows there.
 * Sign in, a descriptor refused at its line then onboarded, two instances made from the UI with the
 * operation watched to its end, a host's PMD queues counted before and after, a two-hop chain built,
 * checked in the API and in br-int's flows, reordered and checked again; a viewer sees no write
 * control; every page is usable with the keyboard alone at 1280x800 (focus shown and in view, no
 * sideways scrolling); no page logs a console error. Each page is photographed into docs/screenshots.
 */
const OVSDB = 'unix:/var/run/openvswitch/db.sock';
const BRIDGE = 'br-int';
const TAG = String(process.pid % 100_000);
const HOST = `dash-${TAG}`;
const IMAGE = 'vnf-forwarder.qcow2';
/** Each instance's left and right VLAN on br-int. */
const VLANS = { a: [3501, 3502], b: [3503, 3504] } as const;
/** The chain's ends: internal ports (in namespaces of their own) in instance a's left VLAN and instance b's right VLAN. */
const IN: Endpoint = { ns: `vdsh-i-${TAG}`, port: `vdshi${TAG}`, cidr: '10.79.9.1/24', vlan: VLANS.a[0] };
const OUT: Endpoint = { ns: `vdsh-o-${TAG}`, port: `vdsho${TAG}`, cidr: '10.79.9.2/24', vlan: VLANS.b[1] };
const SHOTS = resolve('docs/screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

const say = (line: string) => process.stdout.write(`[dashboard] ${line}\n`);
const sh = (file: string, args: readonly string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ofportOf = (port: string) => Number(sh('ovs-vsctl', ['--timeout=10', 'get', 'Interface', port, 'ofport']).trim());

/** The forwarder fixture unpinned (policy dynamic), with a vnfd id of this run's own. */
const goodVnfd = () => withOwnVnfdId(readFileSync('test/fixtures/vnfds/vnf-forwarder-vnfd.yaml', 'utf8').replace(/policy: static/, 'policy: dynamic'), `dash-${TAG}`);
/** The same with its VDU naming a virtual-compute-desc that does not exist (and an id of its own). */
const brokenVnfd = () => withOwnVnfdId(goodVnfd(), 'broken').replace(/(\n    virtual-compute-desc: )one-cpu-128m/, '$1no-such-compute');

interface Chain {
  id: string;
  cookie: bigint;
}

/** A page, the console errors and uncaught exceptions it had, and its answers of 400 and above. */
interface Watched {
  page: Page;
  errors: string[];
  failed: string[];
}

/**
 * The deliberate refusal (the broken descriptor's upload): Chromium logs "Failed to load resource"
 * for it, which is not the app's error. Nothing else may answer 4xx or 5xx.
 */
const deliberate = (method: string, path: string, status: number) => method === 'POST' && path === '/api/v1/vnfds' && (status === 400 || status === 422);

describe('the dashboard in a real browser against the real api and worker', () => {
  let app: INestApplication;
  let db: DataSource;
  let admin: Client;
  let operatorToken: string;
  let viewerToken: string;
  let worker: ChildProcess | undefined;
  let browser: Browser | undefined;
  let operator: BrowserContext | undefined;
  let page: Page;
  let base: string;
  let restoreQueues: () => void = () => undefined;
  let restoreHosts = async () => {};
  let savedDashboardDir: string | undefined;
  let builtDashboard: string | undefined;
  let hostId: string | undefined;
  let vnfdUuid: string | undefined;
  let endpointsMade = false;
  /** An instance never instantiated, with a FAILED_TEMP operation the test writes (for the op actions). */
  let idleInstance: string | undefined;
  const vnfdUuids: string[] = [];
  const instances: Record<'a' | 'b', string> = { a: '', b: '' };
  const chains: Chain[] = [];
  const watched: Watched[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'vim-e2e-dash-'));
  const ovs = new OvsdbSwitchDriver(OVSDB);
  const started = Date.now();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    savedDashboardDir = process.env.DASHBOARD_DIR;
    if (!process.env.DASHBOARD_DIR || !existsSync(join(process.env.DASHBOARD_DIR, 'index.html'))) {
      builtDashboard = join(dir, 'dashboard');
      const build = spawnSync('npm', ['run', '-s', 'build:dashboard'], { env: { ...process.env, DASHBOARD_OUT: builtDashboard }, encoding: 'utf8' });
      if (build.status !== 0 || !existsSync(join(builtDashboard, 'index.html'))) throw new Error(`npm run build:dashboard failed:\n${build.stdout}\n${build.stderr}`);
      process.env.DASHBOARD_DIR = builtDashboard;
    }
    mkdirSync(join(dir, 'images'));
    sh('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'images', IMAGE), '64M']);
    const ovsdb = await OvsdbClient.connect(OVSDB);
    let pmdCpu: number;
    try {
      [pmdCpu] = (await readSwitchInfo(ovsdb)).pmdCpus as [number];
    } finally {
      ovsdb.close();
    }

    restoreQueues = isolateQueues('dashboard');
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    app = await startApi();
    const address = app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
    db = app.get(DataSource);
    admin = client(app, await tokenFor(app, Role.PLATFORM_ADMIN));
    operatorToken = await tokenFor(app, Role.OPERATOR);
    viewerToken = await tokenFor(app, Role.VIEWER);
    hostId = await insertSriovTestHost(db, { name: HOST, ovsdbRemote: OVSDB, vhostSocketDir: join(dir, 'vhost'), imageDir: join(dir, 'images'), pmdCpu: pmdCpu! });
    restoreHosts = await setAsideOtherHosts(db, [hostId]);
    worker = spawnApp(WORKER_MAIN, {
      QUEUE_PREFIX: process.env.QUEUE_PREFIX as string,
      DATABASE_URL: process.env.DATABASE_URL as string,
      CHAIN_CHECK_INTERVAL_MS: '1000',
      VM_STATE_SYNC_SECONDS: '1',
      INVENTORY_REFRESH_SECONDS: '0',
    });
    createEndpoint(BRIDGE, IN);
    createEndpoint(BRIDGE, OUT);
    endpointsMade = true;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    operator = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await watch(operator);
    say(`set up in ${Date.now() - started} ms: api ${base}, dashboard ${process.env.DASHBOARD_DIR}, host ${HOST} (PMD core ${pmdCpu!})`);
  });

  afterAll(async () => {
    const note = (what: string) => (e: unknown) => say(`cleanup: ${what}: ${(e as Error)?.message ?? e}`);
    await operator?.close().catch(note('operator context'));
    await browser?.close().catch(note('browser'));
    if (admin) {
      for (const chain of chains) {
        try {
          const res = await admin.delete(`/api/v1/service_chains/${chain.id}`);
          if (res.status === 202) await waitForChainOp(admin, opIdOf(res.headers.location), 30_000);
        } catch (e) {
          note(`chain ${chain.id}`)(e);
        }
        try {
          sh('ovs-ofctl', ['-O', 'OpenFlow15', 'del-flows', BRIDGE, chainCookieMatch(chain.cookie)]);
        } catch {
          // none left
        }
      }
      for (const id of Object.values(instances).filter(Boolean)) {
        try {
          const res = await admin.post(`/api/v1/vnf_instances/${id}/terminate`).send({ terminationType: 'FORCEFUL' });
          if (res.status === 202) await waitForOp(admin, opIdOf(res.headers.location), { timeoutMs: 30_000 });
          await admin.delete(`/api/v1/vnf_instances/${id}`);
        } catch (e) {
          note(`instance ${id}`)(e);
        }
      }
    }
    if (db && idleInstance) {
      await db.query(`DELETE FROM lcm_op_occs WHERE "vnfInstanceId" = $1`, [idleInstance]).catch(note('FAILED_TEMP op'));
      await admin.delete(`/api/v1/vnf_instances/${idleInstance}`).catch(note(`instance ${idleInstance}`));
    }
    if (worker) await stopProcess(worker);
    // The queues under this run's prefix (jobs, repeatables, events): none left in Redis.
    const prefix = process.env.QUEUE_PREFIX;
    if (prefix?.startsWith('e2e-dashboard-')) {
      const redis = new Redis(loadConfig().REDIS_URL);
      try {
        const keys: string[] = [];
        for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 500 })) keys.push(...(batch as string[]));
        if (keys.length) await redis.del(...keys);
      } catch (e) {
        note('redis keys')(e);
      } finally {
        redis.disconnect();
      }
    }
    for (const id of Object.values(instances).filter(Boolean)) {
      for (const port of await ovs.findPorts(ownerExternalIds(id)).catch(() => [])) await ovs.removePorts(port.bridge, [port.name]).catch(note(`port ${port.name}`));
    }
    if (endpointsMade) {
      removeEndpoint(BRIDGE, IN);
      removeEndpoint(BRIDGE, OUT);
    }
    if (admin) for (const id of vnfdUuids) await admin.delete(`/api/v1/vnfds/${id}`).catch(note(`descriptor ${id}`));
    if (db && hostId) {
      // Rows the API would not delete (a failed run's): the host's and the instances'.
      const ids = Object.values(instances).filter(Boolean);
      if (ids.length) {
        await db.query(`DELETE FROM resource_claims WHERE "hostId" = $1`, [hostId]).catch(note('claims'));
        await db.query(`DELETE FROM vdu_instances WHERE "vnfInstanceId" = ANY($1::uuid[])`, [ids]).catch(note('vms'));
      }
      const res = await admin.delete(`/api/v1/hosts/${hostId}`).catch(() => undefined);
      if (!res || res.status >= 300) await db.query(`DELETE FROM hosts WHERE id = $1`, [hostId]).catch(note('host row'));
    }
    await restoreHosts().catch(note('hosts'));
    await app?.close();
    await ovs.close();
    rmSync(dir, { recursive: true, force: true });
    restoreQueues();
    delete process.env.INVENTORY_REFRESH_SECONDS;
    if (builtDashboard) {
      if (savedDashboardDir === undefined) delete process.env.DASHBOARD_DIR;
      else process.env.DASHBOARD_DIR = savedDashboardDir;
    }
    say(`whole suite ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  /** A page whose console errors and uncaught exceptions are collected (deliberate 4xx answers aside). */
  async function watch(context: BrowserContext): Promise<Page> {
    const p = await context.newPage();
    const w: Watched = { page: p, errors: [], failed: [] };
    const refused = new Set<string>();
    watched.push(w);
    p.on('response', (r) => {
      if (r.status() < 400) return;
      const path = new URL(r.url()).pathname;
      if (deliberate(r.request().method(), path, r.status())) refused.add(r.url());
      else w.failed.push(`${r.request().method()} ${path}: ${r.status()}`);
    });
    p.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const url = msg.location().url ?? '';
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text()) && refused.has(url)) return;
      w.errors.push(`${msg.text()} (${url})`);
    });
    p.on('pageerror', (error) => w.errors.push(`pageerror: ${error.message}`));
    return p;
  }

  const go = async (p: Page, hash: string) => {
    await p.goto(`${base}/#/${hash}`);
    await p.waitForSelector('[data-testid="session-role"]');
  };
  /** No "Loading …" left on the page (the event stream keeps the network busy, so no networkidle). */
  const settled = async (p: Page) => {
    await p.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="loading"]').length === 0, undefined, { timeout: 10_000 });
    await sleep(300);
  };
  const showEditor = (p: Page) => p.evaluate(() => (globalThis as any).document.querySelector('[data-testid="chain-editor"]')?.scrollIntoView());
  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`) });
  const testId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);

  async function signIn(p: Page, token: string) {
    await p.goto(`${base}/`);
    await testId(p, 'signin-token').fill(token);
    await testId(p, 'signin-submit').click();
    await p.waitForSelector('[data-testid="session-role"]');
  }

  /** The PMD-queue and memory bars of the host's cells: used figures as the page shows them. */
  async function usedOnHostsPage(): Promise<Record<string, number>> {
    const bars = page.locator(`[data-testid^="cap-${HOST}-"]`);
    await bars.first().waitFor();
    const out: Record<string, number> = {};
    for (const bar of await bars.all()) out[((await bar.getAttribute('data-testid')) as string).slice(`cap-${HOST}-`.length)] = Number(await bar.getAttribute('data-used'));
    return out;
  }
  async function untilUsed(key: string, value: number, timeoutMs = 15_000): Promise<Record<string, number>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const used = await usedOnHostsPage();
      if (used[key] === value || Date.now() > deadline) return used;
      await sleep(250);
    }
  }

  async function instanceByName(name: string): Promise<Record<string, any>> {
    const items = (await admin.get('/api/v1/vnf_instances?limit=200').expect(200)).body.items as Record<string, any>[];
    const found = items.find((i) => i.vnfInstanceName === name);
    if (!found) throw new Error(`no instance named ${name}`);
    return found;
  }

  /** The OvS port names of an instance's left and right ext-cpds, as the API shows its VM's ports. */
  async function portsOf(id: string): Promise<{ left: string; right: string }> {
    const view = (await admin.get(`/api/v1/vnf_instances/${id}`).expect(200)).body as Record<string, any>;
    const ports = (view.instantiatedVnfInfo.vnfcResourceInfo as Record<string, any>[]).flatMap((vm) => vm.ports as Record<string, any>[]);
    return { left: ports.find((p) => p.extCpdId === 'left')!.name, right: ports.find((p) => p.extCpdId === 'right')!.name };
  }

  /**
   * From the UI: descriptor, name, a binding per ext-cpd on br-int with the given VLANs; submit, then
   * follow the op-progress panel (a MutationObserver in the page records every state and step list
   * it shows) until COMPLETED.
   */
  async function instantiateFromUi(name: string, [left, right]: readonly [number, number], shotName?: string): Promise<{ states: string[]; steps: string[]; opId: string }> {
    await go(page, 'instances');
    await testId(page, 'instantiate-form').waitFor();
    await testId(page, 'create-vnfd').selectOption(vnfdUuid!);
    await testId(page, 'create-name').fill(name);
    await testId(page, 'instantiate-flavour').selectOption('default');
    for (const [cpd, vlan] of [['left', left], ['right', right]] as const) {
      await testId(page, `binding-${cpd}-kind`).selectOption('bridge');
      await testId(page, `binding-${cpd}-name`).fill(BRIDGE);
      await testId(page, `binding-${cpd}-vlan`).fill(String(vlan));
    }
    // Runs in the page (the server's tsconfig has no DOM library: the browser's globals are untyped here).
    await page.evaluate(() => {
      const w = globalThis as any;
      w.__opLog = [];
      const record = () => {
        const op = w.document.querySelector('[data-testid="op-progress"] [data-state]');
        if (!op) return;
        const entry = { state: op.getAttribute('data-state') ?? '', steps: [...op.querySelectorAll('[data-testid="op-steps"] li')].map((li: any) => li.textContent?.trim() ?? '').join(' | ') };
        const last = w.__opLog.at(-1);
        if (!last || last.state !== entry.state || last.steps !== entry.steps) w.__opLog.push(entry);
      };
      new w.MutationObserver(record).observe(w.document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await testId(page, 'instantiate-submit').click();
    const progress = page.locator('[data-testid="op-progress"] [data-state]');
    await progress.waitFor();
    const opId = ((await progress.getAttribute('data-testid')) as string).replace(/^op-/, '');
    if (shotName) await shot(page, shotName);
    await page.waitForSelector('[data-testid="op-progress"] [data-state="COMPLETED"]', { timeout: 60_000 });
    const log = (await page.evaluate(() => (globalThis as any).__opLog)) as { state: string; steps: string }[];
    const steps = await page.locator('[data-testid="op-progress"] [data-testid="op-steps"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-step') ?? ''));
    say(`${name}: the page showed ${log.map((e) => `${e.state}[${e.steps}]`).join(' -> ')}`);
    return { states: log.map((e) => e.state), steps, opId };
  }

  /** The chain's flows on br-int (every generation): cookie, in_port, actions. */
  function chainFlows(chain: Chain): { cookie: bigint; inPort: number; actions: string }[] {
    return sh('ovs-ofctl', ['-O', 'OpenFlow15', '--no-names', 'dump-flows', BRIDGE, chainCookieMatch(chain.cookie)])
      .split('\n')
      .filter((l) => l.includes('cookie='))
      .map((line) => {
        const m = /cookie=(0x[0-9a-f]+),.*?in_port=(\d+).* actions=(\S+)/.exec(line);
        return { cookie: BigInt(m?.[1] ?? 0), inPort: Number(m?.[2] ?? -1), actions: m?.[3] ?? line };
      });
  }

  /** Where an action list sends a packet: an output port, or the first bucket's output of a group. */
  function outputOf(actions: string): number | undefined {
    const out = /output:(\d+)/.exec(actions);
    if (out) return Number(out[1]);
    const group = /group:(\d+)/.exec(actions);
    if (!group) return undefined;
    const line = sh('ovs-ofctl', ['-O', 'OpenFlow15', '--no-names', 'dump-groups', BRIDGE, group[1]!]).split('\n').find((l) => l.includes(`group_id=${group[1]}`)) ?? '';
    const bucket = /output:(\d+)/.exec(line);
    return bucket ? Number(bucket[1]) : undefined;
  }

  /** The path the chain's flows make from the ingress port: names of the ports each hop's flow outputs to. */
  function flowPath(chain: Chain, names: Record<number, string>, rightOf: Record<string, string>): string[] {
    const flows = chainFlows(chain);
    const path: string[] = [];
    let at = ofportOf(IN.port);
    for (let i = 0; i < 5; i++) {
      const flow = flows.find((f) => f.inPort === at && outputOf(f.actions) !== undefined);
      if (!flow) return [...path, 'no flow'];
      const name = names[outputOf(flow.actions)!] ?? `port ${outputOf(flow.actions)}`;
      path.push(name);
      const next = rightOf[name];
      if (!next) return path;
      at = ofportOf(next);
    }
    return path;
  }

  test('sign in with an operator token: kept in sessionStorage only, the tenant and role shown', async () => {
    const session = (await client(app, operatorToken).get('/api/v1/session').expect(200)).body as Record<string, any>;
    await page.goto(`${base}/`);
    await testId(page, 'signin-form').waitFor();
    await shot(page, 'sign-in');
    await signIn(page, operatorToken);
    expect(await testId(page, 'session-role').textContent()).toBe('operator');
    expect(await testId(page, 'session-tenant').textContent()).toBe(session.tenantName);
    const storage = (await page.evaluate(() => {
      const { sessionStorage, localStorage, document } = globalThis as any;
      return {
        session: Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)),
        local: Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`),
        cookie: document.cookie,
      };
    })) as { session: string[]; local: string[]; cookie: string };
    const cookies = await operator!.cookies();
    say(`signed in as ${session.role} of tenant ${session.tenantName}; sessionStorage holds the token: ${storage.session.includes(operatorToken)}; localStorage ${storage.local.length} keys, cookies ${cookies.length}`);
    expect(storage.session).toContain(operatorToken);
    expect(storage.local.join('\n')).not.toContain(operatorToken);
    expect(storage.cookie).not.toContain(operatorToken);
    expect(cookies.filter((c) => c.value.includes(operatorToken))).toEqual([]);
  });

  test('descriptors: a broken reference is flagged at its line; a good descriptor is onboarded and listed', async () => {
    await go(page, 'descriptors');
    const broken = brokenVnfd();
    const badLine = broken.split('\n').findIndex((l) => /^\s+virtual-compute-desc: no-such-compute$/.test(l)) + 1;
    expect(badLine).toBeGreaterThan(0);
    await testId(page, 'vnfd-text').fill(broken);
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/vnfds') && r.request().method() === 'POST');
    await testId(page, 'vnfd-submit').click();
    const answer = await refused;
    const problems = ((await answer.json()) as { errors?: { path: string; message: string }[] }).errors ?? [];
    await testId(page, 'vnfd-errors').waitFor();
    const flagged = await page.locator('[data-testid^="error-line-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    const message = await testId(page, `error-line-${badLine}`).locator('[data-testid="error-message"]').first();
    say(`broken descriptor: ${answer.status()} ${JSON.stringify(problems)}; flagged ${flagged.join(', ')} (expected line ${badLine}): "${(await message.textContent())?.trim()}"`);
    expect([400, 422]).toContain(answer.status());
    expect(flagged).toEqual([`error-line-${badLine}`]);
    expect(await message.getAttribute('data-path')).toMatch(/virtual-compute-desc$/);
    expect(await testId(page, `error-line-${badLine}`).locator('code.src').textContent()).toContain('no-such-compute');
    await testId(page, `error-line-${badLine}`).scrollIntoViewIfNeeded();
    await shot(page, 'descriptors-error');
    expect((await admin.get('/api/v1/vnfds?limit=200').expect(200)).body.items.some((d: any) => d.vnfdId === `vnf-forwarder-dash-${TAG}-broken`)).toBe(false);

    await testId(page, 'vnfd-text').fill(goodVnfd());
    const accepted = page.waitForResponse((r) => r.url().endsWith('/api/v1/vnfds') && r.request().method() === 'POST');
    await testId(page, 'vnfd-submit').click();
    const created = await accepted;
    expect(created.status()).toBe(201);
    vnfdUuid = ((await created.json()) as { id: string }).id;
    vnfdUuids.push(vnfdUuid);
    const row = testId(page, `vnfd-row-vnf-forwarder-dash-${TAG}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('ENABLED');
    expect(await testId(page, 'vnfd-errors').count()).toBe(0);
    await shot(page, 'descriptors');
  });

  test('instances: instantiated from the page (flavour, bindings on br-int), the operation followed live to COMPLETED; the host page counts the PMD queues it took; then a second', async () => {
    await go(page, 'hosts');
    const before = await usedOnHostsPage();
    await shot(page, 'hosts-before');

    const first = await instantiateFromUi(`dash-a-${TAG}`, VLANS.a, 'instantiate-progress');
    expect(first.states.at(-1)).toBe('COMPLETED');
    // The page showed it before it was done (STARTING or PROCESSING), then done.
    expect(first.states.some((s) => s === 'STARTING' || s === 'PROCESSING')).toBe(true);
    // In the order they ran (the API's timings object has them as place, launch, plug-ports).
    expect(first.steps).toEqual(['place', 'plug-ports', 'launch']);
    await shot(page, 'instantiate-completed');
    const op = (await admin.get(`/api/v1/vnf_lcm_op_occs/${first.opId}`).expect(200)).body;
    expect(op).toMatchObject({ operation: 'INSTANTIATE', operationState: 'COMPLETED' });
    const a = await instanceByName(`dash-a-${TAG}`);
    instances.a = a.id;
    expect(a.instantiationState).toBe('INSTANTIATED');
    expect(a.instantiatedVnfInfo.extCpBindings).toEqual({ left: { bridge: BRIDGE, vlan: VLANS.a[0] }, right: { bridge: BRIDGE, vlan: VLANS.a[1] } });
    const portsA = await ovs.findPorts(ownerExternalIds(a.id));
    expect(portsA.map((p) => p.vlanTag).sort()).toEqual([...VLANS.a]);

    await go(page, 'hosts');
    // The cell with the PMD core: the one whose PMD bar has a total.
    const pmdBar = (await page.locator(`[data-testid^="cap-${HOST}-"][data-testid$="-pmd"]`).evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid'), e.getAttribute('data-total')]))).find(([, total]) => Number(total) > 0)!;
    const key = (pmdBar[0] as string).slice(`cap-${HOST}-`.length);
    const after = await untilUsed(key, (before[key] ?? 0) + 2);
    say(`hosts page, ${HOST}: PMD queues used ${before[key]} -> ${after[key]} of ${pmdBar[1]} (${key}); memory ${before['0-memory']}/${before['1-memory']} -> ${after['0-memory']}/${after['1-memory']} MiB used (cells 0/1)`);
    expect(after[key]).toBe((before[key] ?? 0) + 2);
    await shot(page, 'hosts');

    const second = await instantiateFromUi(`dash-b-${TAG}`, VLANS.b);
    expect(second.states.at(-1)).toBe('COMPLETED');
    expect(second.steps).toEqual(['place', 'plug-ports', 'launch']);
    const b = await instanceByName(`dash-b-${TAG}`);
    instances.b = b.id;
    expect(b.instantiationState).toBe('INSTANTIATED');
    const afterB = await (async () => {
      await go(page, 'hosts');
      return untilUsed(key, (before[key] ?? 0) + 4);
    })();
    say(`second instance: PMD queues used ${after[key]} -> ${afterB[key]}`);
    expect(afterB[key]).toBe((before[key] ?? 0) + 4);
    await go(page, `instances/${a.id}`);
    await testId(page, 'vm-table').waitFor();
    await shot(page, 'instances');
  });

  test('chains: a two-hop chain built in the UI is ACTIVE in the API with its hops in order and on br-int by its cookie; reordered with the buttons, the API and the flows follow (generation + 1)', async () => {
    expect(instances.a && instances.b).toBeTruthy();
    const [pa, pb] = [await portsOf(instances.a), await portsOf(instances.b)];
    const names: Record<number, string> = {
      [ofportOf(pa.left)]: 'a.left',
      [ofportOf(pb.left)]: 'b.left',
      [ofportOf(OUT.port)]: 'egress',
    };
    const rightOf = { 'a.left': pa.right, 'b.left': pb.right };
    const chainName = `dash-chain-${TAG}`;

    await go(page, 'chains/new');
    await testId(page, 'chain-name').fill(chainName);
    for (const [which, end] of [['ingress', IN], ['egress', OUT]] as const) {
      await testId(page, `chain-${which}-host`).fill(HOST);
      await testId(page, `chain-${which}-bridge`).fill(BRIDGE);
      await testId(page, `chain-${which}-vlan`).fill(String(end.vlan));
      await testId(page, `chain-${which}-port`).fill(end.port);
    }
    await testId(page, 'classifier-ethertype').selectOption('ipv4');
    await testId(page, 'classifier-destination').fill('10.79.9.2/32');
    await testId(page, 'classifier-protocol').fill('17');
    await testId(page, 'classifier-dport-from').fill('5201');
    await testId(page, 'classifier-dport-to').fill('5201');
    for (const id of [instances.a, instances.b]) {
      await testId(page, 'hop-instance').selectOption(id);
      await testId(page, 'hop-ingress-cpd').selectOption('left');
      await testId(page, 'hop-egress-cpd').selectOption('right');
      await testId(page, 'hop-add').click();
    }
    expect(await testId(page, 'hop-list').locator(':scope > li').count()).toBe(2);
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/service_chains') && r.request().method() === 'POST');
    await testId(page, 'chain-save').click();
    const answer = await posted;
    const body = (await answer.json()) as Record<string, any>;
    expect(answer.status()).toBe(202);
    const chain: Chain = { id: body.id, cookie: BigInt(body.cookie) };
    chains.push(chain);
    await page.waitForURL(new RegExp(`#/chains/${chain.id}$`));

    const active = await waitForChain(admin, chain.id, (c) => c.state === 'ACTIVE' && c.generation === 1, 30_000);
    const listed = ((await admin.get('/api/v1/service_chains?limit=200').expect(200)).body.items as Record<string, any>[]).find((c) => c.id === chain.id)!;
    expect(listed).toMatchObject({ name: chainName, state: 'ACTIVE', generation: 1 });
    expect(listed.hops.map((h: any) => h.instances.map((i: any) => i.vnfInstanceId))).toEqual([[instances.a], [instances.b]]);
    expect(listed.hops[0].instances[0]).toMatchObject({ ingressCpd: 'left', egressCpd: 'right' });
    expect(active.classifier).toMatchObject({ ethertype: 'ipv4', protocol: 17, destinationPrefix: '10.79.9.2/32', destinationPorts: { from: 5201, to: 5201 } });
    const flows1 = chainFlows(chain);
    const path1 = flowPath(chain, names, rightOf);
    say(`chain ${chain.id} cookie ${chain.cookie}: ACTIVE generation ${active.generation}; ${flows1.length} flows with cookies ${[...new Set(flows1.map((f) => `0x${f.cookie.toString(16)}`))].join(', ')}; path ${['ingress', ...path1].join(' -> ')}`);
    expect(flows1.length).toBeGreaterThanOrEqual(3);
    expect(new Set(flows1.map((f) => f.cookie))).toEqual(new Set([(chain.cookie << 16n) | 1n]));
    expect(path1).toEqual(['a.left', 'b.left', 'egress']);

    await page.waitForSelector(`[data-testid="chain-editor"] .badge-active`, { timeout: 15_000 });
    await testId(page, 'chain-graph').locator(`[data-testid="graph-instance-${instances.b}"]`).waitFor();
    const graphOrder = await testId(page, 'chain-graph').locator('[data-testid^="graph-instance-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(graphOrder).toEqual([`graph-instance-${instances.a}`, `graph-instance-${instances.b}`]);
    await showEditor(page);
    await shot(page, 'chain-graph');

    // Reorder: hop 1 (a) down; save.
    await testId(page, 'hop-0-down').click();
    const patched = page.waitForResponse((r) => r.url().endsWith(`/api/v1/service_chains/${chain.id}`) && r.request().method() === 'PATCH');
    await testId(page, 'chain-save').click();
    const patch = await patched;
    expect(patch.status()).toBe(202);
    expect(JSON.parse(patch.request().postData() ?? '{}').hops.map((h: any) => h.instances[0].vnfInstanceId)).toEqual([instances.b, instances.a]);
    const reordered = await waitForChain(admin, chain.id, (c) => c.state === 'ACTIVE' && c.generation === 2 && c.lastOperation?.operationState === 'COMPLETED', 30_000);
    expect(reordered.hops.map((h: any) => h.instances[0].vnfInstanceId)).toEqual([instances.b, instances.a]);
    const flows2 = chainFlows(chain);
    const path2 = flowPath(chain, names, rightOf);
    say(`reordered: generation ${active.generation} -> ${reordered.generation}; ${flows2.length} flows with cookies ${[...new Set(flows2.map((f) => `0x${f.cookie.toString(16)}`))].join(', ')}; path ${['ingress', ...path2].join(' -> ')}`);
    expect(reordered.generation).toBe(active.generation + 1);
    expect(new Set(flows2.map((f) => f.cookie))).toEqual(new Set([(chain.cookie << 16n) | 2n]));
    expect(path2).toEqual(['b.left', 'a.left', 'egress']);
    await page.waitForFunction(
      ([a, b]) => {
        const ids = [...(globalThis as any).document.querySelectorAll('[data-testid="chain-graph"] [data-testid^="graph-instance-"]')].map((e: any) => e.getAttribute('data-testid'));
        return ids.join() === [`graph-instance-${b}`, `graph-instance-${a}`].join();
      },
      [instances.a, instances.b],
    );
    await showEditor(page);
    await shot(page, 'chain-graph-reordered');

    await go(page, 'operations');
    await testId(page, 'lcm-ops').waitFor();
    expect(await page.locator('[data-testid^="lcm-op-"][data-state="COMPLETED"]').count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'operations');
    await testId(page, 'ops-tab-chain').click();
    await testId(page, 'chain-ops').waitFor();
    expect(await page.locator('[data-testid^="chain-op-"][data-state="COMPLETED"]').count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'operations-chains');
  });

  test('keyboard only at 1280x800: sign in, every page through the navigation, a hop reordered with the buttons; focus always visible and in view; no page scrolls sideways', async () => {
    expect(chains[0] && instances.a && instances.b).toBeTruthy();
    const t0 = Date.now();
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await watch(context);
      const keys = p.keyboard;
      /** What has focus: its description, whether its focus shows (outline or box-shadow) and whether it is inside the 1280x800 viewport. */
      const focused = () =>
        p.evaluate(() => {
          const w = globalThis as any;
          const el = w.document.activeElement;
          if (!el || el === w.document.body) return { on: 'body', testId: '', text: '', visible: false, inView: false, shows: 'nothing has focus' };
          const style = w.getComputedStyle(el);
          const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
          const shadow = style.boxShadow && style.boxShadow !== 'none';
          const r = el.getBoundingClientRect();
          const [vw, vh] = [w.innerWidth, w.innerHeight];
          // Wholly inside the viewport; one taller or wider than the viewport must at least cover part of it.
          const inView = r.width > 0 && r.height > 0 && (r.height > vh || (r.top >= 0 && r.bottom <= vh)) && (r.width > vw || (r.left >= 0 && r.right <= vw)) && r.bottom > 0 && r.top < vh;
          const label = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 30);
          return {
            on: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${label}"`,
            testId: el.getAttribute('data-testid') ?? '',
            text: label,
            visible: Boolean(outline || shadow),
            inView,
            shows: `outline ${style.outlineStyle} ${style.outlineWidth}, box-shadow ${style.boxShadow}, box ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}`,
          };
        });
      const invisible: string[] = [];
      let presses = 0;
      /** A key, then the focused element: it must show its focus and be in view. */
      const press = async (key: string, { mayLeave = false } = {}) => {
        await keys.press(key);
        presses += 1;
        const f = await focused();
        // Past the page's last stop, Tab leaves the document (to the browser): allowed only where said.
        if (!(mayLeave && f.on === 'body') && (!f.visible || !f.inView)) invisible.push(`${key} -> ${f.on}: ${f.shows}${f.inView ? '' : ' (out of view)'}`);
        return f;
      };
      /** Tab (or Shift+Tab) until the focused element matches; the stops on the way are checked too. */
      const tabTo = async (selector: string, { back = false, max = 60 } = {}) => {
        for (let i = 0; i < max; i++) {
          await press(back ? 'Shift+Tab' : 'Tab');
          if (await p.evaluate((s) => Boolean((globalThis as any).document.activeElement?.matches(s)), selector)) return;
        }
        throw new Error(`${selector} not reached with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses (now on ${(await focused()).on})`);
      };
      const noSideScroll = async (what: string) => {
        const widths = await p.evaluate(() => ({ scroll: (globalThis as any).document.documentElement.scrollWidth, client: (globalThis as any).document.documentElement.clientWidth }));
        expect({ what, scrollWidth: widths.scroll <= 1280 }).toEqual({ what, scrollWidth: true });
        return widths.scroll;
      };

      // Sign in: the token field has focus on arrival; type, Tab to the button, Enter.
      await p.goto(`${base}/`);
      await p.waitForSelector('[data-testid="signin-token"]:focus');
      await keys.type(operatorToken);
      await noSideScroll('sign-in');
      await tabTo('[data-testid="signin-submit"]');
      await keys.press('Enter');
      await p.waitForSelector('[data-testid="session-role"]');
      expect(await testId(p, 'session-role').textContent()).toBe('operator');

      // Each page through the navigation: Tab to its link, Enter; the page follows; Tab through the
      // page's first stops (each must show its focus in view), then Shift+Tab back to the navigation.
      const widths: string[] = [];
      const visited: string[] = [];
      for (const name of ['hosts', 'descriptors', 'instances', 'chains', 'operations']) {
        await tabTo(`[data-testid="nav-${name}"]`);
        await press('Enter');
        await p.waitForFunction((n) => (globalThis as any).location.hash === `#/${n}` && (globalThis as any).document.querySelector(`[data-testid="nav-${n}"]`)?.getAttribute('aria-current') === 'page', name);
        await settled(p);
        if (name === 'hosts') {
          // The memory bar's figures on one line in the host card.
          const text = testId(p, `cap-${HOST}-0-memory`).locator('.bar-text');
          const lines = await text.evaluate((e: any) => Math.round(e.getBoundingClientRect().height / parseFloat((globalThis as any).getComputedStyle(e).lineHeight)));
          expect({ memoryText: await text.textContent(), lines }).toEqual({ memoryText: expect.any(String), lines: 1 });
        }
        if (name === 'chains') await testId(p, `chain-row-dash-chain-${TAG}`).waitFor();
        widths.push(`${name} ${await noSideScroll(name)}`);
        // Into the page and back.
        let stops = 0;
        for (; stops < 25; stops++) {
          const f = await press('Tab', { mayLeave: true });
          if (f.on === 'body') break;
        }
        await tabTo(`[data-testid="nav-${name}"]`, { back: true, max: stops + 2 });
        visited.push(`${name} (${stops} stops in)`);
      }

      // Operations: the tabs follow the arrow keys.
      await tabTo('[data-testid="ops-tab-lcm"]');
      await press('ArrowRight');
      await p.waitForSelector('[data-testid="ops-tab-chain"][aria-selected="true"]:focus');
      await testId(p, 'chain-ops').waitFor();
      await press('ArrowLeft');
      await p.waitForSelector('[data-testid="ops-tab-lcm"][aria-selected="true"]:focus');
      await noSideScroll('operations');

      // The chain builder: the chain's link from the list, then its hop 1 down with Enter and back up with Space.
      const chain = chains[0]!;
      await tabTo('[data-testid="nav-chains"]', { back: true });
      await keys.press('Enter');
      await testId(p, `chain-row-dash-chain-${TAG}`).waitFor();
      await tabTo(`a[href="#/chains/${chain.id}"]`);
      await keys.press('Enter');
      await p.waitForURL(new RegExp(`#/chains/${chain.id}$`));
      await testId(p, 'chain-graph').locator('[data-testid^="graph-instance-"]').first().waitFor();
      await settled(p);
      await noSideScroll('chain editor');
      const order = () => testId(p, 'hop-list').locator(':scope > li').evaluateAll((els) => els.map((e) => e.querySelector('.hop-instances strong')?.textContent ?? ''));
      const before = await order();
      expect(before).toHaveLength(2);
      await tabTo('[data-testid="hop-0-down"]');
      const afterDown = await press('Enter');
      await p.waitForFunction((want) => [...(globalThis as any).document.querySelectorAll('[data-testid="hop-list"] > li')].map((e: any) => e.querySelector('.hop-instances strong')?.textContent ?? '').join('|') === want, [...before].reverse().join('|'));
      expect(await order()).toEqual([...before].reverse());
      // Focus goes with the hop that moved (now hop 2, whose ↓ is disabled: its ↑).
      expect((await focused()).testId).toBe('hop-1-up');
      await press('Space');
      await p.waitForFunction((want) => [...(globalThis as any).document.querySelectorAll('[data-testid="hop-list"] > li')].map((e: any) => e.querySelector('.hop-instances strong')?.textContent ?? '').join('|') === want, before.join('|'));
      expect(await order()).toEqual(before);
      expect((await focused()).testId).toBe('hop-0-down');
      await noSideScroll('chain editor, reordered');

      say(`keyboard only: ${presses} checked key presses; pages ${visited.join(', ')}; scrollWidth ${widths.join(', ')}; hop 1 down then up (${before.join(' -> ')}), focus after ↓ ${afterDown.on}; focus not visible or out of view: ${invisible.length}; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      expect(invisible).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a viewer sees no write controls on any page (the operator sees them on the same pages, op actions included)', async () => {
    // A FAILED_TEMP operation (on an instance of its own, never instantiated), so that the
    // operations page has retry, rollback and fail to offer.
    const idle = (await admin.post('/api/v1/vnf_instances').send({ vnfdId: vnfdUuid, vnfInstanceName: `dash-idle-${TAG}` }).expect(201)).body.id as string;
    idleInstance = idle;
    const [failed] = (await db.query(
      `INSERT INTO lcm_op_occs ("tenantId", "vnfInstanceId", operation, "operationState", "operationParams", "currentStep", error)
       SELECT "tenantId", id, 'INSTANTIATE', 'FAILED_TEMP', '{"flavourId":"default"}', 'launch', $2 FROM vnf_instances WHERE id = $1 RETURNING id`,
      [idle, { type: 'urn:vim:problem:libvirt', status: 502, title: 'Lifecycle step failed', detail: 'made by the dashboard test', step: 'launch' }],
    )) as { id: string }[];
    const opActions = (await admin.get(`/api/v1/vnf_lcm_op_occs/${failed!.id}`).expect(200)).body._links as Record<string, unknown>;

    const WRITE = [
      'vnfd-upload-form', 'vnfd-text', 'vnfd-file', 'vnfd-submit', 'vnfd-toggle', 'vnfd-delete', 'instance-create', 'instantiate-form', 'instantiate-submit', 'instance-actions',
      'instance-terminate', 'instance-heal', 'instance-delete', 'chain-new', 'chain-save', 'chain-delete', 'hop-picker', 'hop-add', 'op-retry', 'op-rollback', 'op-fail', 'op-cancel',
    ];
    // Buttons a viewer may have: reading, navigating, signing out, tracing (a read).
    const ALLOWED = new Set(['Sign out', 'Close', 'Trace', 'Lifecycle', 'Chains', 'Try again', 'Dismiss', '×']);
    const pages: [string, string[]][] = [
      ['hosts', []],
      ['descriptors', ['vnfd-upload-form', 'vnfd-submit', 'vnfd-toggle', 'vnfd-delete']],
      [`descriptors/${vnfdUuid}`, ['vnfd-upload-form', 'vnfd-toggle']],
      ['instances', ['instance-create', 'instantiate-submit']],
      [`instances/${instances.a}`, ['instance-terminate', 'instance-heal']],
      [`instances/${idle}`, ['instance-delete']],
      ['chains', ['chain-new']],
      [`chains/${chains[0]?.id}`, ['chain-delete', 'hop-picker', 'hop-add', 'hop-0-down', 'hop-1-up', 'hop-0-remove']],
      ['operations', ['op-retry', 'op-rollback', 'op-fail']],
    ];
    const controls = async (p: Page, hash: string) => {
      await go(p, hash);
      // The written operation made no event: a reload reads the list afresh (the page's cache is young).
      if (hash === 'operations') await p.reload();
      await settled(p);
      if (hash === 'operations') await testId(p, `lcm-op-${failed!.id}`).waitFor();
      if (hash.startsWith('chains/')) await testId(p, 'chain-graph').locator(`[data-testid="graph-instance-${instances.a}"]`).waitFor();
      if (hash.startsWith('instances/')) await testId(p, 'instance-detail').waitFor();
      const found: string[] = [];
      for (const id of WRITE) if ((await testId(p, id).count()) > 0) found.push(id);
      found.push(...(await p.locator('[data-testid^="hop-"][data-testid$="-up"], [data-testid^="hop-"][data-testid$="-down"], [data-testid^="hop-"][data-testid$="-remove"], [data-testid^="hop-"][data-testid$="-share"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))));
      const buttons = await p.locator('button:not([disabled])').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
      const fields = await p.locator('[data-testid="chain-form"] input:not([disabled]), [data-testid="chain-form"] select:not([disabled])').count();
      return { found, buttons, fields };
    };

    // The operator, on the same pages: the controls are there.
    const operatorSaw: string[] = [];
    for (const [hash, expected] of pages) {
      const seen = await controls(page, hash);
      operatorSaw.push(`${hash.split('/')[0]}${hash.includes('/') ? '/<id>' : ''} ${seen.found.length}`);
      expect({ hash, found: seen.found }).toEqual({ hash, found: expect.arrayContaining(expected) });
      if (hash === 'operations') {
        await testId(page, `lcm-op-${failed!.id}`).scrollIntoViewIfNeeded();
        await shot(page, 'operations-failed-temp');
      }
    }
    say(`operator, write controls per page: ${operatorSaw.join(', ')}; the FAILED_TEMP op's links: ${Object.keys(opActions).join(', ')}`);

    const viewer = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await watch(viewer);
      await signIn(p, viewerToken);
      expect(await testId(p, 'session-role').textContent()).toBe('viewer');
      const seenByViewer: string[] = [];
      for (const [hash] of pages) {
        const seen = await controls(p, hash);
        const extra = seen.buttons.filter((t) => !ALLOWED.has(t));
        seenByViewer.push(`${hash.split('/')[0]}${hash.includes('/') ? '/<id>' : ''}: [${seen.buttons.join(', ')}]`);
        expect({ hash, found: seen.found, extra, fields: seen.fields }).toEqual({ hash, found: [], extra: [], fields: 0 });
        if (hash.startsWith('chains/')) {
          await showEditor(p);
          await shot(p, 'viewer-chain');
        }
        if (hash === 'instances') await shot(p, 'viewer-instances');
        if (hash === 'operations') await shot(p, 'viewer-operations');
      }
      say(`viewer, enabled buttons per page: ${seenByViewer.join('; ')}`);
    } finally {
      await viewer.close();
    }
  });

  test('no console errors on any page (deliberate 4xx answers aside)', async () => {
    // Every page once more in the operator's session, then what all pages logged.
    for (const hash of ['hosts', 'descriptors', 'instances', `instances/${instances.a}`, 'chains', `chains/${chains[0]?.id}`, 'operations']) {
      await go(page, hash);
      await settled(page);
    }
    const errors = watched.flatMap((w) => w.errors);
    const failed = watched.flatMap((w) => w.failed);
    say(`over ${watched.length} browser pages (operator, viewer): console errors ${errors.length}${errors.length ? `: ${errors.join(' | ')}` : ''}; answers >= 400 besides the refused upload: ${failed.length}${failed.length ? `: ${failed.join(', ')}` : ''}`);
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
  });
});
