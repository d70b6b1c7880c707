import { type ImportEdge, isTestCode, placeOf } from './import-graph.js';

/**
 * Which library may use which, the layers as they are (README, "Architecture"):
 * - foundations, using no other library: config, naming, descriptors, and placement, which is pure;
 * - drivers, without a database: libvirt, ovs, and inventory (discovery over both);
 * - domain: lcm's planning, problems, chains (pure: model, checks and OpenFlow rendering of service chains);
 * - data and platform: persistence and what reads or writes through it, the placement queue.
 * Apps sit on top and may use every library; no library uses an app.
 */
export const LIBRARY_USES: Readonly<Record<string, readonly string[]>> = {
  config: [],
  naming: [],
  descriptors: [],
  placement: [],
  libvirt: ['naming'],
  ovs: ['naming'],
  inventory: ['naming', 'ovs'],
  lcm: ['descriptors', 'libvirt', 'naming', 'ovs', 'placement'],
  chains: ['naming', 'ovs'],
  problems: ['descriptors'],
  persistence: ['config'],
  auth: ['persistence'],
  platform: ['config', 'persistence'],
  'placement-queue': ['placement'],
  'placement-store': ['persistence', 'placement'],
};

/** The one top-level folder a library may reach: persistence runs the migrations. */
const OUTSIDE_LIBS: Readonly<Record<string, string>> = { persistence: 'migrations/' };

/** Pure libraries: decisions from data, with no I/O of their own. */
export const PURE_LIBRARIES = ['placement', 'naming', 'chains'];
/** Drivers talk to hosts, never to the database or the queues. */
export const DRIVER_LIBRARIES = ['libvirt', 'ovs', 'inventory'];

/**
 * Apps that run in the browser, not under Nest: the dashboard talks to the api over HTTP only,
 * so it uses no library (nor any file outside its folder), and its code in src/ uses no Node
 * module. Its build config (vite.config.ts) and its tests run under Node.
 */
export const BROWSER_APPS = ['dashboard'];

const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|dgram|dns|tls)$/;
const STORAGE_PACKAGES = /^(typeorm|pg|ioredis|bullmq|@nestjs\/typeorm|@nestjs\/bullmq)$/;
const BY_NAME = /^#vim\/([^/]+)(\/testing)?$/;

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

/** Every import that breaks a rule, with the rule it breaks. */
export function checkLayers(edges: readonly ImportEdge[], uses: Readonly<Record<string, readonly string[]>> = LIBRARY_USES): Violation[] {
  return edges.flatMap((edge) => {
    const rule = brokenRule(edge, uses);
    return rule === undefined ? [] : [{ file: edge.file, line: edge.line, specifier: edge.specifier, rule }];
  });
}

function brokenRule(edge: ImportEdge, uses: Readonly<Record<string, readonly string[]>>): string | undefined {
  const from = placeOf(edge.file);
  if (from.kind === 'app' && BROWSER_APPS.includes(from.name)) return browserRule(edge, from.name);
  const own = from.kind === 'lib' ? from.name : undefined;
  if (own !== undefined && !(own in uses)) return `library '${own}' has no row in LIBRARY_USES: give it its layer`;
  if (edge.target !== undefined) return relativeRule(edge.target, from.kind, own);
  const named = BY_NAME.exec(edge.specifier);
  if (named) return namedRule(named[1]!, named[2] !== undefined, edge.file, own, uses);
  if (edge.specifier.startsWith('#')) return `'${edge.specifier}' is no library name: import '#vim/<library>'`;
  if (own && PURE_LIBRARIES.includes(own) && (IO_MODULES.test(edge.specifier) || STORAGE_PACKAGES.test(edge.specifier))) {
    return `library '${own}' is pure: no I/O ('${edge.specifier}')`;
  }
  if (own && DRIVER_LIBRARIES.includes(own) && STORAGE_PACKAGES.test(edge.specifier)) {
    return `library '${own}' is a driver: no database or queue ('${edge.specifier}')`;
  }
  return undefined;
}

function relativeRule(target: string, kind: string, own: string | undefined): string | undefined {
  const to = placeOf(target);
  if (to.kind === 'lib' && to.name !== own) return `relative import into library '${to.name}': import '#vim/${to.name}'`;
  if (kind === 'lib' && to.kind !== 'lib' && !target.startsWith(OUTSIDE_LIBS[own!] ?? '\0')) return `library '${own}' reaches outside libs/ (${target})`;
  return undefined;
}

function namedRule(lib: string, testing: boolean, file: string, own: string | undefined, uses: Readonly<Record<string, readonly string[]>>): string | undefined {
  if (!(lib in uses)) return `no library '${lib}'`;
  if (testing && !isTestCode(file)) return `'#vim/${lib}/testing' is test support: only tests and testing/ folders use it`;
  if (own === lib) return `library '${own}' imports itself by name: use a relative import`;
  if (own !== undefined && !uses[own]!.includes(lib)) {
    return `library '${own}' may not use '${lib}' (it may use: ${uses[own]!.join(', ') || 'no other library'})`;
  }
  return undefined;
}

function browserRule(edge: ImportEdge, app: string): string | undefined {
  const folder = `apps/${app}/`;
  if (edge.target !== undefined) return edge.target.startsWith(folder) ? undefined : `the ${app} runs in the browser: no import outside ${folder} (${edge.target})`;
  if (edge.specifier.startsWith('#')) return `the ${app} runs in the browser and talks to the API: no library ('${edge.specifier}')`;
  const nodeOnly = edge.specifier.startsWith('node:') || IO_MODULES.test(edge.specifier) || STORAGE_PACKAGES.test(edge.specifier) || /^@nestjs\//.test(edge.specifier);
  if (nodeOnly && edge.file.startsWith(`${folder}src/`) && !isTestCode(edge.file)) return `the ${app} runs in the browser: no Node or server module ('${edge.specifier}')`;
  return undefined;
}
