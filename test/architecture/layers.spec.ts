import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importCycles, importGraph, importsOf, resolveTarget } from './import-graph.js';
import { BROWSER_APPS, checkLayers } from './layer-rules.js';

const ROOT = resolve(import.meta.dirname, '../..');
const check = (file: string, text: string) => checkLayers(importsOf(file, text)).map((v) => v.rule);

describe('the layers, checked over the import graph', () => {
  test('the repository keeps them: every violation is listed with file, line and rule', () => {
    // This folder's own specs spell rule-breaking imports on purpose.
    const edges = importGraph(ROOT).filter((e) => !e.file.startsWith('test/architecture/'));
    // The graph is real: hundreds of imports, libraries reached by name.
    expect(edges.filter((e) => e.specifier.startsWith('#vim/')).length).toBeGreaterThan(300);
    const violations = checkLayers(edges).map((v) => `${v.file}:${v.line} '${v.specifier}': ${v.rule}`);
    expect(violations).toEqual([]);
  });

  test('a deep relative import into a library is caught, from an app and from another library', () => {
    expect(check('apps/worker/src/lcm/x.ts', "import { planVms } from '../../../../libs/lcm/src/plan/vm-plan.js';")).toEqual([
      "relative import into library 'lcm': import '#vim/lcm'",
    ]);
    expect(check('libs/lcm/src/plan/x.ts', "import type { X } from '../../../ovs/src/port-ops.js';")).toEqual([
      "relative import into library 'ovs': import '#vim/ovs'",
    ]);
    // Even the index: libraries are imported by name.
    expect(check('test/e2e/x.ts', "import { a } from '../../libs/naming/src/index.js';")).toEqual(["relative import into library 'naming': import '#vim/naming'"]);
  });

  test('within a library relative imports are its own business', () => {
    expect(check('libs/lcm/src/plan/x.ts', "import { y } from './y.js';\nimport { z } from '../jobs.js';")).toEqual([]);
  });

  test('library internals by name, unknown names and test support outside tests are caught', () => {
    expect(check('apps/api/src/x.ts', "import { a } from '#vim/lcm/plan/vm-plan';")).toEqual(["'#vim/lcm/plan/vm-plan' is no library name: import '#vim/<library>'"]);
    expect(check('apps/api/src/x.ts', "import { a } from '#vim/nowhere';")).toEqual(["no library 'nowhere'"]);
    expect(check('apps/worker/src/x.ts', "import { FakeHypervisor } from '#vim/libvirt/testing';")).toEqual([
      "'#vim/libvirt/testing' is test support: only tests and testing/ folders use it",
    ]);
    expect(check('apps/worker/src/x.spec.ts', "import { FakeHypervisor } from '#vim/libvirt/testing';")).toEqual([]);
  });

  test('a library using one it may not, or an app, breaks the layers', () => {
    expect(check('libs/placement/src/x.ts', "import { HostEntity } from '#vim/persistence';")).toEqual([
      "library 'placement' may not use 'persistence' (it may use: no other library)",
    ]);
    expect(check('libs/ovs/src/x.ts', "import { a } from '../../../apps/worker/src/main.js';")).toEqual(["library 'ovs' reaches outside libs/ (apps/worker/src/main.js)"]);
    expect(check('libs/brand-new/src/index.ts', "export const a = 1;\nimport { b } from './b.js';")).toEqual([
      "library 'brand-new' has no row in LIBRARY_USES: give it its layer",
    ]);
  });

  test('placement stays pure and drivers stay off the database', () => {
    expect(check('libs/placement/src/x.ts', "import { readFile } from 'node:fs/promises';")).toEqual(["library 'placement' is pure: no I/O ('node:fs/promises')"]);
    expect(check('libs/libvirt/src/x.ts', "import { DataSource } from 'typeorm';")).toEqual(["library 'libvirt' is a driver: no database or queue ('typeorm')"]);
    expect(check('libs/inventory/src/x.ts', "const m = await import('ioredis');")).toEqual(["library 'inventory' is a driver: no database or queue ('ioredis')"]);
    expect(check('libs/libvirt/src/x.ts', "import { execFile } from 'node:child_process';")).toEqual([]);
  });

  test('no import cycles among the files of apps and libraries (type-only imports included)', () => {
    const production = importGraph(ROOT).filter((e) => /^(apps|libs)\//.test(e.file) && !/\.spec\.ts$/.test(e.file));
    expect(production.length).toBeGreaterThan(500);
    expect(importCycles(production)).toEqual([]);
  });

  test('the three-file cycle the worker once had is found', () => {
    const dir = 'apps/worker/src/lcm/pipeline';
    const edges = [
      ...importsOf(`${dir}/lcm-drivers.ts`, "import type { HostRecord } from './records.js';"),
      ...importsOf(`${dir}/records.ts`, "import type { Problem } from './problem.js';\nimport type { Placement } from '#vim/placement';"),
      ...importsOf(`${dir}/problem.ts`, "import { ImageError } from './lcm-drivers.js';"),
    ];
    expect(importCycles(edges)).toEqual([[`${dir}/lcm-drivers.ts`, `${dir}/problem.ts`, `${dir}/records.ts`]]);
  });
});

describe('the browser app (the dashboard)', () => {
  test('its files are in the graph, .tsx included, and relative imports resolve to them', () => {
    const files = new Set(['apps/dashboard/src/App.tsx', 'apps/dashboard/src/api/schema.ts', 'apps/dashboard/src/ui/index.tsx', 'apps/api/src/main.ts']);
    expect(resolveTarget('apps/dashboard/src/App.js', files)).toBe('apps/dashboard/src/App.tsx');
    expect(resolveTarget('apps/dashboard/src/api/schema', files)).toBe('apps/dashboard/src/api/schema.ts');
    expect(resolveTarget('apps/dashboard/src/ui', files)).toBe('apps/dashboard/src/ui/index.tsx');
    expect(resolveTarget('apps/api/src/main.js', files)).toBe('apps/api/src/main.ts');
    expect(existsSync(resolve(ROOT, 'apps/dashboard/src'))).toBe(true);
    const edges = importGraph(ROOT).filter((e) => e.file.startsWith('apps/dashboard/'));
    expect(edges.some((e) => e.file.endsWith('.tsx'))).toBe(true);
  });

  test('it uses no library, nothing outside its folder, and no Node module in src/', () => {
    expect(check('apps/dashboard/src/pages/Hosts.tsx', "import { capacityOf } from '#vim/placement-store';")).toEqual([
      "the dashboard runs in the browser and talks to the API: no library ('#vim/placement-store')",
    ]);
    expect(check('apps/dashboard/src/api/client.ts', "import type { HostView } from '../../../api/src/hosts/host.views.js';")).toEqual([
      'the dashboard runs in the browser: no import outside apps/dashboard/ (apps/api/src/hosts/host.views.js)',
    ]);
    expect(check('apps/dashboard/src/logic/x.ts', "import { readFileSync } from 'node:fs';")).toEqual(["the dashboard runs in the browser: no Node or server module ('node:fs')"]);
    expect(check('apps/dashboard/src/logic/x.ts', "import { Injectable } from '@nestjs/common';")).toEqual(["the dashboard runs in the browser: no Node or server module ('@nestjs/common')"]);
    expect(
      check(
        'apps/dashboard/src/pages/Chains.tsx',
        "import { useQuery } from '@tanstack/react-query';\nimport type { ServiceChainView } from '../api/schema';\nimport { graph } from '../logic/chain-graph.js';",
      ),
    ).toEqual([]);
    // Its build config and its tests run under Node.
    expect(check('apps/dashboard/vite.config.ts', "import { resolve } from 'node:path';")).toEqual([]);
    expect(check('apps/dashboard/src/logic/x.spec.ts', "import { readFileSync } from 'node:fs';")).toEqual([]);
  });
});

describe('the NestJS workspace', () => {
  test('nest-cli.json names the Nest apps and every library, each with its folders; browser apps stay out of Nest and tsc', () => {
    const cli = JSON.parse(readFileSync(resolve(ROOT, 'nest-cli.json'), 'utf8')) as { monorepo: boolean; projects: Record<string, { type: string; root: string; sourceRoot: string }> };
    expect(cli.monorepo).toBe(true);
    const apps = readdirSync(resolve(ROOT, 'apps')).sort();
    const nestApps = apps.filter((app) => !BROWSER_APPS.includes(app));
    expect(nestApps).toEqual(['api', 'worker']);
    for (const app of apps.filter((a) => BROWSER_APPS.includes(a))) {
      // Vite builds it with its own tsconfig (DOM, JSX, bundler resolution); the server's compiler never sees it.
      expect(existsSync(resolve(ROOT, `apps/${app}/tsconfig.json`))).toBe(true);
      for (const tsconfig of ['tsconfig.json', 'tsconfig.build.json']) {
        expect((JSON.parse(readFileSync(resolve(ROOT, tsconfig), 'utf8')) as { exclude: string[] }).exclude).toContain(`apps/${app}`);
      }
    }
    const libraries = readdirSync(resolve(ROOT, 'libs')).sort();
    const expected = Object.fromEntries([
      ...nestApps.map((app) => [app, expect.objectContaining({ type: 'application', root: `apps/${app}`, sourceRoot: `apps/${app}/src` })]),
      ...libraries.map((lib) => [lib, expect.objectContaining({ type: 'library', root: `libs/${lib}`, sourceRoot: `libs/${lib}/src` })]),
    ]);
    expect(cli.projects).toEqual(expected);
  });
});
