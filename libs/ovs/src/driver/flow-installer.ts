import { execFile } from 'node:child_process';
import { InvalidSpecError } from '#vim/naming';
import { dumpBridgeFlowStats, dumpChainFlows, dumpChainFlowStats } from '../chain-bundle.js';
import type { OfctlInvocation } from '../commands.js';
import { dumpGroups } from '../group-drift.js';
import { OvsError } from './switch-driver.js';

/**
 * Runs chain bundles on a bridge and reads a chain's flows back. Errors: InvalidSpecError
 * (libs/naming) for bad input, before anything runs; OfctlError (an OvsError) when ovs-ofctl
 * fails, with its stderr quoted (for a refused bundle, nothing of it was applied).
 */
export interface FlowInstaller {
  /** Runs `invocation`, which must act on `bridge` (a bundle from installChainBundle or deleteChainBundle). */
  install(bridge: string, invocation: OfctlInvocation): Promise<{ durationMs: number }>;
  /** The lines `ovs-ofctl --no-stats dump-flows` prints for every generation of the chain. */
  dumpChainFlows(bridge: string, chainCookie: bigint): Promise<string[]>;
  /** The same flows with their statistics (`n_packets=`, `n_bytes=`), for the chain's counters. */
  dumpChainFlowStats(bridge: string, chainCookie: bigint): Promise<string[]>;
  /** Every flow of the bridge with its statistics, whatever its cookie (one dump for many chains). */
  dumpBridgeFlowStats(bridge: string): Promise<string[]>;
  /** The group lines `dump-groups` prints for the bridge, or for one group. */
  dumpGroups(bridge: string, groupId?: number): Promise<string[]>;
}

/** A dump's lines without its `OFPST_…`/`NXST_…` reply header or blank lines. */
const dumpLines = (stdout: string) => stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^(OFPST|NXST)_/.test(l));

export interface OfctlResult {
  stdout: string;
  stderr: string;
}

/** Runs a program with an argv array and stdin text; rejects with { code, stderr } when it fails. */
export type OfctlRunner = (file: string, args: readonly string[], stdin: string | undefined, timeoutMs: number) => Promise<OfctlResult>;

/** One of OvS's command-line tools failed; the message quotes its stderr. */
export class OvsToolError extends OvsError {
  constructor(
    readonly tool: 'ovs-ofctl' | 'ovs-appctl',
    readonly args: readonly string[],
    readonly exitCode: number | string | undefined,
    readonly stderr: string,
  ) {
    super(`${tool} ${args.join(' ')} failed`, stderr.trim());
    this.message = `${tool} ${args.join(' ')} failed (exit ${String(exitCode ?? '?')}): ${JSON.stringify(stderr.trim())}`;
  }
}

/** ovs-ofctl failed. */
export class OfctlError extends OvsToolError {
  constructor(args: readonly string[], exitCode: number | string | undefined, stderr: string) {
    super('ovs-ofctl', args, exitCode, stderr);
  }
}

export const execOfctl: OfctlRunner = (file, args, stdin, timeoutMs) =>
  new Promise((resolve, reject) => {
    const child = execFile(file, [...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
    child.stdin?.on('error', () => undefined); // the program may exit before reading all of it; its exit status says why
    child.stdin?.end(stdin ?? '');
  });

export class OfctlFlowInstaller implements FlowInstaller {
  constructor(
    private readonly run: OfctlRunner = execOfctl,
    private readonly timeoutMs = 30_000,
  ) {}

  async install(bridge: string, invocation: OfctlInvocation): Promise<{ durationMs: number }> {
    // The bridge is the argument after the command word; a bundle built for another bridge is a mix-up.
    const at = invocation.args.findIndex((a) => a === 'bundle' || a === 'add-flows' || a === 'del-flows' || a === 'add-groups');
    if (invocation.file !== 'ovs-ofctl' || at < 0 || invocation.args[at + 1] !== bridge) {
      throw new InvalidSpecError('flow installation', [{ path: '/bridge', message: `the invocation does not act on bridge ${JSON.stringify(bridge)}` }]);
    }
    const started = performance.now();
    await this.exec(invocation);
    return { durationMs: performance.now() - started };
  }

  async dumpChainFlows(bridge: string, chainCookie: bigint): Promise<string[]> {
    return dumpLines((await this.exec(dumpChainFlows(bridge, chainCookie))).stdout);
  }

  async dumpChainFlowStats(bridge: string, chainCookie: bigint): Promise<string[]> {
    return dumpLines((await this.exec(dumpChainFlowStats(bridge, chainCookie))).stdout);
  }

  async dumpBridgeFlowStats(bridge: string): Promise<string[]> {
    return dumpLines((await this.exec(dumpBridgeFlowStats(bridge))).stdout);
  }

  async dumpGroups(bridge: string, groupId?: number): Promise<string[]> {
    return dumpLines((await this.exec(dumpGroups(bridge, groupId))).stdout);
  }

  private async exec(invocation: OfctlInvocation): Promise<OfctlResult> {
    try {
      return await this.run(invocation.file, invocation.args, invocation.stdin, this.timeoutMs);
    } catch (error) {
      const e = error as { code?: number | string; stderr?: string; message?: string; killed?: boolean };
      const stderr = e.stderr || (e.killed ? `killed after ${this.timeoutMs} ms` : String(e.message ?? error));
      throw new OfctlError(invocation.args, e.code, stderr);
    }
  }
}
