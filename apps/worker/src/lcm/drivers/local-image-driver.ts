import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readConsoleTail } from '#vim/libvirt';
import { assertHostPath } from '#vim/naming';
import { type CloudInitSeed, ImageError, type ImageDriver, type OverlaySpec } from '../pipeline/image-driver.js';

const run = promisify(execFile);

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * The image folder on the worker's own disk (a host's imageDir must be reachable from here: the
 * same machine, or shared storage). Tools get argument arrays, never a shell line, and only
 * paths that pass the naming rules. A file is made under a temporary name and renamed into
 * place, so one that exists is whole and a re-run keeps it.
 */
export class LocalImageDriver implements ImageDriver {
  async ensureFolder(path: string): Promise<void> {
    await mkdir(assertHostPath(path), { recursive: true });
  }

  async createOverlay({ basePath, path, baseFormat }: OverlaySpec): Promise<void> {
    if (await exists(assertHostPath(path))) return;
    if (!(await exists(assertHostPath(basePath)))) throw new ImageError(`base image ${basePath} does not exist`);
    await this.ensureFolder(dirname(path));
    const partial = `${path}.partial`;
    await tool(`qemu-img create ${path}`, 'qemu-img', ['create', '-q', '-f', 'qcow2', '-b', basePath, '-F', baseFormat, partial]);
    await rename(partial, path);
  }

  async createCloudInitIso({ isoPath, userData, metaData }: CloudInitSeed): Promise<void> {
    if (await exists(assertHostPath(isoPath))) return;
    await this.ensureFolder(dirname(isoPath));
    const seed = await mkdtemp(join(tmpdir(), 'vim-cidata-'));
    try {
      await writeFile(join(seed, 'user-data'), userData);
      await writeFile(join(seed, 'meta-data'), metaData);
      const partial = `${isoPath}.partial`;
      const args = ['-quiet', '-output', partial, '-volid', 'cidata', '-joliet', '-rock', join(seed, 'user-data'), join(seed, 'meta-data')];
      await tool(`genisoimage ${isoPath}`, 'genisoimage', args);
      await rename(partial, isoPath);
    } finally {
      await rm(seed, { recursive: true, force: true });
    }
  }

  /** The file and any half-made copy a crash left. */
  async remove(path: string): Promise<void> {
    await rm(assertHostPath(path), { force: true });
    await rm(`${path}.partial`, { force: true });
  }

  async consoleTail(path: string, lines: number): Promise<string[]> {
    return (await readConsoleTail(path, lines)).lines;
  }
}

async function tool(what: string, file: string, args: string[]): Promise<void> {
  try {
    await run(file, args);
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new ImageError(`${what} failed: ${(stderr || message).trim()}`, { cause: error });
  }
}
