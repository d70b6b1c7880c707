import { Injectable } from '@nestjs/common';
import { HeartbeatService } from '../system/heartbeat.service.js';
import { WorkerIdentity } from '../system/worker-identity.js';

/** A worker's part of the fleet: the hosts whose partOf is `index` when there are `count` parts. */
export type Part = { index: number; count: number };

/** Which part of the fleet a host belongs to: host ids are random UUIDs, so their first 32 bits spread evenly. */
export function partOf(hostId: string, count: number): number {
  return parseInt(hostId.slice(0, 8), 16) % count;
}

/**
 * This worker's position among the live workers (HeartbeatService). Each worker looks first at
 * its own part of the fleet, so concurrent workers rarely choose the same host and lose claims
 * to each other; any worker still takes any host when its part has no room. A worker that dies
 * is counted out when its lease runs out, and its part goes to the others.
 */
@Injectable()
export class PlacementPeers {
  constructor(
    private readonly heartbeat: HeartbeatService,
    private readonly identity: WorkerIdentity,
  ) {}

  /** Everything while alone or not yet registered. */
  part(): Part {
    const peers = this.heartbeat.peers();
    const index = peers.indexOf(this.identity.id);
    return index < 0 ? { index: 0, count: 1 } : { index, count: peers.length };
  }
}
