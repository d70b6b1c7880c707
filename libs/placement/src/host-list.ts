import type { HostSnapshot } from './types.js';

/**
 * A fleet's hosts that remember which positions were replaced. A scheduler handed the same list
 * again rewrites only the positions replaced since its last look; handed a plain array, it compares
 * every position by identity, and at 10,000 hosts that pass cost a busy worker more than deciding.
 * Positions are fixed: a fleet that gains or loses hosts is a new list.
 */
export class HostList {
  private readonly items: HostSnapshot[];
  /** Positions replaced, oldest first: entry k is change number `trimmed + k`. */
  private log: number[] = [];
  private trimmed = 0;

  constructor(hosts: readonly HostSnapshot[]) {
    this.items = [...hosts];
  }

  /** The hosts as they are now. Changed in place by set(): read it, do not keep it across an await. */
  get all(): readonly HostSnapshot[] {
    return this.items;
  }

  get length(): number {
    return this.items.length;
  }

  /** The positions of the hosts that `keep` accepts, in order: the `preferRows` of a placement. */
  positionsWhere(keep: (host: HostSnapshot) => boolean): Int32Array {
    const positions: number[] = [];
    for (const [position, host] of this.items.entries()) if (keep(host)) positions.push(position);
    return Int32Array.from(positions);
  }

  at(position: number): HostSnapshot | undefined {
    return this.items[position];
  }

  set(position: number, host: HostSnapshot): void {
    if (!Number.isInteger(position) || position < 0 || position >= this.items.length) {
      throw new RangeError(`position ${position} is outside a list of ${this.items.length} hosts`);
    }
    this.items[position] = host;
    this.log.push(position);
    // A record longer than the list is worth less than one identity pass over it: whoever is
    // that far behind gets undefined from changedSince and compares every position instead.
    if (this.log.length > 2 * this.items.length + 1024) {
      this.trimmed += this.log.length;
      this.log = [];
    }
  }

  /** How many replacements so far; hand it back to changedSince later. */
  get version(): number {
    return this.trimmed + this.log.length;
  }

  /** Positions replaced after `version` (a position may repeat), or undefined when the record no longer reaches back that far. */
  changedSince(version: number): readonly number[] | undefined {
    if (version < this.trimmed || version > this.version) return undefined;
    return this.log.slice(version - this.trimmed);
  }
}
