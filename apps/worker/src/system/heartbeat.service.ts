import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WORKER_BEAT_MS, WorkerRegistry } from '#vim/platform';
import { WorkerIdentity } from './worker-identity.js';

/**
 * Keeps this worker's lease in the registry of live workers (/readyz counts them) and remembers
 * who else is alive: placement splits the fleet among them (PlacementPeers).
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('heartbeat');
  private timer?: NodeJS.Timeout;
  private live: readonly string[] = [];

  constructor(
    private readonly registry: WorkerRegistry,
    private readonly identity: WorkerIdentity,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), WORKER_BEAT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.registry.leave(this.identity.id).catch(() => undefined);
  }

  /** The live workers' ids by name, as of the last beat; empty before the first one answered. */
  peers(): readonly string[] {
    return this.live;
  }

  private async beat(): Promise<void> {
    try {
      this.live = await this.registry.renew(this.identity.id);
    } catch (error) {
      this.logger.warn(`lease not renewed: ${String(error)}`);
    }
  }
}
