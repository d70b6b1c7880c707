import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'vim-lite';
let found: string | undefined;

/**
 * The checkout's root: the nearest folder above this module whose package.json is the project's.
 * The same from the sources (jest), from dist/ and from another build folder such as
 * .local/test-build (whose package.json, written by write_build_manifest, has no name); the
 * working directory when none is found.
 */
export function repoRoot(): string {
  if (found !== undefined) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return (found = dir);
    } catch {
      // no package.json here, or not JSON: look further up
    }
    const parent = dirname(dir);
    if (parent === dir) return (found = process.cwd());
    dir = parent;
  }
}
