import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** shared/ sits beside the clone (CI puts a copy there); SHARED_DIR overrides. */
export const SHARED_DIR = process.env.SHARED_DIR ?? resolve(ROOT, '../shared');

export interface DescriptorFile {
  name: string;
  text: string;
  /** The reason from the file's own `# invalid:` comment, when it has one. */
  invalid?: string;
}

function readFolder(folder: string): DescriptorFile[] {
  return readdirSync(folder)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((name) => {
      const text = readFileSync(join(folder, name), 'utf8');
      return { name, text, invalid: /^# invalid: (.*)$/m.exec(text)?.[1] };
    });
}

export const sharedVnfds = (): DescriptorFile[] => readFolder(join(SHARED_DIR, 'descriptors'));
export const fixtureVnfds = (): DescriptorFile[] => readFolder(join(ROOT, 'test/fixtures/vnfds'));

/**
 * A descriptor's text with a vnfd id of the caller's own (`<id>-<suffix>`, the first `id:` line):
 * descriptors are unique per (id, version), and other suites upload the project's fixtures as they are.
 */
export function withOwnVnfdId(text: string, suffix: string): string {
  return text.replace(/^(\s*id:\s*)(\S+)\s*$/m, `$1$2-${suffix}`);
}
