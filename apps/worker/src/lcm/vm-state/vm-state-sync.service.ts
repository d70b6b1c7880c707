import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '#vim/config';
import { RedisClient } from '#vim/platform';
import { LcmDrivers } from '../pipeline/lcm-drivers.js';
import { RedisEventSink } from '../redis-event-sink.js';
import type { HostRecord } from '../pipeline/records.js';
import { type ObservedPower, type VmStateStore, VmStateSync, type WatchedVm } from './vm-state-sync.js';

const WATCHED = `SELECT v.id, i."tenantId", v."vnfInstanceId", v."vduId", v."domainName", v."powerState", v."powerStateReason",
    v."updatedAt"::text AS version,
    json_build_object('id', h.id, 'name', h.name, 'libvirtUri', h."libvirtUri", 'ovsdbRemote', h."ovsdbRemote", 'vhostSocketDir', h."vhostSocketDir",
      'imageDir', h."imageDir", 'disabledCpuFeatures', h."disabledCpuFeatures", 'virtType', h."virtType") AS host
  FROM vdu_instances v JOIN vnf_instances i ON i.id = v."vnfInstanceId" JOIN hosts h ON h.id = v."hostId"
  WHERE v.state = 'ACTIVE' AND v."domainName" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM lcm_op_occs o WHERE o."vnfInstanceId" = v."vnfInstanceId"
      AND o."operationState" IN ('STARTING', 'PROCESSING', 'ROLLING_BACK'))`;

/** The row's updatedAt is left alone, so a lifecycle write (which sets it) still tells itself from the sync's. */
const RECORD = `UPDATE vdu_instances SET "powerState" = $3, "powerStateReason" = $4, "powerStateAt" = now()
  WHERE id = $1 AND "updatedAt" = $2::timestamptz AND state = 'ACTIVE'
    AND "powerState" IS NOT DISTINCT FROM $5 AND "powerStateReason" IS NOT DISTINCT FROM $6
  RETURNING id`;

class PostgresVmStateStore implements VmStateStore {
  constructor(private readonly db: DataSource) {}

  watched(): Promise<WatchedVm[]> {
    return this.db.query(WATCHED) as Promise<(WatchedVm & { host: HostRecord })[]>;
  }

  async record(vm: WatchedVm, now: ObservedPower): Promise<boolean> {
    const [rows] = (await this.db.query(RECORD, [vm.id, vm.version, now.powerState, now.powerStateReason, vm.powerState, vm.powerStateReason])) as [unknown[], number];
    return rows.length > 0;
  }
}

/**
 * Runs VmStateSync every VM_STATE_SYNC_SECONDS. Every worker has the timer; a short Redis lock
 * lets one of them sync per interval (a second one would find nothing to change, but would ask
 * libvirt again for nothing).
 */
@Injectable()
export class VmStateSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('vm-state');
  private readonly sync: VmStateSync;
  private readonly everyMs: number;
  private readonly lockKey: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(AppConfig) config: AppConfig,
    private readonly redis: RedisClient,
    drivers: LcmDrivers,
    events: RedisEventSink,
  ) {
    this.everyMs = config.VM_STATE_SYNC_SECONDS * 1000;
    this.lockKey = `${config.QUEUE_PREFIX}:vm-state-sync`;
    this.sync = new VmStateSync({
      store: new PostgresVmStateStore(db),
      hypervisor: (host) => drivers.hypervisor(host),
      // Through the sink the pipeline uses, so a power change also refreshes the chains through the instance.
      publish: (event) => events.publish(event),
      warn: (message) => this.logger.warn(message),
    });
  }

  onApplicationBootstrap(): void {
    if (this.everyMs === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.everyMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      // The lock lapses a little before the next tick: a worker that dies holding it delays one sync.
      if ((await this.redis.set(this.lockKey, '1', 'PX', Math.max(this.everyMs - 100, 100), 'NX')) !== 'OK') return;
      const { changed } = await this.sync.syncOnce();
      if (changed > 0) this.logger.log(`${changed} VM(s) changed power state`);
    } catch (error) {
      this.logger.warn(`VM state sync failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
