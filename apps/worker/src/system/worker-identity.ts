import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Names this worker in the registry of live workers and in job results. */
@Injectable()
export class WorkerIdentity {
  /** Host and pid for people; the suffix keeps apart workers that share a process (tests run several). */
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
