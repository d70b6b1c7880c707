import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
jest.setTimeout(120_000);

/**
 * The README's two commands share one checkout: the test command must not reinstall node_modules
 * under an api and worker that the first command started, unless the lockfile asks for it.
 * deploy/local/lib.sh's npm_ci is run here on a small project of its own (local dependencies only).
 */
describe('deploy/local npm_ci', () => {
  let project: string;

  const writePackage = (deps: Record<string, string>) => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'npm-ci-probe', version: '1.0.0', private: true, dependencies: deps }));
  };
  const lock = () => run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: project });
  const localDep = (name: string) => {
    mkdirSync(join(project, name), { recursive: true });
    writeFileSync(join(project, name, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
  };
  const npmCi = async () => (await run('bash', ['-c', 'source deploy/local/lib.sh && npm_ci "$1"', 'npm-ci', project])).stdout;
  const installedFolder = () => statSync(join(project, 'node_modules')).ino;

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'vim-npm-ci-'));
    localDep('dep-a');
    writePackage({ 'dep-a': 'file:./dep-a' });
    await lock();
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test('installs a checkout that has no node_modules yet', async () => {
    expect(await npmCi()).toContain('==> npm ci');
    expect(existsSync(join(project, 'node_modules/dep-a/package.json'))).toBe(true);
  });

  test('leaves node_modules as it is while package-lock.json is unchanged', async () => {
    const before = installedFolder();
    const out = await npmCi();
    expect(out).not.toContain('==> npm ci');
    expect(out).toContain('already installed');
    expect(installedFolder()).toBe(before);
  });

  test('installs again once package-lock.json changed', async () => {
    localDep('dep-b');
    writePackage({ 'dep-a': 'file:./dep-a', 'dep-b': 'file:./dep-b' });
    await lock();
    expect(await npmCi()).toContain('==> npm ci');
    expect(existsSync(join(project, 'node_modules/dep-b/package.json'))).toBe(true);
  });
});
