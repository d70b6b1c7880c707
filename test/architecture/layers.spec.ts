import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importCycles, importGraph, importsOf } from './import-graph.js';
import { checkLayers } from './layer-rules.js';

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

describe('the NestJS workspace', () => {
  test('nest-cli.json names both apps and every library, each with its folders', () => {
    const cli = JSON.parse(readFileSync(resolve(ROOT, 'nest-cli.json'), 'utf8')) as { monorepo: boolean; projects: Record<string, { type: string; root: string; sourceRoot: string }> };
    expect(cli.monorepo).toBe(true);
    const libraries = readdirSync(resolve(ROOT, 'libs')).sort();
    const expected = Object.fromEntries([
      ...['api', 'worker'].map((app) => [app, expect.objectContaining({ type: 'application', root: `apps/${app}`, sourceRoot: `apps/${app}/src` })]),
      ...libraries.map((lib) => [lib, expect.objectContaining({ type: 'library', root: `libs/${lib}`, sourceRoot: `libs/${lib}/src` })]),
    ]);
    expect(cli.projects).toEqual(expected);
  });
});
