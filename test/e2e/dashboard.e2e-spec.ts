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
import { addressOf, createEndpoint, type Endpoint, removeEndpoint, udpDelivered } from '../support/traffic.js';

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
 * sideways scrolling); no page logs a console error. Also: a chain the API refuses at its hop 2 shows
 * the reasons on that hop in the list and on its graph node, and nothing is stored; the trace form
 * highlights the classified 5-tuple's path on the graph and nothing for an unclassified one; the
 * ingress node counts classified packets sent between the two namespaces as the API's counters do,
 * without a reload; a hop dragged onto another swaps them; with the API answering 500 every page
 * shows its error state and comes back with "Try again"; a tenant with nothing shows the empty
 * states. Each page is photographed into .local/screenshots, or docs/screenshots with
 * UPDATE_SCREENSHOTS=1.
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
/**
 * Screenshots go to .local/screenshots (ignored by git), so that a run leaves the checkout clean;
 * with UPDATE_SCREENSHOTS=1 they replace the committed ones in docs/screenshots.
 */
const SHOTS = resolve(process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.local/screenshots');
/** The chain's classifier: UDP to OUT's address and this port; traffic to another port is not classified. */
const CLASSIFIED_PORT = 5201;
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
 * The deliberate refusals (the broken descriptor's upload, the chain refused at its hop 2):
 * Chromium logs "Failed to load resource" for them, which is not the app's error. Nothing else may
 * answer 4xx or 5xx.
 */
const deliberate = (method: string, path: string, status: number) =>
  method === 'POST' && (path === '/api/v1/vnfds' || path === '/api/v1/service_chains') && (status === 400 || status === 422);

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
  /** A tenant with nothing in it (its operator sees the empty states). */
  let freshTenant: string | undefined;
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
    // The tenant (its tokens go with it); nothing else was made in it.
    if (db && freshTenant) await db.query(`DELETE FROM tenants WHERE id = $1`, [freshTenant]).catch(note('tenant'));
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

  /**
   * On the new-chain page: name, ingress IN and egress OUT on br-int, a UDP classifier for OUT's
   * address and `port`, then hops a and b (left in, right out), each added from the picker.
   */
  async function newChainInUi(name: string, port: number): Promise<void> {
    await go(page, 'chains/new');
    await testId(page, 'chain-name').fill(name);
    for (const [which, end] of [['ingress', IN], ['egress', OUT]] as const) {
      await testId(page, `chain-${which}-host`).fill(HOST);
      await testId(page, `chain-${which}-bridge`).fill(BRIDGE);
      await testId(page, `chain-${which}-vlan`).fill(String(end.vlan));
      await testId(page, `chain-${which}-port`).fill(end.port);
    }
    await testId(page, 'classifier-ethertype').selectOption('ipv4');
    await testId(page, 'classifier-destination').fill(`${addressOf(OUT)}/32`);
    await testId(page, 'classifier-protocol').fill('17');
    await testId(page, 'classifier-dport-from').fill(String(port));
    await testId(page, 'classifier-dport-to').fill(String(port));
    for (const id of [instances.a, instances.b]) {
      await pickHop(id);
      await testId(page, 'hop-add').click();
    }
  }
  /** The picker set to an instance, in by left and out by right (then "Add as a new hop" or "+ … here"). */
  async function pickHop(id: string): Promise<void> {
    await testId(page, 'hop-instance').selectOption(id);
    await testId(page, 'hop-ingress-cpd').selectOption('left');
    await testId(page, 'hop-egress-cpd').selectOption('right');
  }

  /** The hop list as the page shows it: per hop, its instances' names joined by '+'. */
  const hopOrder = (p: Page) =>
    testId(p, 'hop-list')
      .locator(':scope > li')
      .evaluateAll((els) => els.map((e) => [...e.querySelectorAll('.hop-instances strong')].map((s: any) => s.textContent ?? '').join('+')));
  /** The graph's instances, left to right (ids). */
  const graphOrder = (p: Page) =>
    testId(p, 'chain-graph')
      .locator('[data-testid^="graph-instance-"]')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('data-testid') ?? '').slice('graph-instance-'.length)));
  /** An attribute of the graph's four nodes (a two-hop chain): ingress, hop-0, hop-1, egress. */
  async function nodesAttr(p: Page, attribute: string): Promise<Record<string, string | null>> {
    const out: Record<string, string | null> = {};
    for (const node of ['ingress', 'hop-0', 'hop-1', 'egress']) out[node] = await testId(p, `graph-node-${node}`).getAttribute(attribute);
    return out;
  }
  /** The chain's editor open, its graph drawn with both instances, nothing loading. */
  async function openChain(p: Page, chain: Chain): Promise<void> {
    await go(p, `chains/${chain.id}`);
    for (const id of [instances.a, instances.b]) await testId(p, 'chain-graph').locator(`[data-testid="graph-instance-${id}"]`).waitFor();
    await settled(p);
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

    await newChainInUi(chainName, CLASSIFIED_PORT);
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
    expect(active.classifier).toMatchObject({ ethertype: 'ipv4', protocol: 17, destinationPrefix: `${addressOf(OUT)}/32`, destinationPorts: { from: CLASSIFIED_PORT, to: CLASSIFIED_PORT } });
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

  test('chain builder: a chain the API refuses at /hops/1 (a load-shared hop in a symmetric chain) shows the reasons on hop 2 in the list and on its graph node; nothing is stored', async () => {
    expect(instances.a && instances.b).toBeTruthy();
    // The picker offers INSTANTIATED instances only, so a hop of an instance that is not can't be
    // picked; a refusal the builder can make: hop 2 shared by two instances, and symmetric on.
    const listed = async () =>
      ((await admin.get('/api/v1/service_chains?limit=200').expect(200)).body.items as Record<string, any>[]).map((c) => `${c.name} ${c.id} generation ${c.generation} ${c.state} (last ${c.lastOperation?.operation} ${c.lastOperation?.operationState}, repairs ${c.repairs})`).sort();
    const before = await listed();
    const name = `dash-refused-${TAG}`;
    await newChainInUi(name, CLASSIFIED_PORT + 100);
    await pickHop(instances.a);
    await testId(page, 'hop-1-share').click();
    expect(await hopOrder(page)).toEqual([`dash-a-${TAG}`, `dash-b-${TAG}+dash-a-${TAG}`]);
    await testId(page, 'chain-symmetric').check();
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/service_chains') && r.request().method() === 'POST');
    await testId(page, 'chain-save').click();
    const answer = await posted;
    const body = (await answer.json()) as { id?: string; cookie?: string; errors?: { path: string; message: string }[] };
    if (answer.status() === 202 && body.id) chains.push({ id: body.id, cookie: BigInt(body.cookie ?? 0) });
    const sent = JSON.parse(answer.request().postData() ?? '{}') as Record<string, any>;
    const errors = body.errors ?? [];
    say(`refused chain: ${answer.status()} for hops ${JSON.stringify(sent.hops?.map((h: any) => h.instances.length))}, symmetric ${sent.symmetric}: ${JSON.stringify(errors)}`);
    expect(answer.status()).toBe(422);
    expect(sent).toMatchObject({ symmetric: true, hops: [{ instances: [{ vnfInstanceId: instances.a }] }, { instances: [{ vnfInstanceId: instances.b }, { vnfInstanceId: instances.a }] }] });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((e) => !/^\/hops\/1(\/|$)/.test(e.path))).toEqual([]);

    // On hop 2 of the list, and on hop 2's node of the graph; nowhere else.
    await testId(page, 'hop-1-error').first().waitFor();
    const onHop = (await testId(page, 'hop-1-error').allTextContents()).map((t) => t.trim());
    const onNode = (await testId(page, 'graph-error-hop-1').allTextContents()).map((t) => t.trim());
    const counts = await nodesAttr(page, 'data-errors');
    say(`on hop 2: ${JSON.stringify(onHop)}; on its graph node: ${JSON.stringify(onNode)}; errors per node ${JSON.stringify(counts)}`);
    expect(onHop).toEqual(errors.map((e) => e.message));
    expect(onNode).toEqual(errors.map((e) => e.message));
    expect(counts).toEqual({ ingress: '0', 'hop-0': '0', 'hop-1': String(errors.length), egress: '0' });
    expect(await testId(page, 'hop-0-error').count()).toBe(0);
    expect(await page.locator('[data-testid^="graph-error-"]').count()).toBe(errors.length);
    expect(await testId(page, 'hop-1').getAttribute('class')).toMatch(/\bhas-error\b/);
    expect(await testId(page, 'chain-errors').count()).toBe(0);
    // Still the draft, on the new-chain page; the API holds what it held.
    expect(new URL(page.url()).hash).toBe('#/chains/new');
    await showEditor(page);
    await shot(page, 'chain-refused');
    expect(await listed()).toEqual(before);
  });

  test('chain graph: the classified 5-tuple traced through ingress, hop 1, hop 2 and egress, an unclassified one entering nothing; classified packets sent from IN counted at the ingress node as the API counts them', async () => {
    const chain = chains[0]!;
    expect(chain && instances.a && instances.b).toBeTruthy();
    const read = async () => (await admin.get(`/api/v1/service_chains/${chain.id}`).expect(200)).body as Record<string, any>;
    const start = await read();
    expect(start.hops.map((h: any) => h.instances[0].vnfInstanceId)).toEqual([instances.b, instances.a]);
    await openChain(page, chain);

    // Classified traffic first: the page reads the chain's counters again within 10 s. The hops are
    // test:/// domains, so what enters b's port goes no further: only the ingress counts. IN's
    // address for OUT is set by hand: ARP does not cross from IN's VLAN to OUT's.
    const outMac = (JSON.parse(sh('ip', ['-n', OUT.ns, '-j', 'link', 'show', OUT.port])) as { address: string }[])[0]!.address;
    sh('ip', ['-n', IN.ns, 'neigh', 'replace', addressOf(OUT), 'lladdr', outMac, 'dev', IN.port, 'nud', 'permanent']);
    const SENT = 20;
    const delivered = await udpDelivered(IN, OUT, CLASSIFIED_PORT, SENT);

    // The classified 5-tuple: every node and edge of the path highlighted.
    const traceFor = async (destinationPort: number) => {
      await testId(page, 'trace-ethertype').selectOption('ipv4');
      await testId(page, 'trace-source').fill(addressOf(IN));
      await testId(page, 'trace-destination').fill(addressOf(OUT));
      await testId(page, 'trace-protocol').fill('17');
      await testId(page, 'trace-source-port').fill('40000');
      await testId(page, 'trace-destination-port').fill(String(destinationPort));
      const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/service_chains/${chain.id}/trace`) && r.request().method() === 'POST');
      await testId(page, 'trace-submit').click();
      const res = await answered;
      expect(res.status()).toBe(200);
      const result = (await res.json()) as { entersChain: boolean; hops: { hop?: number; egress?: boolean }[]; dropped: boolean };
      const phrase = result.entersChain ? 'The packet enters the chain' : 'The packet does not enter the chain';
      await page.waitForFunction((want) => ((globalThis as any).document.querySelector('[data-testid="trace-result"]')?.textContent ?? '').startsWith(want), phrase);
      return {
        result,
        path: result.hops.map((h) => (h.egress ? 'egress' : `hop-${h.hop}`)),
        text: ((await testId(page, 'trace-result').locator('p').textContent()) ?? '').trim(),
        traced: await nodesAttr(page, 'data-traced'),
        edges: await testId(page, 'chain-graph').locator('.react-flow__edge.traced').count(),
      };
    };
    const inChain = await traceFor(CLASSIFIED_PORT);
    say(`trace ${addressOf(IN)}:40000 -> ${addressOf(OUT)}:${CLASSIFIED_PORT}/udp: enters ${inChain.result.entersChain}, path ${inChain.path.join(' -> ')}; page: "${inChain.text}"; traced ${JSON.stringify(inChain.traced)}, ${inChain.edges} edges`);
    expect(inChain.result).toMatchObject({ entersChain: true, dropped: false });
    expect(inChain.path).toEqual(['hop-0', 'hop-1', 'egress']);
    expect(inChain.traced).toEqual({ ingress: 'true', 'hop-0': 'true', 'hop-1': 'true', egress: 'true' });
    expect(inChain.edges).toBe(3);
    expect(inChain.text).toMatch(/crosses 2 hop\(s\) and leaves by the egress/);
    await showEditor(page);
    await shot(page, 'chain-trace');

    const outside = await traceFor(CLASSIFIED_PORT + 1);
    say(`trace to port ${CLASSIFIED_PORT + 1}: enters ${outside.result.entersChain}, path [${outside.path.join(' -> ')}]; page: "${outside.text}"; traced ${JSON.stringify(outside.traced)}, ${outside.edges} edges`);
    expect(outside.result.entersChain).toBe(false);
    expect(outside.path).toEqual([]);
    expect(outside.traced).toEqual({ ingress: 'false', 'hop-0': 'false', 'hop-1': 'false', egress: 'false' });
    expect(outside.edges).toBe(0);
    expect(outside.text).toMatch(/^The packet does not enter the chain; crosses 0 hop\(s\)/);

    // The API's counters once the worker has read the datagrams, then the page's (no reload).
    const deadline = Date.now() + 10_000;
    let counted = await read();
    while ((counted.counters?.ingress.packets ?? 0) < SENT && Date.now() < deadline) {
      await sleep(250);
      counted = await read();
    }
    const ingress = counted.counters?.ingress.packets as number;
    const hopCounts = (counted.counters?.hops ?? []).map((h: any) => h.instances.map((i: any) => i.packets));
    // How often the page reads the chain meanwhile (it says it does every 10 s), and what it got.
    const reads: string[] = [];
    const onRead = (r: { url(): string; request(): { method(): string }; json(): Promise<any> }) => {
      if (r.request().method() === 'GET' && r.url().endsWith(`/api/v1/service_chains/${chain.id}`))
        void r.json().then(
          (c: any) => reads.push(`${new Date().toISOString().slice(17, 23)} ingress ${c?.counters?.ingress?.packets}`),
          () => reads.push('unreadable'),
        );
    };
    page.on('response', onRead);
    const t0 = Date.now();
    const shown = await page
      .waitForFunction((want) => ((globalThis as any).document.querySelector('[data-testid="graph-node-ingress"] .pkts')?.textContent ?? '').trim() === want, `${ingress} pkts`, { timeout: 15_000 })
      .then(() => Date.now() - t0)
      .catch(() => undefined);
    page.off('response', onRead);
    const visibility = await page.evaluate(() => (globalThis as any).document.visibilityState as string);
    const onGraph = ((await testId(page, 'graph-node-ingress').locator('.pkts').textContent().catch(() => null)) ?? '').trim();
    const onHops = [];
    for (const id of [instances.b, instances.a]) onHops.push(((await testId(page, `graph-instance-${id}`).locator('.pkts').textContent().catch(() => null)) ?? '').trim());
    say(`${SENT} datagrams sent IN -> OUT:${CLASSIFIED_PORT} (${delivered} delivered: the hops are fake); API counters: ingress ${start.counters?.ingress.packets ?? '-'} -> ${ingress}, hops ${JSON.stringify(hopCounts)}; graph: ingress "${onGraph}" (${shown === undefined ? 'not' : `${shown} ms after the API`}), hops ${JSON.stringify(onHops)}; the page's reads of the chain meanwhile: [${reads.join(', ')}] (document ${visibility})`);
    expect(delivered).toBe(0);
    expect(ingress).toBe((start.counters?.ingress.packets ?? 0) + SENT);
    expect(hopCounts).toEqual([[0], [0]]);
    expect(onGraph).toBe(`${ingress} pkts`);
    expect(onHops).toEqual(['0 pkts', '0 pkts']);
  });

  test('chain builder: hop 1 dragged onto hop 2 swaps them in the list and in the graph (a draft: discarded, nothing sent)', async () => {
    const chain = chains[0]!;
    await openChain(page, chain);
    const sent: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() !== 'GET' && r.url().includes('/api/v1/')) sent.push(`${r.method()} ${new URL(r.url()).pathname}`);
    };
    page.on('request', onRequest);
    try {
      const list = await hopOrder(page);
      const graph = await graphOrder(page);
      expect(list).toEqual([`dash-b-${TAG}`, `dash-a-${TAG}`]);
      await page.dragAndDrop('[data-testid="hop-0"] .hop-number', '[data-testid="hop-1"] .hop-number');
      const dragged = await hopOrder(page);
      const graphAfter = await graphOrder(page);
      say(`dragged hop 1 onto hop 2: list ${list.join(', ')} -> ${dragged.join(', ')}; graph ${graph.map((id) => (id === instances.a ? 'a' : 'b')).join(', ')} -> ${graphAfter.map((id) => (id === instances.a ? 'a' : 'b')).join(', ')}`);
      expect(dragged).toEqual([...list].reverse());
      expect(graphAfter).toEqual([...graph].reverse());
      expect(await testId(page, 'chain-save').isEnabled()).toBe(true);
      await page.getByRole('button', { name: 'Discard changes' }).click();
      await page.waitForFunction((want) => [...(globalThis as any).document.querySelectorAll('[data-testid="hop-list"] > li')].map((e: any) => e.querySelector('.hop-instances strong')?.textContent ?? '').join('|') === want, list.join('|'));
      expect(await graphOrder(page)).toEqual(graph);
      expect(sent).toEqual([]);
    } finally {
      page.off('request', onRequest);
    }
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
          // Tracing is a read: the viewer's Trace button works (the form's own 5-tuple, unclassified).
          const traced = p.waitForResponse((r) => r.url().endsWith('/trace') && r.request().method() === 'POST');
          await testId(p, 'trace-submit').click();
          expect((await traced).status()).toBe(200);
          await testId(p, 'trace-result').waitFor();
        }
        if (hash === 'instances') await shot(p, 'viewer-instances');
        if (hash === 'operations') await shot(p, 'viewer-operations');
      }
      say(`viewer, enabled buttons per page: ${seenByViewer.join('; ')}`);
    } finally {
      await viewer.close();
    }
  });

  test('every page shows its error state while the API answers 500 (header: not live), and "Try again" brings it back once the API answers; a fresh tenant sees the empty states', async () => {
    expect(vnfdUuid && instances.a && chains[0]).toBeTruthy();
    const t0 = Date.now();
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      // Signed in once; the token (sessionStorage, which a new tab does not share) copied into every tab of the context before the app starts.
      const first = await context.newPage();
      await signIn(first, operatorToken);
      const stored = await first.evaluate(() => {
        const store = (globalThis as any).sessionStorage;
        return Object.fromEntries(Object.keys(store).map((k: string) => [k, store.getItem(k) as string]));
      });
      await first.close();
      await context.addInitScript((entries: Record<string, string>) => {
        for (const [k, v] of Object.entries(entries)) (globalThis as any).sessionStorage.setItem(k, v);
      }, stored);
      // Every call but the session's answers 500 with a problem document (the event stream's too).
      const refused: string[] = [];
      await context.route('**/api/v1/**', (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === '/api/v1/session') return route.continue();
        refused.push(`${route.request().method()} ${path}`);
        return route.fulfill({
          status: 500,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'made by the dashboard test' }),
        });
      });
      /** Each page, what shows it is back, and whether its list offers "Try again". */
      const PAGES: { name: string; hash: string; tab?: 'chain'; back: string; retry: boolean }[] = [
        { name: 'hosts', hash: 'hosts', back: `host-${HOST}`, retry: true },
        { name: 'descriptors', hash: 'descriptors', back: 'vnfd-table', retry: true },
        { name: 'descriptor', hash: `descriptors/${vnfdUuid}`, back: 'vnfd-table', retry: true },
        { name: 'instances', hash: 'instances', back: 'instance-table', retry: true },
        { name: 'instance', hash: `instances/${instances.a}`, back: 'instance-table', retry: true },
        { name: 'chains', hash: 'chains', back: 'chain-table', retry: true },
        { name: 'chain', hash: `chains/${chains[0]!.id}`, back: 'chain-editor', retry: true },
        { name: 'lifecycle operations', hash: 'operations', back: 'lcm-ops', retry: true },
        { name: 'chain operations', hash: 'operations', tab: 'chain', back: 'chain-ops', retry: true },
      ];
      const tabs = await Promise.all(
        PAGES.map(async (where) => {
          const p = await context.newPage();
          const problems: string[] = [];
          p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
          p.on('console', (m) => {
            if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 500/.test(m.text())) problems.push(m.text());
          });
          await go(p, where.hash);
          if (where.tab) await testId(p, `ops-tab-${where.tab}`).click();
          await testId(p, 'error').first().waitFor({ timeout: 15_000 });
          return { where, p, problems };
        }),
      );
      const seen: string[] = [];
      for (const { where, p } of tabs) {
        const boxes = await testId(p, 'error').allTextContents();
        const retries = await testId(p, 'error').getByRole('button', { name: 'Try again' }).count();
        // The header says the stream is not live (between its tries it is "connecting" for an instant).
        const stream = await p
          .waitForSelector('[data-testid="stream-status"][data-status="error"]', { timeout: 5_000 })
          .then(() => 'error', async () => testId(p, 'stream-status').getAttribute('data-status'));
        // The alerts say the host list (where DOWN hosts come from) could not be read; no page crashed.
        await testId(p, 'alert-hosts-unread').waitFor({ timeout: 10_000 });
        expect({ page: where.name, crashed: await testId(p, 'page-error').count() }).toEqual({ page: where.name, crashed: 0 });
        seen.push(`${where.name}: ${boxes.length} error box(es), ${retries} "Try again" (stream ${stream}, hosts alert shown)`);
        expect({ page: where.name, some: boxes.length > 0, mentions500: boxes.every((b) => b.includes('500')), retry: retries > 0 }).toEqual({ page: where.name, some: true, mentions500: true, retry: where.retry });
        expect({ page: where.name, content: await testId(p, where.back).count() }).toEqual({ page: where.name, content: 0 });
        expect({ page: where.name, stream }).toEqual({ page: where.name, stream: 'error' });
      }
      const chainsTab = tabs.find((t) => t.where.name === 'chains')!.p;
      await shot(chainsTab, 'error-state');

      // The API back: "Try again" on each page (or the page has already asked again by itself). The
      // event stream stays refused: nine tabs' streams would hold all six of Chromium's connections
      // to the host (HTTP/1.1), and the tabs' other calls would wait for a free one.
      await context.unroute('**/api/v1/**');
      await context.route('**/api/v1/vnf_lcm_op_occs/events', (route) => route.fulfill({ status: 500, contentType: 'application/problem+json', body: '{"title":"Internal Server Error","status":500}' }));
      const recovered: string[] = [];
      const notBack: string[] = [];
      await Promise.all(
        tabs.map(async ({ where, p }) => {
          // Every "Try again" of the page's error boxes (a page may have several: the create form's
          // descriptor list above the instance list, say), until what shows it is back.
          const retries = testId(p, 'error').getByRole('button', { name: 'Try again' });
          const deadline = Date.now() + 10_000;
          let clicks = 0;
          let missed = '';
          while ((await testId(p, where.back).count()) === 0 && Date.now() < deadline) {
            if ((await retries.count()) > 0) {
              await retries
                .first()
                .click({ timeout: 3_000 })
                .then(
                  () => (clicks += 1),
                  (e: Error) => (missed = e.message.split('\n').slice(0, 6).join(' / ')),
                );
            }
            await sleep(150);
          }
          const back = (await testId(p, where.back).count()) > 0;
          const how = clicks ? `${clicks} "Try again"` : 'by itself';
          if (back) recovered.push(`${where.name} (${how})`);
          else notBack.push(`${where.name} (${how}${missed ? `; a click failed: ${missed}` : ''}): ${((await p.locator('main').textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').slice(0, 300)}`);
        }),
      );
      const problems = tabs.flatMap((t) => t.problems.map((m) => `${t.where.name}: ${m}`));
      say(`API answering 500 (${refused.length} calls refused): ${seen.join('; ')}; back after: ${recovered.join(', ')}; not back: [${notBack.join(' | ')}]; other console errors ${problems.length}${problems.length ? `: ${problems.join(' | ')}` : ''}`);
      expect(notBack).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    // A tenant of its own, with nothing in it: each page says so.
    const tenant = (await admin.post('/api/v1/tenants').send({ name: `dash-empty-${TAG}` }).expect(201)).body.id as string;
    freshTenant = tenant;
    const empty = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await watch(empty);
      await signIn(p, await tokenFor(app, Role.OPERATOR, tenant));
      expect(await testId(p, 'session-tenant').textContent()).toBe(`dash-empty-${TAG}`);
      const found: string[] = [];
      for (const [hash, ids] of [
        ['descriptors', ['vnfds-empty']],
        ['instances', ['instances-empty', 'empty']],
        ['chains', ['chains-empty']],
        ['operations', ['ops-empty']],
        ['operations:chain', ['chain-ops-empty']],
      ] as const) {
        const [route, tab] = hash.split(':') as [string, string | undefined];
        if (tab) await testId(p, `ops-tab-${tab}`).click();
        else await go(p, route);
        for (const id of ids) await testId(p, id).waitFor({ timeout: 10_000 });
        await settled(p);
        const texts = [];
        for (const id of ids) texts.push(`${id} "${((await testId(p, id).textContent()) ?? '').trim()}"`);
        found.push(`${hash}: ${texts.join(', ')}`);
        expect(await testId(p, 'error').count()).toBe(0);
        if (route === 'chains') await shot(p, 'empty-state');
      }
      say(`fresh tenant: ${found.join('; ')}; ${((Date.now() - t0) / 1000).toFixed(1)} s for error and empty states`);
    } finally {
      await empty.close();
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
