import { setTimeout as sleep } from 'node:timers/promises';
import { type HypervisorDriver, isUp, type PowerState } from './driver/hypervisor-driver.js';
import { VIRSH_WORDS } from './driver/virsh-state.js';

/** As `virsh domstate --reason` prints it: "paused (unknown)". */
export const describePower = (power: PowerState): string => `${VIRSH_WORDS[power.state]}${power.reason === undefined ? '' : ` (${power.reason})`}`;

/** Lines of the QEMU log a failure quotes: the error and what follows it, not the whole register dump. */
export const QEMU_LOG_LINES = 8;

/** How far back from the log's end an error line is looked for: QEMU follows a KVM internal error with ~25 lines of registers. */
const LOG_LOOKBACK_LINES = 40;

const ERROR_LINE = /error|fatal|abort/i;

/**
 * The lines a failure quotes from the end of a QEMU log: from the last line that names an error
 * ("KVM internal error. Suberror: 1", then its extra data and "emulation failure"), else the last ones.
 */
export function quotedLog(tail: readonly string[], lines = QEMU_LOG_LINES): string[] {
  let start = -1;
  for (let i = tail.length - 1; i >= 0 && start < 0; i--) if (ERROR_LINE.test(tail[i]!)) start = i;
  return start >= 0 ? tail.slice(start, start + lines) : tail.slice(-lines);
}

/** libvirt started the domain, but its guest did not stay up (undefined power: the domain is gone). */
export class GuestNotRunningError extends Error {
  override readonly name = 'GuestNotRunningError';
  /** The last lines of the guest's serial console, when the caller could read them (the watch cannot: it knows no file). */
  consoleLog?: string[];

  constructor(
    readonly domainName: string,
    readonly power: PowerState | undefined,
    readonly afterMs: number,
    readonly qemuLog: string[] | undefined,
  ) {
    const state = power ? `libvirt reports it ${describePower(power)}` : 'libvirt no longer knows it';
    const log = qemuLog?.length ? `; its QEMU log ends: ${qemuLog.join(' | ')}` : '';
    super(`domain ${domainName} is not running ${afterMs} ms after start: ${state}${log}`);
  }
}

/** How often the watch looks: a guest that stops is reported then, not at the end of the watch. */
const LOOK_EVERY_MS = 250;

/** How long a guest caught in libvirt's passing `SHUTDOWN` ("in shutdown") state is given to reach the state it ends in. */
const SETTLE_MS = 1000;
const SETTLE_LOOK_MS = 100;

/**
 * A guest that powers itself off is `SHUTDOWN` for a moment before it is `shut off (shutdown)`
 * (or `crashed`): a look in that moment would report a state without a reason. Looks again, briefly.
 */
async function settled(hypervisor: HypervisorDriver, name: string, power: PowerState | undefined): Promise<PowerState | undefined> {
  const until = performance.now() + SETTLE_MS;
  while (power?.state === 'SHUTDOWN' && performance.now() < until) {
    await sleep(SETTLE_LOOK_MS);
    power = await hypervisor.powerState(name);
  }
  return power;
}

/**
 * Watches a guest just started for `watchMs`: it must be up at every look and at the end. A nested
 * KVM that fails in the guest's firmware lets libvirt start the domain and pauses it a moment
 * later, so libvirt's answer to the start proves nothing. Answers the state of the last look.
 */
export async function watchGuest(hypervisor: HypervisorDriver, name: string, watchMs: number): Promise<PowerState> {
  const started = performance.now();
  for (;;) {
    const left = watchMs - (performance.now() - started);
    if (left > 0) await sleep(Math.min(LOOK_EVERY_MS, left));
    let power = await hypervisor.powerState(name);
    if (!power || !isUp(power.state)) {
      power = await settled(hypervisor, name, power);
      const tail = await hypervisor.qemuLogTail(name, LOG_LOOKBACK_LINES).catch(() => undefined);
      throw new GuestNotRunningError(name, power, Math.round(performance.now() - started), tail && quotedLog(tail));
    }
    if (left <= LOOK_EVERY_MS) return power;
  }
}
