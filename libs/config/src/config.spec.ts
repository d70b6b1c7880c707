import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, repoRoot } from './index.js';

describe('loadConfig', () => {
  test('defaults match deploy/local', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://vim:vim@127.0.0.1:5432/vim');
    expect(config.API_PORT).toBe(3000);
  });

  test('reads numbers from the environment', () => {
    expect(loadConfig({ API_PORT: '8080', VNFD_MAX_BYTES: '2048' })).toMatchObject({ API_PORT: 8080, VNFD_MAX_BYTES: 2048 });
  });

  test('lists every bad variable with its value', () => {
    let error: unknown;
    try {
      loadConfig({ API_PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/API_PORT="eighty"/);
    expect(problems).toMatch(/DATABASE_URL="mysql:\/\/x": DATABASE_URL must be a postgres/);
    expect(problems).toMatch(/LOG_LEVEL="loud"/);
  });

  test('a malformed bootstrap token is refused without echoing it', () => {
    expect(() => loadConfig({ BOOTSTRAP_ADMIN_TOKEN: 'hunter2' })).toThrow(/BOOTSTRAP_ADMIN_TOKEN=\[redacted\]: BOOTSTRAP_ADMIN_TOKEN must be a token secret/);
    expect(() => loadConfig({ BOOTSTRAP_ADMIN_TOKEN: 'hunter2' })).not.toThrow(/hunter2/);
    expect(loadConfig({ BOOTSTRAP_ADMIN_TOKEN: `vim_${'a'.repeat(43)}` }).BOOTSTRAP_ADMIN_TOKEN).toBe(`vim_${'a'.repeat(43)}`);
  });

  test('the guest check and the VM state sync are settings: defaults, numbers, and a bad value named', () => {
    expect(loadConfig({})).toMatchObject({ LCM_GUEST_CHECK_MS: 2000, VM_STATE_SYNC_SECONDS: 10 });
    expect(loadConfig({ LCM_GUEST_CHECK_MS: '0', VM_STATE_SYNC_SECONDS: '2' })).toMatchObject({ LCM_GUEST_CHECK_MS: 0, VM_STATE_SYNC_SECONDS: 2 });
    expect(() => loadConfig({ LCM_GUEST_CHECK_MS: '-1' })).toThrow(/LCM_GUEST_CHECK_MS="-1"/);
    expect(() => loadConfig({ LCM_GUEST_CHECK_MS: '600000' })).toThrow(/LCM_GUEST_CHECK_MS="600000"/);
    expect(() => loadConfig({ VM_STATE_SYNC_SECONDS: 'often' })).toThrow(/VM_STATE_SYNC_SECONDS="often"/);
    expect(loadConfig({})).toMatchObject({ CHAIN_CHECK_INTERVAL_MS: 10_000 });
    expect(loadConfig({ CHAIN_CHECK_INTERVAL_MS: '500' })).toMatchObject({ CHAIN_CHECK_INTERVAL_MS: 500 });
    expect(() => loadConfig({ CHAIN_CHECK_INTERVAL_MS: '-1' })).toThrow(/CHAIN_CHECK_INTERVAL_MS/);
  });

  test("the dashboard's folder: the checkout's dist/dashboard unless DASHBOARD_DIR names an absolute path", () => {
    const root = repoRoot();
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('vim-lite');
    expect(existsSync(join(root, 'libs', 'config', 'src', 'repo-root.ts'))).toBe(true);
    expect(loadConfig({}).DASHBOARD_DIR).toBe(join(root, 'dist', 'dashboard'));
    expect(loadConfig({ DASHBOARD_DIR: '/srv/dashboard' }).DASHBOARD_DIR).toBe('/srv/dashboard');
    expect(() => loadConfig({ DASHBOARD_DIR: 'dist/dashboard' })).toThrow(/DASHBOARD_DIR="dist\/dashboard": DASHBOARD_DIR must be an absolute path/);
  });
});
