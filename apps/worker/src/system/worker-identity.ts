import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';

/** Names this worker process in heartbeats and job results. */
@Injectable()
export class WorkerIdentity {
  readonly id = `${hostname()}:${process.pid}`;
}
