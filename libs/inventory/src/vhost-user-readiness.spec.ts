import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkVhostUserReadiness, isLocalOvsdbRemote, VswitchdFiles, type VswitchdPaths } from './vhost-user-readiness.js';

// Every case runs the real file reader over fixture files laid out as procfs and OvS lay them out.

const PID = 28750;
const BTIME = 1796664109; // 2026-12-07T17:21:49Z
const START_TICKS = 850548; // 8505.48 s after boot: 2026-12-07T19:43:34.480Z
const STARTED = new Date(BTIME * 1000 + START_TICKS * 10);

const EAL = '/usr/lib/x86_64-linux-gnu/librte_eal.so.23.0';
const MEMPOOL = '/usr/lib/x86_64-linux-gnu/librte_mempool.so.23.0';
const RING = '/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_mempool_ring.so.23.0';
const VSWITCHD = '/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk';

const mapsOf = (files: string[]) =>
  [
    `55f2a1c00000-55f2a1e00000 r-xp 00000000 08:01 131 ${VSWITCHD}`,
    '7ffd1e000000-7ffd1e021000 rw-p 00000000 00:00 0                          [stack]',
    '7f0000000000-7f0000200000 rw-s 00000000 00:2d 5                          /dev/hugepages/rtemap_0',
    ...files.map((f, i) => `7f3c1${i}000000-7f3c1${i}100000 r-xp 00000000 08:01 ${400 + i}                      ${f}`),
    '7f3c20000000-7f3c20001000 rw-p 00000000 00:00 0 ',
  ].join('\n') + '\n';

const failure = (at: string, port: string) =>
  `${at}|00085|netdev_dpdk|ERR|Failed to create memory pool for netdev ${port}, with MTU 1500 on socket 0: Invalid argument`;

const OLD_FAILURE = failure('2026-12-07T19:24:31.291Z', 'vhu6c99cbbe4f00');
const NEW_FAILURE = failure('2026-12-07T19:57:04.141Z', 'vhu99a574352500');
const info = (at: string, text: string) => `${at}|00001|bridge|INFO|${text}`;

let root: string;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vhost-user-readiness-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** One fixture machine: pid file, /proc/<pid>/{maps,stat}, /proc/stat and the vswitchd log. */
async function machine(opts: { maps?: string[] | null; log?: string[] | string; pid?: string | null; procStat?: boolean; running?: boolean }): Promise<VswitchdPaths> {
  const dir = join(root, `m${n++}`);
  const procDir = join(dir, 'proc');
  const paths = { pidFile: join(dir, 'ovs-vswitchd.pid'), procDir, logFile: join(dir, 'ovs-vswitchd.log') };
  await mkdir(procDir, { recursive: true });
  if (opts.pid !== null) await writeFile(paths.pidFile, `${opts.pid ?? PID}\n`);
  if (opts.running !== false) {
    await mkdir(join(procDir, String(PID)));
    if (opts.maps !== null) await writeFile(join(procDir, String(PID), 'maps'), mapsOf(opts.maps ?? [EAL, MEMPOOL, RING]));
    if (opts.procStat !== false) {
      await writeFile(
        join(procDir, String(PID), 'stat'),
        `${PID} (ovs-vswitchd) S 28749 28749 28749 0 -1 4194624 23354 0 0 0 90 53 0 0 10 -10 10 0 ${START_TICKS} 138017361920 26691 18446744073709551615\n`,
      );
      await writeFile(join(procDir, 'stat'), `cpu  1 2 3 4\nintr 0\nctxt 5\nbtime ${BTIME}\nprocesses 29000\n`);
    }
  }
  if (opts.log !== undefined) await writeFile(paths.logFile, typeof opts.log === 'string' ? opts.log : opts.log.join('\n') + '\n');
  return paths;
}

const LOCAL = 'unix:/var/run/openvswitch/db.sock';
const check = async (paths: VswitchdPaths, remote = LOCAL, dpdkInitialized = true) =>
  checkVhostUserReadiness({ dpdkInitialized, ovsdbRemote: remote, vswitchd: new VswitchdFiles(paths) });

