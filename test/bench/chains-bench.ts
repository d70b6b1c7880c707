// npm run bench:chains (issue 20's benchmark): render 1,000 service chains of 5 hops with 2
// instances each with libs/chains' renderChain and install each with one make-before-break bundle
// (libs/ovs installChainBundle + OfctlFlowInstaller, `ovs-ofctl -O OpenFlow15 bundle`) on a
// netdev bridge of its own on the real OvS-DPDK; then give one instance (shared by 100 chains) a
// new port and re-render and re-install those chains as generation 2 (after each phase every
// chain's flows and groups are compared with its rendering: flowDrift, groupDrift); then delete every chain and
// check that no flow of a chain cookie is left. Prints the tables (markdown) for docs/benchmarks.md;
// timings are reported, never asserted. Needs ovs-vswitchd running and `ovs-vsctl`/`ovs-ofctl`.
// The bridge and its ports are the script's own and are removed at the end, also on failure.
import { execFileSync } from 'node:child_process';
import {
  chainCookieMatch, chainOfCookie, deleteChainBundle, flowDrift, generationFlowLines, groupDrift, groupIdOf, installChainBundle, type ChainGeneration,
  type InstalledGeneration, OfctlFlowInstaller,
} from '#vim/ovs';
import { type ChainFacts, type InstanceFacts, renderChain, type ServiceChain } from '#vim/chains';
import { markdownTable, percentile } from './stats.js';

const CHAINS = Number(process.env.BENCH_CHAINS ?? 1000);
const HOPS = 5;
const PER_HOP = 2;
/** Instance pairs per hop position: chain c uses pair c mod SHARING, so each instance is in CHAINS / SHARING chains. */
const SHARING = 10;
const TAG = String(process.pid % 100_000);
const BRIDGE = `bch${TAG}`;
const HOST = 'bench-host';
const UDP_PORT = 5201;

const sh = (file: string, args: readonly string[], input?: string) =>
  execFileSync(file, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
const log = (line: string) => process.stdout.write(`[bench:chains] ${line}\n`);
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const installer = new OfctlFlowInstaller();

let bridgeMade = false;
function removeBridge(): void {
  if (!bridgeMade) return;
  try {
    sh('ovs-vsctl', ['--timeout=60', '--if-exists', 'del-br', BRIDGE]);
    bridgeMade = false;
    log(`bridge ${BRIDGE} deleted`);
  } catch (error) {
    process.stderr.write(`[bench:chains] could not delete bridge ${BRIDGE}: ${String(error)}\n`);
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    removeBridge();
    process.exit(130);
  });
}

