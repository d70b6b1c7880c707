import type { ClaimItem, ClaimOutcome } from '#vim/placement-store';

type ClaimWriter = (items: readonly ClaimItem[]) => Promise<ClaimOutcome[]>;

interface Request {
  items: readonly ClaimItem[];
  resolve: (outcomes: ClaimOutcome[]) => void;
  reject: (error: unknown) => void;
}

/** Most items in one claim transaction, to bound the statement's size. */
const MAX_ITEMS = 512;

/**
 * Group commit for claims. A worker's concurrent jobs mostly pick the same host (the one it is
 * packing), so separate claim transactions would queue on that host's row lock and on the
 * connection pool. Instead at most `maxInFlight` transactions run at once, and every claim that
 * arrives meanwhile goes into the next one: under load a transaction carries many jobs' claims,
 * and a lone claim is written at once.
 */
export class ClaimBatcher {
  private readonly waiting: Request[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: ClaimWriter,
    private readonly maxInFlight = 1,
  ) {}

  submit(items: readonly ClaimItem[]): Promise<ClaimOutcome[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    const group = this.takeGroup();
    this.inFlight++;
    this.write(group.flatMap((r) => r.items))
      .then(
        (outcomes) => {
          let at = 0;
          for (const r of group) r.resolve(outcomes.slice(at, (at += r.items.length)));
        },
        (error: unknown) => group.forEach((r) => r.reject(error)),
      )
      .finally(() => {
        this.inFlight--;
        this.pump();
      });
  }

  /** Waiting requests in order, up to MAX_ITEMS, stopping before one that names a VM already in the group (one VM, one row per transaction). */
  private takeGroup(): Request[] {
    const group: Request[] = [];
    const vms = new Set<string>();
    let items = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      const clash = next.items.some((i) => vms.has(i.vduInstanceId));
      if (group.length > 0 && (clash || items + next.items.length > MAX_ITEMS)) break;
      for (const i of next.items) vms.add(i.vduInstanceId);
      items += next.items.length;
      group.push(this.waiting.shift()!);
    }
    return group;
  }
}
