import { describe, expect, test } from '@jest/globals';
import { vmStateEvent } from '#vim/lcm';
import { EventFanout, parseStreamEvent, sseFrame, type StreamClient } from './lcm-events.js';

const paused = vmStateEvent(
  { tenantId: 'tenant-a', vnfInstanceId: 'vnf-1', vduInstanceId: 'vm-1', vduId: 'fw', powerState: 'PAUSED', powerStateReason: 'unknown', previousPowerState: 'RUNNING' },
  new Date('2030-01-01T00:00:00Z'),
);

function client(tenantId: string, vnfInstanceId?: string): StreamClient & { chunks: string[] } {
  const c = { filter: { tenantId, vnfInstanceId }, chunks: [] as string[], write: (chunk: string) => c.chunks.push(chunk), end: () => undefined };
  return c;
}

describe('VM state events on the LCM stream', () => {
  test('a VM state event as the worker publishes it is read back whole; one missing its VM or state is dropped', () => {
    expect(parseStreamEvent(JSON.stringify(paused))).toEqual(paused);
    expect(parseStreamEvent(JSON.stringify({ ...paused, vduInstanceId: undefined }))).toBeUndefined();
    expect(parseStreamEvent(JSON.stringify({ ...paused, powerState: 3 }))).toBeUndefined();
    expect(parseStreamEvent(JSON.stringify({ ...paused, kind: 'other' }))).toBeUndefined();
  });

  test("it is a `vm-state` server-sent event, sent only to the VM's tenant (and instance)", () => {
    expect(sseFrame(paused).split('\n')[0]).toBe('event: vm-state');
    const fanout = new EventFanout(15_000);
    const [mine, mineOther, theirs] = [client('tenant-a', 'vnf-1'), client('tenant-a', 'vnf-2'), client('tenant-b')];
    [mine, mineOther, theirs].forEach((c) => fanout.add(c));
    fanout.publish(JSON.stringify(paused));
    fanout.closeAll();
    expect(mine.chunks).toEqual([sseFrame(paused)]);
    expect(mineOther.chunks).toEqual([]);
    expect(theirs.chunks).toEqual([]);
  });
});