describe('vhost-user readiness of a local ovs-vswitchd', () => {
  test('DPDK with its mempool ring driver loaded and a clean log: ready', async () => {
    const paths = await machine({ log: [info('2026-12-07T19:43:35.000Z', 'ovs-vswitchd (Open vSwitch) 3.1.0')] });
    expect(await check(paths)).toEqual({ ready: true, reason: null });
  });

  test('DPDK not initialised: not ready, and it says so without looking further', async () => {
    const paths = await machine({ pid: null });
    const result = await check(paths, LOCAL, false);
    expect(result.ready).toBe(false);
    expect(result.reason).toMatch(/DPDK is not initialised/);
  });

  test('librte_eal loaded but no librte_mempool_ring: not ready, naming the package and the restart', async () => {
    const paths = await machine({ maps: [EAL, MEMPOOL], log: [] });
    const result = await check(paths);
    expect(result.ready).toBe(false);
    expect(result.reason).toContain('librte-mempool-ring23');
    expect(result.reason).toMatch(/restart ovs-vswitchd/);
    expect(result.reason).toContain(`pid ${PID}`);
  });

  test('a static build (no librte_eal in the map) is judged by its log alone', async () => {
    expect(await check(await machine({ maps: [], log: [] }))).toEqual({ ready: true, reason: null });
    const failing = await check(await machine({ maps: [], log: [NEW_FAILURE] }));
    expect(failing).toEqual({ ready: false, reason: expect.stringContaining(NEW_FAILURE) });
  });

  test('a memory pool failure logged before this process started does not count; one after it does', async () => {
    const before = [
      info('2026-12-07T17:23:03.189Z', 'opened log file'),
      OLD_FAILURE,
      info('2026-12-07T19:43:34.100Z', 'exiting'), // the previous process
      info('2026-12-07T19:43:35.000Z', 'ovs-vswitchd (Open vSwitch) 3.1.0'),
    ];
    expect(await check(await machine({ log: before }))).toEqual({ ready: true, reason: null });

    const after = await check(await machine({ log: [...before, info('2026-12-07T19:50:00.000Z', 'port added'), NEW_FAILURE, info('2026-12-07T20:00:00.000Z', 'later')] }));
    expect(after.ready).toBe(false);
    expect(after.reason).toContain(NEW_FAILURE);
    expect(after.reason).not.toContain('vhu6c99cbbe4f00');
    expect(after.reason).toContain(STARTED.toISOString());
  });

  test('the log is read backwards in chunks: a failure far before a long tail of later lines is still found, lines across chunk edges intact', async () => {
    const filler = Array.from({ length: 5000 }, (_, i) => info('2026-12-07T20:10:00.000Z', `line ${i} ${'é'.repeat(i % 37)}`));
    const paths = await machine({ log: [OLD_FAILURE, info('2026-12-07T19:44:00.000Z', 'started'), NEW_FAILURE, ...filler] });
    expect((await check(paths)).reason).toContain(NEW_FAILURE);
    const clean = await machine({ log: [OLD_FAILURE, info('2026-12-07T19:44:00.000Z', 'started'), ...filler] });
    expect(await check(clean)).toEqual({ ready: true, reason: null });
  });

  test('without /proc/<pid>/stat the pid file time is the start time', async () => {
    const paths = await machine({ procStat: false, log: [OLD_FAILURE, NEW_FAILURE] });
    await utimes(paths.pidFile, STARTED, STARTED);
    const result = await check(paths);
    expect(result.reason).toContain(NEW_FAILURE);
    expect(result.reason).not.toContain('vhu6c99cbbe4f00');
  });

  test('no log file: nothing says a pool failed', async () => {
    expect(await check(await machine({}))).toEqual({ ready: true, reason: null });
  });

  test('no pid file, or a pid that is not running: not checked, saying why', async () => {
    const noPid = await check(await machine({ pid: null }));
    expect(noPid).toEqual({ ready: null, reason: expect.stringMatching(/^not checked: cannot read .*ovs-vswitchd\.pid/) });
    const gone = await check(await machine({ running: false }));
    expect(gone).toEqual({ ready: null, reason: expect.stringMatching(/^not checked: ovs-vswitchd \(pid 28750 .*\) is not running/) });
  });

  test('an unreadable memory map: not checked, unless the log shows a failure', async () => {
    expect((await check(await machine({ maps: null, log: [] }))).ready).toBeNull();
    expect((await check(await machine({ maps: null, log: [NEW_FAILURE] }))).ready).toBe(false);
  });
});

describe('a switch on another machine', () => {
  test('is not checked: ready null with the reason, whatever this machine has', async () => {
    const broken = await machine({ maps: [EAL, MEMPOOL], log: [NEW_FAILURE] });
    for (const remote of ['tcp:10.0.0.7:6640', 'ssl:compute-3.example:6640', 'tcp:[2001:db8::7]:6640']) {
      expect(await check(broken, remote)).toEqual({ ready: null, reason: 'not checked: ovs-vswitchd is not on this machine' });
    }
  });

  test('a remote DPDK that is not initialised is still not ready (OVSDB says so)', async () => {
    expect((await check(await machine({}), 'tcp:10.0.0.7:6640', false)).ready).toBe(false);
  });

  test('unix sockets and loopback tcp/ssl are this machine', () => {
    for (const r of ['unix:/var/run/openvswitch/db.sock', 'tcp:127.0.0.1:6640', 'ssl:localhost:6640', 'tcp:[::1]:6640', 'tcp:LOCALHOST:6640']) {
      expect(isLocalOvsdbRemote(r)).toBe(true);
    }
    for (const r of ['tcp:10.0.0.7:6640', 'tcp:127.0.0.2:6640', 'tcp:localhost.evil:6640', 'punix:/x', '']) expect(isLocalOvsdbRemote(r)).toBe(false);
  });
});
