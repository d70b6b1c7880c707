export interface OverlaySpec {
  basePath: string;
  path: string;
  baseFormat: 'qcow2' | 'raw';
}

export interface CloudInitSeed {
  isoPath: string;
  userData: string;
  metaData: string;
}

/**
 * The files a VM needs on its host: the vhost-user socket folder, its disk overlay and its
 * cloud-init seed; and those it leaves there: its console log and, after a crash, its sockets. Every call can be re-run: what exists is kept, what is gone is fine.
 */
export interface ImageDriver {
  ensureFolder(path: string): Promise<void>;
  /** A qcow2 overlay at `path` on the base image; a missing base image is an ImageError naming it. */
  createOverlay(overlay: OverlaySpec): Promise<void>;
  /** A NoCloud seed ISO (volume `cidata`) holding user-data and meta-data. */
  createCloudInitIso(seed: CloudInitSeed): Promise<void>;
  remove(path: string): Promise<void>;
  /** The last `lines` lines of a VM's console log (read from its end, bounded); none when it does not exist. */
  consoleTail(path: string, lines: number): Promise<string[]>;
}

/** A file operation failed: the message names the file and what the tool said. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}
