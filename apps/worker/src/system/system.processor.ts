import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QUEUES } from '#vim/platform';
import { WorkerIdentity } from './worker-identity.js';

export interface PingResult {
  workerId: string;
  databaseTime: string;
}

/** Answers `ping` jobs: proof that a worker consumes the queues and reaches Postgres. */
@Processor(QUEUES.system)
export class SystemProcessor extends WorkerHost {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly identity: WorkerIdentity,
  ) {
    super();
  }

  async process(job: Job): Promise<PingResult> {
    if (job.name !== 'ping') throw new Error(`unknown job '${job.name}' on queue ${QUEUES.system}`);
    const [{ now }] = (await this.db.query('SELECT now() AS now')) as { now: Date }[];
    return { workerId: this.identity.id, databaseTime: now.toISOString() };
  }
}
