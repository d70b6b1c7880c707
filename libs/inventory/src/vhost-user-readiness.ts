import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Whether vhost-user ports on this switch can carry packets. `ready: null` means nobody looked
 * (a switch on another machine); placement treats it as ready.
 */
export interface VhostUserReadiness {
  ready: boolean | null;
  reason: string | null;
}

/** The package whose driver OvS-DPDK needs to make packet-buffer pools (only recommended by Debian's DPDK). */
export const MEMPOOL_RING_PACKAGE = 'librte-mempool-ring23';

/** Where a local ovs-vswitchd leaves its traces; injectable so tests read fixture files. */
export interface VswitchdPaths {
  pidFile: string;
  /** procfs root: `<procDir>/<pid>/maps`, `<procDir>/<pid>/stat` and `<procDir>/stat` (btime). */
  procDir: string;
  logFile: string;
}

export const DEFAULT_VSWITCHD_PATHS: VswitchdPaths = {
  pidFile: '/var/run/openvswitch/ovs-vswitchd.pid',
  procDir: '/proc',
  logFile: '/var/log/openvswitch/ovs-vswitchd.log',
};

/** What the readiness check reads about a local ovs-vswitchd. Every method only reads files. */
export interface VswitchdFacts {
  /** The running process's pid, or a sentence saying why it cannot be found. */
  pid(): Promise<{ pid: number } | { problem: string }>;
  /** The file paths mapped into the process (`/proc/<pid>/maps`). */
  mappedFiles(pid: number): Promise<string[]>;
  /** When the process started. */
  startedAt(pid: number): Promise<Date>;
  /** The last `Failed to create memory pool` line of the log written at or after `since`, or null. */
  memoryPoolFailureSince(since: Date): Promise<string | null>;
}

/** Kernel clock ticks per second for /proc/<pid>/stat (USER_HZ: 100 on every Linux ABI Debian ships). */
const USER_HZ = 100;
const LOG_CHUNK = 64 * 1024;
/**
 * Never read more than the last 64 MiB of the log (discovery runs every minute): an unrotated log
 * with a failure further back than that is not seen; the memory map check does not depend on it.
 */
const LOG_MAX_BYTES = 64 * 1024 * 1024;
const FAILURE = 'Failed to create memory pool';
/** ovs-vswitchd.log lines begin with an ISO UTC time: `2026-12-07T19:24:31.291Z|00085|netdev_dpdk|ERR|…`. */
const LOG_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\|/;

/** VswitchdFacts over the real files (or fixture files at other paths). */
export class VswitchdFiles implements VswitchdFacts {
  constructor(private readonly paths: VswitchdPaths = DEFAULT_VSWITCHD_PATHS) {}

  async pid(): Promise<{ pid: number } | { problem: string }> {
    let text: string;
    try {
      text = await readFile(this.paths.pidFile, 'utf8');
    } catch (error) {
      return { problem: `cannot read ${this.paths.pidFile}: ${(error as Error).message}` };
    }
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 0) return { problem: `${this.paths.pidFile} holds no pid` };
    try {
      await stat(join(this.paths.procDir, String(pid)));
    } catch {
      return { problem: `ovs-vswitchd (pid ${pid} from ${this.paths.pidFile}) is not running or not visible in ${this.paths.procDir}` };
    }
    return { pid };
  }

  async mappedFiles(pid: number): Promise<string[]> {
    const maps = await readFile(join(this.paths.procDir, String(pid), 'maps'), 'utf8');
    const files = new Set<string>();
    for (const line of maps.split('\n')) {
      // address perms offset dev inode [path]: the path is the sixth field and may hold spaces.
      const path = /^\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+(\/.*)$/.exec(line)?.[1];
      if (path) files.add(path);
    }
    return [...files];
  }

  async startedAt(pid: number): Promise<Date> {
    try {
      const stat = await readFile(join(this.paths.procDir, String(pid), 'stat'), 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces or ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(/\s+/);
      const startTicks = Number(fields[19]); // field 22 of proc(5); fields[0] is field 3
      const btime = Number(/^btime\s+(\d+)$/m.exec(await readFile(join(this.paths.procDir, 'stat'), 'utf8'))?.[1]);
      if (Number.isFinite(startTicks) && Number.isFinite(btime)) return new Date(btime * 1000 + (startTicks * 1000) / USER_HZ);
    } catch {
      // fall back to the pid file, which ovs-vswitchd writes as it starts
    }
    return (await stat(this.paths.pidFile)).mtime;
  }

  /** Reads the log backwards and stops at the first line older than `since`: a long log costs only its recent part. */
  async memoryPoolFailureSince(since: Date): Promise<string | null> {
    let file;
    try {
      file = await open(this.paths.logFile, 'r');
    } catch {
      return null; // no log to read: nothing says a pool failed
    }
    try {
      const size = (await file.stat()).size;
      const stopAt = Math.max(0, size - LOG_MAX_BYTES);
      let end = size;
      let carry = Buffer.alloc(0); // the start of a line that began in an earlier chunk
      while (end > stopAt) {
        const start = Math.max(stopAt, end - LOG_CHUNK);
        const chunk = Buffer.alloc(end - start);
        await file.read(chunk, 0, chunk.length, start);
        const text = Buffer.concat([chunk, carry]);
        // Split on newline bytes before decoding, so no UTF-8 character is cut at a chunk's edge.
        let lines: string[];
        if (start === stopAt) {
          carry = Buffer.alloc(0);
          lines = text.toString('utf8').split('\n');
        } else {
          const firstBreak = text.indexOf(0x0a);
          carry = firstBreak < 0 ? text : text.subarray(0, firstBreak);
          lines = firstBreak < 0 ? [] : text.subarray(firstBreak + 1).toString('utf8').split('\n');
        }
        for (let i = lines.length - 1; i >= 0; i--) {
          const line = lines[i]!;
          const time = LOG_TIME.exec(line)?.[1];
          if (time === undefined) continue;
          if (Date.parse(time) < since.getTime()) return null;
          if (line.includes(FAILURE)) return line.trim();
        }
        end = start;
      }
      return null;
    } finally {
      await file.close();
    }
  }
}

