import { describe, expect, test } from '@jest/globals';
import type { Placement } from '#vim/placement';
import type { ClaimItem, ClaimOutcome } from '#vim/placement-store';
import { ClaimBatcher } from './claim-batcher.js';

const item = (vm: string): ClaimItem => ({ vduInstanceId: vm, placement: { hostId: 'h', cellId: 0, cpus: [], memoryMb: 1, pmdQueues: [], vfs: [], score: 0 } as Placement });

/** A writer whose transactions finish only when the test says so; each item's outcome names its VM. */
function heldWriter() {
  const calls: { vms: string[]; finish: () => void; fail: (e: Error) => void }[] = [];
  const write = (items: readonly ClaimItem[]) =>
    new Promise<ClaimOutcome[]>((resolve, reject) => {
      const vms = items.map((i) => i.vduInstanceId);
      calls.push({ vms, finish: () => resolve(vms.map((vm) => ({ claimed: false, reason: vm }))), fail: reject });
    });
  return { calls, write };
}

const reasons = (outcomes: ClaimOutcome[]) => outcomes.map((o) => (o.claimed ? 'claimed' : o.reason));
const tick = () => new Promise((r) => setImmediate(r));

describe('ClaimBatcher', () => {
  test('a lone claim is written at once', async () => {
    const { calls, write } = heldWriter();
    const done = new ClaimBatcher(write).submit([item('a')]);
    expect(calls.map((c) => c.vms)).toEqual([['a']]);
    calls[0]!.finish();
    expect(reasons(await done)).toEqual(['a']);
  });

  test('claims that arrive while the transactions run go together into the next one, and each caller gets its own outcomes', async () => {
    const { calls, write } = heldWriter();
    const batcher = new ClaimBatcher(write, 1);
    const first = batcher.submit([item('a')]);
    const second = batcher.submit([item('b'), item('c')]);
    const third = batcher.submit([item('d')]);
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    await first;
    await tick();
    expect(calls.map((c) => c.vms)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1]!.finish();
    expect(reasons(await second)).toEqual(['b', 'c']);
    expect(reasons(await third)).toEqual(['d']);
  });

  test('the same VM is never put twice into one transaction', async () => {
    const { calls, write } = heldWriter();
    const batcher = new ClaimBatcher(write, 1);
    void batcher.submit([item('a')]);
    void batcher.submit([item('b')]);
    void batcher.submit([item('b')]);
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.vms)).toEqual([['a'], ['b']]);
    calls[1]!.finish();
    await tick();
    expect(calls.map((c) => c.vms)).toEqual([['a'], ['b'], ['b']]);
  });

  test('a failed transaction rejects the claims it carried; the next ones still run', async () => {
    const { calls, write } = heldWriter();
    const batcher = new ClaimBatcher(write, 1);
    const first = batcher.submit([item('a')]);
    const second = batcher.submit([item('b')]);
    calls[0]!.fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    calls[1]!.finish();
    expect(reasons(await second)).toEqual(['b']);
  });
});
