import { HttpStatus, Injectable } from '@nestjs/common';
import type { ChainTraceRequest } from '#vim/chains';
import { PROBLEM, ProblemException } from '../common/problem.js';
import { ChainJobs } from './chain-jobs.service.js';
import { ServiceChains } from './service-chains.service.js';

/** Traces ask the worker, which runs ofproto/trace on the switch; the API only waits for the answer. */
@Injectable()
export class ChainTraces {
  constructor(
    private readonly chains: ServiceChains,
    private readonly jobs: ChainJobs,
  ) {}

  async trace(tenantId: string, id: string, packet: ChainTraceRequest): Promise<unknown> {
    const { row } = await this.chains.get(tenantId, id);
    if (row.generation === 0) throw ProblemException.conflict(`service chain '${id}' has no rules installed yet (state ${row.state}); trace it once it is ACTIVE or DEGRADED`);
    try {
      return await this.jobs.trace(tenantId, row.id, packet);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (/timed out|did not take/i.test(reason)) throw ProblemException.unavailable(`no worker answered the trace: ${reason}`);
      throw new ProblemException({ type: PROBLEM.traceFailed, title: 'Trace failed', status: HttpStatus.BAD_GATEWAY, detail: reason });
    }
  }
}