/**
 * Whether the process behind an OVSDB remote runs on this machine: a unix socket, or tcp/ssl to
 * the loopback address. Anything else may be another machine's switch, which we cannot look at.
 */
export function isLocalOvsdbRemote(remote: string): boolean {
  if (remote.startsWith('unix:')) return true;
  const match = /^(?:tcp|ssl):(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(remote);
  if (!match) return false;
  const host = match[1]!.replace(/^\[|\]$/g, '').toLowerCase();
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

const LIB_EAL = /\/librte_eal\.so[^/]*$/;
const LIB_MEMPOOL_RING = /\/librte_mempool_ring\.so[^/]*$/;

/**
 * Can OvS-DPDK make the packet-buffer pools a vhost-user port needs once a guest starts its NIC?
 * Nothing in OVSDB says: a port without them is `status=connected` and carries nothing. What does:
 * DPDK's EAL loads every driver of its plugin folder at start, so a vswitchd that can make pools
 * has librte_mempool_ring mapped; and a guest's try is logged as `Failed to create memory pool`.
 */
export async function checkVhostUserReadiness(input: {
  dpdkInitialized: boolean;
  ovsdbRemote: string;
  vswitchd: VswitchdFacts;
}): Promise<VhostUserReadiness> {
  if (!input.dpdkInitialized) {
    return { ready: false, reason: 'DPDK is not initialised in Open vSwitch (dpdk_initialized is false): no vhost-user port can be made' };
  }
  if (!isLocalOvsdbRemote(input.ovsdbRemote)) return { ready: null, reason: 'not checked: ovs-vswitchd is not on this machine' };
  const found = await input.vswitchd.pid();
  if ('problem' in found) return { ready: null, reason: `not checked: ${found.problem}` };
  const { pid } = found;

  let mapped: string[] | null;
  let mapsProblem: string | null = null;
  try {
    mapped = await input.vswitchd.mappedFiles(pid);
  } catch (error) {
    mapped = null;
    mapsProblem = (error as Error).message;
  }
  if (mapped && mapped.some((f) => LIB_EAL.test(f)) && !mapped.some((f) => LIB_MEMPOOL_RING.test(f))) {
    return {
      ready: false,
      reason:
        `ovs-vswitchd (pid ${pid}) has DPDK loaded without its mempool ring driver (librte_mempool_ring), so it cannot ` +
        `create packet-buffer pools for vhost-user ports: install ${MEMPOOL_RING_PACKAGE}, then restart ovs-vswitchd`,
    };
  }

  let started: Date | null = null;
  try {
    started = await input.vswitchd.startedAt(pid);
  } catch {
    // no start time: the log cannot be told apart from an earlier process's, so it is not read
  }
  if (started) {
    const failure = await input.vswitchd.memoryPoolFailureSince(started).catch(() => null);
    if (failure) {
      return {
        ready: false,
        reason: `ovs-vswitchd (pid ${pid}, started ${started.toISOString()}) failed to create a packet-buffer pool for a vhost-user port since it started: ${failure}`,
      };
    }
  }
  if (mapped === null) return { ready: null, reason: `not checked: cannot read the memory map of ovs-vswitchd (pid ${pid}): ${mapsProblem}` };
  return { ready: true, reason: null };
}