/** Internal ports on the bridge, made in one ovs-vsctl transaction; their ofports by name. */
function addPorts(names: readonly string[]): Record<string, number> {
  const args = ['--timeout=60'];
  for (const name of names) args.push('--', 'add-port', BRIDGE, name, '--', 'set', 'Interface', name, 'type=internal');
  sh('ovs-vsctl', args);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = sh('ovs-vsctl', ['--timeout=10', '--format=csv', '--no-headings', '--columns=name,ofport', 'list', 'Interface']);
    const ofports = Object.fromEntries(rows.trim().split('\n').map((r) => r.split(',')).map(([n, p]) => [n!.replace(/"/g, ''), Number(p)]));
    if (names.every((n) => (ofports[n] ?? -1) > 0)) return Object.fromEntries(names.map((n) => [n, ofports[n]!]));
    if (Date.now() > deadline) throw new Error(`ports without an ofport after 30 s: ${names.filter((n) => !((ofports[n] ?? -1) > 0)).join(', ')}`);
    sh('sleep', ['0.2']);
  }
}

/** Every flow on the bridge (no stats), by cookie. */
function flowsByCookie(): Map<bigint, string[]> {
  const out = sh('ovs-ofctl', ['-O', 'OpenFlow15', '--no-stats', 'dump-flows', BRIDGE]);
  const map = new Map<bigint, string[]>();
  for (const line of out.split('\n').map((l) => l.trim())) {
    if (line === '' || /^(OFPST|NXST)_/.test(line)) continue;
    const m = /cookie=(0x[0-9a-f]+)/.exec(line);
    const cookie = m ? BigInt(m[1]!) : 0n;
    map.set(cookie, [...(map.get(cookie) ?? []), line]);
  }
  return map;
}
const flowCount = () => Number(/flow_count=(\d+)/.exec(sh('ovs-ofctl', ['-O', 'OpenFlow15', 'dump-aggregate', BRIDGE]))![1]);
const groupCount = () => [...sh('ovs-ofctl', ['-O', 'OpenFlow15', 'dump-groups', BRIDGE]).matchAll(/group_id=/g)].length;

const instanceId = (hop: number, k: number) => `vnf-h${hop}-${k}`;
const portName = (n: number) => `c${TAG}p${n}`;

function chainOf(c: number, hops: number, instancesOf: (hop: number) => string[], destination: string): ServiceChain {
  return {
    name: `bench-${c}`,
    ingress: { host: HOST, bridge: BRIDGE },
    egress: { host: HOST, bridge: BRIDGE },
    classifier: { ethertype: 'ipv4', destinationPrefix: `${destination}/32`, protocol: 17, destinationPorts: { from: UDP_PORT, to: UDP_PORT } },
    hops: Array.from({ length: hops }, (_, h) => ({ instances: instancesOf(h).map((id) => ({ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' })) })),
    symmetric: false,
  };
}
/** Chain c (1-based): pair c mod SHARING at every hop; destination 10.100.x.y, one per chain. */
const benchChain = (c: number) =>
  chainOf(c, HOPS, (h) => Array.from({ length: PER_HOP }, (_, i) => instanceId(h, (c % SHARING) * PER_HOP + i)), `10.100.${c >> 8}.${c & 255}`);

const generationOf = (rules: ReturnType<typeof renderChain>, generation: number): ChainGeneration => {
  if (rules.length !== 1 || rules[0]!.bridge !== BRIDGE) throw new Error(`rendered for ${rules.map((r) => r.bridge).join(', ')}, not one bridge ${BRIDGE}`);
  return { generation, flows: rules[0]!.flows, groups: rules[0]!.groups };
};
const installedOf = (g: ChainGeneration): InstalledGeneration => ({
  generation: g.generation,
  groupIds: (g.groups ?? []).map((l) => Number(/group_id=(\d+)/.exec(l)![1])),
});

/**
 * The flows on the bridge are exactly each chain's rendered generation (flowDrift per cookie), and
 * so are its groups (groupDrift on one `ovs-ofctl -O OpenFlow15 dump-groups` of the bridge, per
 * chain's group ids); a group no chain owns is drift too. Answers the groups compared.
 */
async function checkInstalled(chains: Map<bigint, ChainGeneration>): Promise<number> {
  const byChain = new Map<bigint, string[]>();
  for (const [cookie, lines] of flowsByCookie()) byChain.set(chainOfCookie(cookie), [...(byChain.get(chainOfCookie(cookie)) ?? []), ...lines]);
  const groupLines = new Map<number, string>();
  for (const line of await installer.dumpGroups(BRIDGE)) groupLines.set(groupIdOf(line) ?? -1, line);
  const owned = new Set<number>();
  let bad = 0;
  let badGroups = 0;
  for (const [cookie, gen] of chains) {
    const dumped = byChain.get(cookie) ?? [];
    const drift = flowDrift(dumped, generationFlowLines(cookie, gen));
    if (drift.missing.length > 0 || drift.extra.length > 0) {
      if (bad++ < 3) log(`chain ${cookie}: drift ${JSON.stringify(drift).slice(0, 400)}`);
    }
    const ids = installedOf(gen).groupIds;
    ids.forEach((id) => owned.add(id));
    const groups = groupDrift(ids.flatMap((id) => groupLines.get(id) ?? []), gen.groups ?? [], ids);
    if (groups.missing.length > 0 || groups.extra.length > 0) {
      if (badGroups++ < 3) log(`chain ${cookie}: group drift ${JSON.stringify(groups).slice(0, 600)}`);
    }
  }
  const unowned = [...groupLines.keys()].filter((id) => !owned.has(id));
  if (unowned.length > 0) log(`groups on the bridge that no chain owns: ${unowned.slice(0, 5).join(', ')}${unowned.length > 5 ? ', …' : ''} (${unowned.length})`);
  if (bad > 0 || badGroups > 0 || unowned.length > 0) {
    throw new Error(`${bad} of ${chains.size} chains' flows and ${badGroups} chains' groups are not installed as rendered; ${unowned.length} groups no chain owns`);
  }
  return groupLines.size;
}

async function main(): Promise<void> {
  const ovsVersion = sh('ovs-vsctl', ['--version']).split('\n')[0];
  log(`${ovsVersion}; bridge ${BRIDGE} (netdev); ${CHAINS} chains x ${HOPS} hops x ${PER_HOP} instances, each instance in ${CHAINS / SHARING} chains`);
  sh('ovs-vsctl', ['--timeout=10', 'add-br', BRIDGE, '--', 'set', 'bridge', BRIDGE, 'datapath_type=netdev']);
  bridgeMade = true;
  sh('ovs-ofctl', ['del-flows', BRIDGE]); // no NORMAL flow: the bridge holds the chains' flows only

  // Real ports for every ofport the flows name: two per instance (its vhost-user ports in the
  // facts; internal ports here), the ingress and the egress.
  const instanceCount = HOPS * SHARING * PER_HOP;
  const started = performance.now();
  const ports = addPorts([...Array.from({ length: 2 * instanceCount }, (_, n) => portName(n)), `c${TAG}in`, `c${TAG}eg`]);
  log(`${2 * instanceCount + 2} internal ports made in ${fmt(performance.now() - started)} ms`);

  // Does OvS take flows and buckets naming ofports that do not exist? (Not relied upon: every port above is real.)
  const probe = 0xbe_0000n + BigInt(process.pid % 1000);
  const probeBundle = installChainBundle(BRIDGE, probe, { generation: 1, flows: ['in_port=60001,ip,actions=group:7'], groups: ['group_id=7,type=select,bucket=output:60002,bucket=output:60003'] });
  const probeAccepted = await installer.install(BRIDGE, probeBundle).then(() => true, () => false);
  await installer.install(BRIDGE, deleteChainBundle(BRIDGE, probe, [7]));
  log(`flows to ofports that do not exist: ${probeAccepted ? 'accepted by OvS' : 'refused by OvS'}; this run uses real internal ports for every ofport`);

  const instances: Record<string, InstanceFacts> = {};
  for (let h = 0; h < HOPS; h++) {
    for (let k = 0; k < SHARING * PER_HOP; k++) {
      const n = 2 * (h * SHARING * PER_HOP + k);
      instances[instanceId(h, k)] = {
        state: 'INSTANTIATED',
        live: true,
        ports: {
          left: { host: HOST, bridge: BRIDGE, ofport: ports[portName(n)]!, kind: 'vhostuser' },
          right: { host: HOST, bridge: BRIDGE, ofport: ports[portName(n + 1)]!, kind: 'vhostuser' },
        },
      };
    }
  }
  const facts: ChainFacts = { instances, ingress: { ofport: ports[`c${TAG}in`]! }, egress: { ofport: ports[`c${TAG}eg`]! } };

  // 1. Render and install generation 1 of every chain, one bundle each.
  const current = new Map<bigint, ChainGeneration>();
  const renderMs: number[] = [];
  const installMs: number[] = [];
  const flowsPerChain = new Set<number>();
  const groupsPerChain = new Set<number>();
  const phase1 = performance.now();
  for (let c = 1; c <= CHAINS; c++) {
    const cookie = BigInt(c);
    const r0 = performance.now();
    const gen = generationOf(renderChain(benchChain(c), cookie, 1, facts), 1);
    renderMs.push(performance.now() - r0);
    flowsPerChain.add(gen.flows.length);
    groupsPerChain.add(gen.groups!.length);
    installMs.push((await installer.install(BRIDGE, installChainBundle(BRIDGE, cookie, gen))).durationMs);
    current.set(cookie, gen);
  }
  const phase1Ms = performance.now() - phase1;
  const flowsAfterInstall = flowCount();
  const groupsAfterInstall = groupCount();
  const groupsChecked1 = await checkInstalled(current);
  log(`generation 1: ${CHAINS} chains in ${fmt(phase1Ms)} ms; bridge holds ${flowsAfterInstall} flows, ${groupsAfterInstall} groups; every chain's flows as rendered (flowDrift) and its groups (groupDrift: no group drift in ${groupsChecked1} groups)`);

  // The group check is not blind: one bucket of chain 1's first group changed on the switch
  // (`group modify`) shows as that group missing and extra, read back by its id alone; then restored.
  const probeGroup = current.get(1n)!.groups![0]!;
  const probeId = groupIdOf(probeGroup)!;
  const tampered = probeGroup.replace(/output:(\d+)$/, (_, port: string) => `output:${Number(port) === ports[`c${TAG}eg`] ? ports[`c${TAG}in`] : ports[`c${TAG}eg`]}`);
  sh('ovs-ofctl', ['-O', 'OpenFlow15', 'bundle', BRIDGE, '-'], `group modify ${tampered}\n`);
  const seen = groupDrift(await installer.dumpGroups(BRIDGE, probeId), [probeGroup], [probeId]);
  sh('ovs-ofctl', ['-O', 'OpenFlow15', 'bundle', BRIDGE, '-'], `group modify ${probeGroup}\n`);
  const restored = groupDrift(await installer.dumpGroups(BRIDGE, probeId), [probeGroup], [probeId]);
  if (tampered === probeGroup || seen.missing.length !== 1 || seen.extra.length !== 1 || restored.missing.length + restored.extra.length > 0) {
    throw new Error(`group drift not seen as expected: tampered ${JSON.stringify(seen)}, restored ${JSON.stringify(restored)}`);
  }
  log(`group ${probeId} with one bucket changed on the switch: groupDrift says missing 1, extra 1 (${seen.extra[0]}); restored: no drift`);

  // 2. One instance changes (its egress port is replaced by a new one: a new ofport); every chain
  // through it is re-rendered (generation 2) and re-installed make-before-break.
  const changed = instanceId(2, 0);
  const newPort = addPorts([`c${TAG}n`])[`c${TAG}n`]!;
  const old = instances[changed]!;
  instances[changed] = { ...old, ports: { ...old.ports, right: { ...old.ports.right!, ofport: newPort } } };
  const rr0 = performance.now();
  const affected: { cookie: bigint; gen: ChainGeneration }[] = [];
  const rerenderMs: number[] = [];
  for (let c = 1; c <= CHAINS; c++) {
    const chain = benchChain(c);
    if (!chain.hops.some((hop) => hop.instances.some((i) => i.vnfInstanceId === changed))) continue;
    const r0 = performance.now();
    affected.push({ cookie: BigInt(c), gen: generationOf(renderChain(chain, BigInt(c), 2, facts), 2) });
    rerenderMs.push(performance.now() - r0);
  }
  const rerenderTotalMs = performance.now() - rr0;
  const reinstallMs: number[] = [];
  const ri0 = performance.now();
  for (const { cookie, gen } of affected) {
    const previous = installedOf(current.get(cookie)!);
    reinstallMs.push((await installer.install(BRIDGE, installChainBundle(BRIDGE, cookie, gen, previous))).durationMs);
    current.set(cookie, gen);
  }
  const reinstallTotalMs = performance.now() - ri0;
  const totalFlows = flowCount();
  const totalGroups = groupCount();
  const groupsChecked2 = await checkInstalled(current);
  const movedFlows = affected.filter(({ gen }) => gen.flows.some((f) => f.includes(`in_port=${newPort},`))).length;
  log(`generation 2: ${affected.length} chains through ${changed} (new ofport ${newPort}, in the flows of ${movedFlows}) re-rendered in ${fmt(rerenderTotalMs)} ms, re-installed in ${fmt(reinstallTotalMs)} ms; bridge holds ${totalFlows} flows, ${totalGroups} groups; every chain as rendered, flows and groups (no group drift in ${groupsChecked2} groups, none left of generation 1)`);

  // 3. Delete every chain; no flow of a chain cookie may be left, nor any group.
  const deleteMs: number[] = [];
  for (const [cookie, gen] of current) deleteMs.push((await installer.install(BRIDGE, deleteChainBundle(BRIDGE, cookie, installedOf(gen).groupIds))).durationMs);
  const left = [...flowsByCookie().keys()].filter((k) => chainOfCookie(k) >= 1n && chainOfCookie(k) <= BigInt(CHAINS));
  const groupsLeft = groupCount();
  if (left.length > 0 || groupsLeft > 0) throw new Error(`after deleting every chain: ${left.length} chain cookies and ${groupsLeft} groups left`);
  if ((await installer.dumpChainFlows(BRIDGE, 1n)).length > 0) throw new Error(`chain 1 still has flows (${chainCookieMatch(1n)})`);
  log(`deleted ${current.size} chains (p50 ${fmt(percentile(deleteMs, 50))} ms per bundle): no flow with a chain cookie left, ${groupsLeft} groups, ${flowCount()} flows on the bridge`);

  // 4. Linear growth: flows and groups per chain for 1, 2, 3, 5, 8 hops of 2 instances, each
  // rendered and installed on the same bridge, counted on the bridge by cookie, then deleted.
  const pool = Object.keys(instances);
  const growth: (string | number)[][] = [];
  for (const [i, hops] of [1, 2, 3, 5, 8].entries()) {
    const cookie = 5000n + BigInt(i);
    const chain = chainOf(5000 + i, hops, (h) => [pool[h * 2]!, pool[h * 2 + 1]!], `10.201.0.${hops}`);
    const gen = generationOf(renderChain(chain, cookie, 1, facts), 1);
    const { durationMs } = await installer.install(BRIDGE, installChainBundle(BRIDGE, cookie, gen));
    const onBridge = (await installer.dumpChainFlows(BRIDGE, cookie)).length;
    const groupsOnBridge = groupCount();
    await installer.install(BRIDGE, deleteChainBundle(BRIDGE, cookie, installedOf(gen).groupIds));
    growth.push([hops, gen.flows.length, onBridge, gen.groups!.length, groupsOnBridge, `1 + ${PER_HOP} x ${hops} = ${1 + PER_HOP * hops}`, fmt(durationMs)]);
  }
  if (flowCount() !== 0 || groupCount() !== 0) throw new Error('the growth check left flows or groups');

  const p = (v: number[], q: number) => fmt(percentile(v, q));
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const p50 = percentile(installMs, 50);
  const p99 = percentile(installMs, 99);
  const main = markdownTable(['measure', 'value'], [
    ['chains (5 hops x 2 instances, one bundle each)', CHAINS],
    ['flows per chain / groups per chain', `${[...flowsPerChain].join(', ')} / ${[...groupsPerChain].join(', ')}`],
    ['install per chain, ms (p50 / p99 / max)', `${p(installMs, 50)} / ${p(installMs, 99)} / ${fmt(Math.max(...installMs))}`],
    ['install p50 of the first / last 100 chains, ms (bridge nearly empty / nearly full)', `${p(installMs.slice(0, 100), 50)} / ${p(installMs.slice(-100), 50)}`],
    ['render per chain, ms (p50 / p99)', `${p(renderMs, 50)} / ${p(renderMs, 99)}`],
    ['render + install of all chains, s', (phase1Ms / 1000).toFixed(1)],
    ['throughput, chains/s (render + install, sequential)', (CHAINS / (phase1Ms / 1000)).toFixed(0)],
    ['flows / groups on the bridge after generation 1', `${flowsAfterInstall} / ${groupsAfterInstall}`],
    [`re-render: chains through the changed instance`, affected.length],
    ['re-render of those chains, ms (total; per chain p50 / p99)', `${fmt(rerenderTotalMs)}; ${p(rerenderMs, 50)} / ${p(rerenderMs, 99)}`],
    ['re-install (generation 2, make-before-break) per chain, ms (p50 / p99 / max)', `${p(reinstallMs, 50)} / ${p(reinstallMs, 99)} / ${fmt(Math.max(...reinstallMs))}`],
    ['re-install of those chains, s (throughput, chains/s)', `${(reinstallTotalMs / 1000).toFixed(2)} (${(affected.length / (reinstallTotalMs / 1000)).toFixed(0)})`],
    ['flows / groups on the bridge at the end (dump-aggregate, dump-groups)', `${totalFlows} / ${totalGroups}`],
    ['delete per chain, ms (p50 / p99); chain-cookie flows left', `${p(deleteMs, 50)} / ${p(deleteMs, 99)}; ${left.length}`],
  ]);
  const growthTable = markdownTable(['hops (2 instances each)', 'flows rendered', 'flows on the bridge', 'groups rendered', 'groups on the bridge', 'expected flows', 'install ms'], growth);
  process.stdout.write(`\nMeasured ${new Date().toISOString()} (${ovsVersion}, netdev bridge, ovs-ofctl per bundle):\n\n${main}\n\n${growthTable}\n\n`);
  process.stdout.write(`Targets (issue 20): p50 install under 20 ms: ${met(p50 < 20)} (${fmt(p50)} ms); p99 under 100 ms: ${met(p99 < 100)} (${fmt(p99)} ms); flows linear in hops: ${met(growth.every((r) => r[1] === 1 + PER_HOP * Number(r[0]) && r[2] === r[1]))}.\n`);
  process.stdout.write(`Ports: real OvS internal ports for every ofport (flows to ofports that do not exist are ${probeAccepted ? 'accepted' : 'refused'} by OvS; not used).\n`);
}

async function run(): Promise<void> {
  try {
    await main();
  } catch (error) {
    process.stderr.write(`[bench:chains] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    removeBridge();
  }
}

void run();
