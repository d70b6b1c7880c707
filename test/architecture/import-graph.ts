import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/** One import of one source file, as written, with where it points. */
export interface ImportEdge {
  /** The importing file, relative to the repository root, with `/` separators. */
  file: string;
  line: number;
  specifier: string;
  /** For a relative specifier: the file it names, relative to the root; otherwise undefined. */
  target?: string;
}

/** Where a file sits in the repository's layout. */
export type Place = { kind: 'lib'; name: string } | { kind: 'app'; name: string } | { kind: 'test' } | { kind: 'migration' } | { kind: 'other' };

export function placeOf(file: string): Place {
  const [top, name] = file.split('/');
  if (top === 'libs' && name) return { kind: 'lib', name };
  if (top === 'apps' && name) return { kind: 'app', name };
  if (top === 'test') return { kind: 'test' };
  if (top === 'migrations') return { kind: 'migration' };
  return { kind: 'other' };
}

/** Test code: specs, the test folder and libraries' `testing` folders may use test support. */
export const isTestCode = (file: string) => /\.(e2e-)?spec\.tsx?$/.test(file) || file.startsWith('test/') || file.includes('/testing/');

// Static imports and re-exports (`… from '…'`), side-effect imports and dynamic import('…').
const SPECIFIER = /(?:\bfrom\s*|^\s*import\s*|\bimport\s*\(\s*)(['"])([^'"\n]+)\1/gm;

/** The imports of one file's text; `file` is its path relative to the root. */
export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[2]!;
    const line = text.slice(0, match.index).split('\n').length;
    const edge: ImportEdge = { file, line, specifier };
    if (specifier.startsWith('.')) edge.target = normalize(join(dirname(file), specifier)).split(sep).join('/');
    edges.push(edge);
  }
  return edges;
}

const SOURCE_FOLDERS = ['apps', 'libs', 'test', 'migrations'];
const SKIPPED = new Set(['node_modules', 'dist']);
/** TypeScript, and TSX in the dashboard (a React app built by Vite, not by tsc). */
const SOURCE = /\.tsx?$/;

/** Every TypeScript file of the source folders under `root`, relative to it. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE.test(entry.name)) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(join(root, folder));
  return files.sort();
}

/**
 * The file a relative import names, among `files`: `./x.js` is x.ts or x.tsx (NodeNext spelling),
 * `./x` is x.ts, x.tsx or x/index.ts (bundler spelling, the dashboard's); as written when none is.
 */
export function resolveTarget(target: string, files: ReadonlySet<string>): string {
  const stem = target.replace(/\.js$/, '');
  const candidates = target.endsWith('.js') ? [`${stem}.ts`, `${stem}.tsx`] : [target, `${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`, `${stem}/index.tsx`];
  return candidates.find((file) => files.has(file)) ?? target;
}

/** The import graph of the repository at `root`. */
export function importGraph(root: string): ImportEdge[] {
  const files = sourceFiles(root);
  const known = new Set(files);
  return files.flatMap((file) =>
    importsOf(file, readFileSync(join(root, file), 'utf8')).map((edge) => (edge.target === undefined ? edge : { ...edge, target: resolveTarget(edge.target, known) })),
  );
}

/** The file an edge leads to inside the repository: a relative path, or a library's index by name. */
function targetFile(edge: ImportEdge): string | undefined {
  if (edge.target !== undefined) return edge.target.replace(/\.js$/, '.ts');
  const named = /^#vim\/([^/]+)$/.exec(edge.specifier);
  return named ? `libs/${named[1]}/src/index.ts` : undefined;
}

/**
 * The import cycles among the given edges' files (Tarjan's strongly connected components of two or
 * more files), each as its files in order.
 */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const edge of edges) {
    const to = targetFile(edge);
    if (to !== undefined) next.set(edge.file, (next.get(edge.file) ?? new Set()).add(to));
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const to of next.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (stack.includes(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const file of next.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
