import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { Repository } from 'typeorm';
import { HostEntity, PG, pgError, ResourceClaimEntity, VduInstanceEntity } from '#vim/persistence';
import { capacityOf, type CellCapacity, loadSnapshots } from '#vim/placement-store';
import { discoveryJob, QUEUES } from '#vim/platform';
import { enqueue } from '../common/deadline.js';
import { isUuid, ProblemException } from '../common/problem.js';
import type { CreateHostRequest, UpdateHostRequest } from './host-requests.dto.js';
import { hostPath } from './host.views.js';

/** Hosts as operators register them; what is on them comes from discovery jobs in the worker. */
@Injectable()
export class HostCatalogue {
  private readonly logger = new Logger('hosts');

  constructor(
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(VduInstanceEntity) private readonly vms: Repository<VduInstanceEntity>,
    @InjectRepository(ResourceClaimEntity) private readonly claims: Repository<ResourceClaimEntity>,
    @InjectQueue(QUEUES.inventory) private readonly inventory: Queue,
  ) {}

  async register(request: CreateHostRequest): Promise<HostEntity> {
    let host: HostEntity;
    try {
      host = await this.hosts.save(this.hosts.create(request));
    } catch (error) {
      if (pgError(error, PG.UNIQUE_VIOLATION)) throw ProblemException.conflict(`a host named '${request.name}' exists`);
      throw error;
    }
    await this.discoverSoon(host.id);
    return host;
  }

  async list({ limit, offset }: { limit: number; offset: number }): Promise<{ rows: HostEntity[]; total: number }> {
    const [rows, total] = await this.hosts.findAndCount({ order: { name: 'ASC' }, take: limit, skip: offset });
    return { rows, total };
  }

  /** Free capacity of these hosts, from the same snapshots placement uses. */
  async capacity(hostIds: string[]): Promise<Map<string, CellCapacity[]>> {
    const snapshots = await loadSnapshots(this.hosts.manager, hostIds);
    return new Map(snapshots.map((s) => [s.hostId, capacityOf(s)]));
  }

  async get(id: string): Promise<HostEntity> {
    const host = isUuid(id) ? await this.hosts.findOneBy({ id }) : null;
    if (!host) throw ProblemException.notFound(`host '${id}'`);
    return host;
  }

  async update(id: string, request: UpdateHostRequest): Promise<HostEntity> {
    const host = await this.get(id);
    const rediscover = request.physnets !== undefined || request.reservedCpus !== undefined || request.pmdQueueCapacity !== undefined;
    const saved = await this.hosts.save(Object.assign(host, request));
    if (rediscover) await this.discoverSoon(id);
    return saved;
  }

  /** Refused while VMs or claims are on the host: they would lose their home silently. */
  async remove(id: string): Promise<void> {
    await this.get(id);
    const [vms, claims] = await Promise.all([this.vms.countBy({ hostId: id }), this.claims.countBy({ hostId: id })]);
    if (vms + claims > 0) throw ProblemException.conflict(`host '${id}' still has ${vms} VM(s) and ${claims} resource claim(s)`);
    await this.hosts.delete({ id });
  }

  /**
   * Queues a discovery; one per host at a time, a second request joins the first. A queue that
   * does not answer (Redis away: BullMQ waits for it forever) is a 503, not a hung request.
   */
  async refresh(id: string): Promise<string> {
    try {
      return await this.enqueueDiscovery(id);
    } catch (error) {
      throw ProblemException.unavailable(`discovery of host '${id}' could not be queued: ${messageOf(error)}`);
    }
  }

  /** After a change that is saved: the periodic refresh discovers the host if the queue cannot take the job now. */
  private async discoverSoon(id: string): Promise<void> {
    await this.enqueueDiscovery(id).catch((error: unknown) =>
      this.logger.warn(`discovery of host '${id}' could not be queued: ${messageOf(error)}; the periodic refresh, or POST ${hostPath(id)}/refresh, will discover it`),
    );
  }

  private async enqueueDiscovery(id: string): Promise<string> {
    const job = discoveryJob(id);
    await enqueue(this.inventory, job.name, job.data, job.options);
    return job.options.jobId;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
