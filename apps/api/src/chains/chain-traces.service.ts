import { HttpStatus, Injectable } from '@nestjs/common';
import { type ChainTraceAnswer, type ChainTraceErrorKind, type ChainTraceRequest, type ChainTraceResult, isChainTraceError } from '#vim/chains';
import { PROBLEM, ProblemException } from '../common/problem.js';
import { ChainJobs } from './chain-jobs.service.js';
import { ServiceChains } from './service-chains.service.js';

const REFUSAL: Readonly<Record<ChainTraceErrorKind, (id: string, detail: string) => ProblemException>> = {
  'not-found': (id) => ProblemException.notFound(`service chain '${id}'`),
  'cannot-trace': (id, detail) => ProblemException.conflict(`service chain '${id}' cannot be traced as it is: ${detail}`),
  'invalid-packet': (_, detail) => ProblemException.validation([{ path: '', message: detail }], 'the packet cannot be traced'),
};

/** Traces ask the worker, which runs ofproto/trace on the switch; the API only waits for the answer. */
@Injectable()
export class ChainTraces {
  constructor(
    private readonly chains: ServiceChains,
    private readonly jobs: ChainJobs,
  ) {}

  async trace(tenantId: string, id: string, packet: ChainTraceRequest): Promise<ChainTraceResult> {
    const { row } = await this.chains.get(tenantId, id);
    if (row.generation === 0) throw ProblemException.conflict(`service chain '${id}' has no rules installed yet (state ${row.state}); trace it once it is ACTIVE or DEGRADED`);
    const answer = await this.ask(tenantId, row.id, packet);
    if (isChainTraceError(answer)) throw REFUSAL[answer.error](id, answer.detail);
    return answer;
  }

  /** The worker's answer; a queue or worker that does not answer in time is a 503, a trace that broke a 502. */
  private async ask(tenantId: string, chainId: string, packet: ChainTraceRequest): Promise<ChainTraceAnswer> {
    try {
      return (await this.jobs.trace(tenantId, chainId, packet)) as ChainTraceAnswer;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (/timed out|did not take/i.test(reason)) throw ProblemException.unavailable(`no worker answered the trace: ${reason}`);
      throw new ProblemException({ type: PROBLEM.traceFailed, title: 'Trace failed', status: HttpStatus.BAD_GATEWAY, detail: reason });
    }
  }
}
