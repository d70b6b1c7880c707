import { describe, expect, test } from '@jest/globals';
import type { ChainTraceAnswer } from '#vim/chains';
import { ProblemException } from '../common/problem.js';
import type { ChainJobs } from './chain-jobs.service.js';
import { ChainTraces } from './chain-traces.service.js';
import type { ServiceChains } from './service-chains.service.js';

const ID = 'c0000000-0000-4000-8000-000000000001';
const PACKET = { ethertype: 'ipv4' as const, source: '10.0.0.1', destination: '10.0.0.2', protocol: 17 };

function traces(answer: () => Promise<ChainTraceAnswer>, generation = 1) {
  const chains = { get: async () => ({ row: { id: ID, generation, state: generation === 0 ? 'PENDING' : 'ACTIVE' }, op: null }) } as unknown as ServiceChains;
  const jobs = { trace: answer } as unknown as ChainJobs;
  return new ChainTraces(chains, jobs);
}

const statusOf = async (work: Promise<unknown>) => {
  try {
    await work;
    return 200;
  } catch (error) {
    return (error as ProblemException).problem.status;
  }
};

describe('ChainTraces', () => {
  test("the worker's refusals are the client's answers: gone 404, not traceable 409, a packet it cannot trace 400", async () => {
    expect(await statusOf(traces(async () => ({ error: 'not-found', detail: 'gone' })).trace('t', ID, PACKET))).toBe(404);
    expect(await statusOf(traces(async () => ({ error: 'cannot-trace', detail: 'the ingress has no port' })).trace('t', ID, PACKET))).toBe(409);
    expect(await statusOf(traces(async () => ({ error: 'invalid-packet', detail: 'bad' })).trace('t', ID, PACKET))).toBe(400);
  });

  test('no rules yet is a 409 without asking; no worker in time a 503; a broken trace a 502', async () => {
    let asked = false;
    expect(await statusOf(traces(async () => ((asked = true), { error: 'not-found', detail: '' }), 0).trace('t', ID, PACKET))).toBe(409);
    expect(asked).toBe(false);
    expect(await statusOf(traces(async () => Promise.reject(new Error('Job wait trace timed out before finishing'))).trace('t', ID, PACKET))).toBe(503);
    expect(await statusOf(traces(async () => Promise.reject(new Error('ovs-appctl exploded'))).trace('t', ID, PACKET))).toBe(502);
  });

  test('a result is passed through', async () => {
    const result = { chainId: ID, entersChain: true, hops: [] } as unknown as ChainTraceAnswer;
    await expect(traces(async () => result).trace('t', ID, PACKET)).resolves.toBe(result);
  });
});
