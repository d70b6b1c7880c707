import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Entry points of a build: `npm run build`'s dist/ by default; deploy/local/test.sh builds into a
 * folder of its own (E2E_BUILD_DIR) so that an api and worker running from dist/ are left alone.
 */
const BUILD_DIR = process.env.E2E_BUILD_DIR ?? 'dist';
export const API_MAIN = join(BUILD_DIR, 'apps/api/src/main.js');
export const WORKER_MAIN = join(BUILD_DIR, 'apps/worker/src/main.js');

/**
 * The API or a worker as a process of its own, quiet (warnings only) and without the periodic
 * inventory refresh; `env` adds to or overrides that. `nodeArgs`, e.g. --cpu-prof, go before the script.
 */
export function spawnApp(script: string, env: Record<string, string>, nodeArgs: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, script], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn', INVENTORY_REFRESH_SECONDS: '0', ...env },
  });
}

/** Ends a process this run started, and waits until it has exited. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
