import type { ChainEvent } from '#vim/chains';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import type { LcmEvent } from '#vim/lcm';
import { LcmOperation, LcmOperationState, type LcmOpOccEntity } from '#vim/persistence';
import { EventFanout, eventMatches, opEvent, parseLcmEvent, parseStreamEvent, SSE_HEARTBEAT, sseFrame, type StreamClient } from './lcm-events.js';

const event = (over: Partial<LcmEvent> = {}): LcmEvent => ({
  opId: 'op-1',
  vnfInstanceId: 'vnf-1',
  tenantId: 'tenant-a',
  operation: 'INSTANTIATE',
  operationState: 'PROCESSING',
  currentStep: 'place',
  isCancelPending: false,
  at: '2030-01-01T00:00:00.000Z',
  ...over,
});

function client(tenantId: string, vnfInstanceId?: string): StreamClient & { chunks: string[]; ended: boolean } {
  const c = { filter: { tenantId, vnfInstanceId }, chunks: [] as string[], ended: false, write: (chunk: string) => c.chunks.push(chunk), end: () => (c.ended = true) };
  return c;
}

describe('parseLcmEvent', () => {
  test('an event as the worker publishes it', () => {
    expect(parseLcmEvent(JSON.stringify(event()))).toEqual(event());
  });

  test('anything else on the channel is dropped, not thrown', () => {
    for (const message of ['', 'not json', '[]', 'null', '42', '{"opId":"x","tenantId":7,"vnfInstanceId":"v"}', '{"tenantId":"t"}']) {
      expect(parseLcmEvent(message)).toBeUndefined();
    }
  });
});

test('opEvent: what the worker would publish for the operation as it is', () => {
  const op = {
    id: 'op-1', vnfInstanceId: 'vnf-1', tenantId: 'tenant-a', operation: LcmOperation.INSTANTIATE, operationState: LcmOperationState.PROCESSING,
    currentStep: 'place', error: null,
  } as LcmOpOccEntity;
  expect(opEvent(op, new Date('2030-01-01T00:00:00Z'))).toEqual(event({ error: null }));
});

describe('eventMatches', () => {
  test("only the caller's tenant, and the instance when one is asked for", () => {
    expect(eventMatches(event(), { tenantId: 'tenant-a' })).toBe(true);
    expect(eventMatches(event(), { tenantId: 'tenant-b' })).toBe(false);
    expect(eventMatches(event(), { tenantId: 'tenant-a', vnfInstanceId: 'vnf-1' })).toBe(true);
    expect(eventMatches(event(), { tenantId: 'tenant-a', vnfInstanceId: 'vnf-2' })).toBe(false);
  });
});

test('sseFrame keeps data on one line even when a field holds line breaks', () => {
  const frame = sseFrame(event({ error: { detail: 'line 1\nline 2\r\n\ndata: forged' } }));
  expect(frame.endsWith('\n\n')).toBe(true);
  const lines = frame.slice(0, -2).split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe('event: lcm');
  expect(JSON.parse(lines[1].replace(/^data: /, ''))).toMatchObject({ error: { detail: 'line 1\nline 2\r\n\ndata: forged' } });
});

describe('EventFanout', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('each client gets what its filter allows, once', () => {
    const fanout = new EventFanout(15_000);
    const [a, aOther, b] = [client('tenant-a'), client('tenant-a', 'vnf-2'), client('tenant-b')];
    [a, aOther, b].forEach((c) => fanout.add(c));
    fanout.publish(JSON.stringify(event()));
    fanout.publish('garbage');
    expect(a.chunks).toEqual([sseFrame(event())]);
    expect(aOther.chunks).toEqual([]);
    expect(b.chunks).toEqual([]);
  });

  test('a heartbeat every interval while someone listens, none after the last one left', () => {
    jest.useFakeTimers();
    const fanout = new EventFanout(15_000);
    const a = client('tenant-a');
    const remove = fanout.add(a);
    jest.advanceTimersByTime(30_000);
    expect(a.chunks).toEqual([SSE_HEARTBEAT, SSE_HEARTBEAT]);
    remove();
    remove();
    expect(fanout.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('closeAll ends every stream and forgets it', () => {
    jest.useFakeTimers();
    const fanout = new EventFanout(15_000);
    const [a, b] = [client('tenant-a'), client('tenant-b')];
    fanout.add(a);
    fanout.add(b);
    fanout.closeAll();
    expect([a.ended, b.ended, fanout.size, jest.getTimerCount()]).toEqual([true, true, 0, 0]);
  });
});

describe('chain events', () => {
  const chain: ChainEvent = {
    kind: 'chain', tenantId: 'tenant-a', chainId: 'c-1', chainName: 'web', opId: 'op-9', operation: 'CREATE', operationState: 'COMPLETED', chainState: 'ACTIVE', at: '2030-01-01T00:00:00.000Z',
  };

  test('go out as `chain` frames to their tenant, and not to a stream of one instance', () => {
    const parsed = parseStreamEvent(JSON.stringify(chain))!;
    expect(parsed).toEqual(chain);
    expect(sseFrame(parsed).split('\n')[0]).toBe('event: chain');
    expect(eventMatches(parsed, { tenantId: 'tenant-a' })).toBe(true);
    expect(eventMatches(parsed, { tenantId: 'tenant-b' })).toBe(false);
    expect(eventMatches(parsed, { tenantId: 'tenant-a', vnfInstanceId: 'vnf-1' })).toBe(false);
  });

  test('one without its chain, operation or state is dropped', () => {
    for (const field of ['chainId', 'opId', 'chainState', 'tenantId'] as const) {
      expect(parseStreamEvent(JSON.stringify({ ...chain, [field]: undefined }))).toBeUndefined();
    }
    expect(parseStreamEvent(JSON.stringify({ ...chain, kind: 'chains' }))).toBeUndefined();
  });
});

describe('host events', () => {
  const host = { kind: 'host-state', hostId: 'h-1', hostName: 'node-1', state: 'DOWN', previousState: 'UP', at: '2030-01-01T00:00:00.000Z' };

  test('go out as `host-state` frames to every tenant, not to a stream of one instance', () => {
    const parsed = parseStreamEvent(JSON.stringify(host))!;
    expect(parsed).toEqual(host);
    expect(sseFrame(parsed).split('\n')[0]).toBe('event: host-state');
    expect(eventMatches(parsed, { tenantId: 'tenant-a' })).toBe(true);
    expect(eventMatches(parsed, { tenantId: 'tenant-b' })).toBe(true);
    expect(eventMatches(parsed, { tenantId: 'tenant-a', vnfInstanceId: 'vnf-1' })).toBe(false);
    expect(parseStreamEvent(JSON.stringify({ ...host, state: 7 }))).toBeUndefined();
  });
});
