import type { NoValidHost, Placement } from '#vim/placement';
import type { PlaceItem, PlaceResult } from '#vim/placement-queue';
import type { Placer } from '../op-context.js';
import type { MemoryLcmStore } from './memory-store.js';

/**
 * Places every VM on the host it is told to use, handing out CPUs, PMD queue slots and VFs that
 * were never given before, and claims them in the memory store as placement would.
 */
export class FakePlacer implements Placer {
  readonly requests: PlaceItem[][] = [];
  hostId: string;
  private nextCpu = 2;
  private nextSlot = 0;
  private nextVf = 0;
  private refusal?: NoValidHost;

  constructor(
    private readonly store: MemoryLcmStore,
    hostId: string,
  ) {
    this.hostId = hostId;
  }

  /** The next request is refused for every VM in it. */
  refuseNext(summary = 'no valid host: 1 of 1 hosts failed SriovFilter'): void {
    this.refusal = { summary, reasonCounts: { SriovFilter: 1 }, hosts: [{ hostId: this.hostId, name: 'h1', filter: 'SriovFilter', reason: 'numa 0 has 0 free VFs on physnet sriov-a, needs 1' }] };
  }

  async place(items: readonly PlaceItem[]): Promise<PlaceResult[]> {
    this.requests.push([...items]);
    const refusal = this.refusal;
    this.refusal = undefined;
    return items.map((item) => {
      if (refusal) return { ok: false, explanation: refusal, attempts: 1 };
      const placement = this.placementFor(item);
      this.store.claim(item.vduInstanceId, placement);
      return { ok: true, placement, attempts: 1, committedAt: Date.now() };
    });
  }

  private placementFor({ request }: PlaceItem): Placement {
    return {
      hostId: this.hostId,
      cellId: 0,
      cpus: request.cpuPolicy === 'dedicated' ? Array.from({ length: request.vcpus }, () => this.nextCpu++) : [],
      memoryMb: request.memoryMb,
      pmdQueues: Array.from({ length: request.virtioPorts }, () => ({ cpuId: 1, slot: this.nextSlot++ })),
      vfs: request.sriovPorts.map(({ physnet }) => {
        const vf = this.nextVf++;
        const slot = (2 + Math.floor(vf / 8)).toString(16).padStart(2, '0');
        return { pciAddress: `0000:3b:${slot}.${vf % 8}`, physnet, cellId: 0, pfPciAddress: '0000:3b:00.0' };
      }),
      score: 0,
    };
  }
}
