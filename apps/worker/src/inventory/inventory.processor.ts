import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job, Queue } from 'bullmq';
import type { Repository } from 'typeorm';
import { AppConfig } from '#vim/config';
import { discoverHost } from '#vim/inventory';
import { hostStateEvent, lcmEventChannel } from '#vim/lcm';
import { HostEntity, HostReachability } from '#vim/persistence';
import { discoveryJob, QUEUES, RedisClient } from '#vim/platform';
import { HostProbes } from './host-probes.js';
import { HostTopologyStore } from './host-topology.store.js';

const REFRESH_SCHEDULER = 'inventory-refresh';

/**
 * `discover` reads one host and stores its topology (or marks it DOWN with the reason);
 * `refresh-all`, on a schedule, queues a discovery for every host.
 */
@Processor(QUEUES.inventory)
export class InventoryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('inventory');

  constructor(
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectQueue(QUEUES.inventory) private readonly queue: Queue,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly store: HostTopologyStore,
    private readonly probes: HostProbes,
    private readonly redis: RedisClient,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // Discovery waits on virsh and OVSDB, not on this process: several hosts at once.
    this.worker.concurrency = 4;
    const every = this.config.INVENTORY_REFRESH_SECONDS * 1000;
    if (every === 0) await this.queue.removeJobScheduler(REFRESH_SCHEDULER);
    else await this.queue.upsertJobScheduler(REFRESH_SCHEDULER, { every }, { name: 'refresh-all' });
  }

  async process(job: Job<{ hostId?: string }>): Promise<unknown> {
    if (job.name === 'refresh-all') return this.refreshAll();
    if (job.name === 'discover' && job.data.hostId) return this.discover(job.data.hostId);
    throw new Error(`unknown job '${job.name}' on queue ${QUEUES.inventory}`);
  }

  private async refreshAll(): Promise<{ queued: number }> {
    const hosts = await this.hosts.find({ select: { id: true } });
    await this.queue.addBulk(
      hosts.map((h) => {
        const job = discoveryJob(h.id);
        return { name: job.name, data: job.data, opts: job.options };
      }),
    );
    return { queued: hosts.length };
  }

  private async discover(hostId: string): Promise<{ cells: number; cpus: number; vfs: number } | { gone: true }> {
    const host = await this.hosts.findOneBy({ id: hostId });
    if (!host) return { gone: true };
    try {
      const topology = await discoverHost({
        hypervisor: this.probes.hypervisor(host.libvirtUri),
        switch: this.probes.switch(host.ovsdbRemote),
        physnets: host.physnets,
      });
      await this.store.replace(hostId, topology);
      this.announce(host, HostReachability.UP);
      return {
        cells: topology.cells.length,
        cpus: topology.cells.reduce((n, c) => n + c.cpus.length, 0),
        vfs: topology.pfs.reduce((n, pf) => n + pf.vfs.length, 0),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`host ${host.name} is DOWN: ${reason}`);
      await this.store.markUnreachable(hostId, reason);
      this.announce(host, HostReachability.DOWN);
      throw error;
    }
  }

  /** A change of state goes on the event stream, so that watchers (the dashboard) see a host go DOWN at once. Best effort. */
  private announce(host: HostEntity, state: HostReachability): void {
    if (host.reachability === state) return;
    const event = hostStateEvent({ hostId: host.id, hostName: host.name, state: state === HostReachability.UP ? 'UP' : 'DOWN', previousState: host.reachability });
    this.redis.publish(lcmEventChannel(this.config.QUEUE_PREFIX), JSON.stringify(event)).catch((error: unknown) => this.logger.warn(`host ${host.name}'s state change not announced: ${String(error)}`));
  }
}
