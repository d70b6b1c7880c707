import { Module } from '@nestjs/common';
import { HeartbeatService } from './heartbeat.service.js';
import { WorkerIdentity } from './worker-identity.js';

/** Who this worker is and which workers are alive: one instance per application, for every module that asks. */
@Module({ providers: [WorkerIdentity, HeartbeatService], exports: [WorkerIdentity, HeartbeatService] })
export class MembershipModule {}
