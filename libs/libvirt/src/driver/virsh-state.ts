import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { PowerState, PowerStateName } from './hypervisor-driver.js';

const run = promisify(execFile);

// The binding has domainGetInfo (the state) but no domainGetState (the reason), and no events:
// the reason comes from virsh, as an argument array (no shell).

/** Each state as virsh prints it. */
export const VIRSH_WORDS: Readonly<Record<PowerStateName, string>> = {
  RUNNING: 'running',
  BLOCKED: 'blocked',
  PAUSED: 'paused',
  SHUTDOWN: 'in shutdown',
  SHUTOFF: 'shut off',
  CRASHED: 'crashed',
  PMSUSPENDED: 'pmsuspended',
  NOSTATE: 'no state',
};

/** virsh's words back to states; older virsh prints a blocked guest as idle. */
const STATE_WORDS: Readonly<Record<string, PowerStateName>> = {
  ...Object.fromEntries(Object.entries(VIRSH_WORDS).map(([state, word]) => [word, state as PowerStateName])),
  idle: 'BLOCKED',
};

/** `virsh domstate --reason` output ("paused (unknown)") as a PowerState; undefined when it is not one. */
export function parseDomstate(output: string): PowerState | undefined {
  const match = /^\s*([a-z ]+?)(?:\s+\(([^)]*)\))?\s*$/.exec(output.split('\n').find((line) => line.trim() !== '') ?? '');
  const state = match && STATE_WORDS[match[1]!];
  if (!state) return undefined;
  return match[2] === undefined ? { state } : { state, reason: match[2] };
}

/** The domain's state and reason; throws virsh's message when it fails (a missing domain included). */
export async function virshDomstate(uri: string, name: string, timeoutMs = 10_000): Promise<PowerState> {
  const { stdout } = await run('virsh', ['-c', uri, 'domstate', '--reason', '--', name], { timeout: timeoutMs });
  const parsed = parseDomstate(stdout);
  if (!parsed) throw new Error(`virsh domstate answered '${stdout.trim()}', which is no domain state`);
  return parsed;
}

/** Where libvirtd writes a domain's QEMU log, for the URIs whose daemon runs on this machine as root. */
function qemuLogPath(uri: string, name: string): string | undefined {
  if (!/^qemu:\/\/\/system(\?|$)/.test(uri) || !/^[A-Za-z0-9_.-]+$/.test(name)) return undefined;
  return `/var/log/libvirt/qemu/${name}.log`;
}

/** Enough of the log's end for a few lines; the head of a QEMU log is its (long) command line. */
const TAIL_BYTES = 16 * 1024;

/** The last `lines` non-empty lines of the domain's QEMU log, or undefined where it cannot be read. */
export async function qemuLogTail(uri: string, name: string, lines: number): Promise<string[] | undefined> {
  const path = qemuLogPath(uri, name);
  if (!path) return undefined;
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await file.read(buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8').split('\n');
    // A partial first line (the read began inside it) is no line of the log.
    if (start > 0) text.shift();
    return text.filter((line) => line.trim() !== '').slice(-lines);
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}
