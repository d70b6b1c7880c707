import { describe, expect, test } from '@jest/globals';
import type { PlaceBatch, PlaceItem, PlaceResult } from './jobs.js';
import { PlacementClient } from './placement-client.js';

const item = (n: number): PlaceItem => ({
  vduInstanceId: `vm-${n}`,
  request: { requestId: `r${n}`, vcpus: 1, cpuPolicy: 'shared', memoryMb: 256, pageSize: 'small', virtioPorts: 0, sriovPorts: [], vfNumaAffinity: 'required' },
});

/** Answers each item with a refusal naming the VM, so a test can see which answer went where. */
function recordingRunner() {
  const batches: PlaceBatch[] = [];
  const run = async (batch: PlaceBatch): Promise<PlaceResult[]> => {
    batches.push(batch);
    return batch.items.map((i) => ({ ok: false, attempts: 1, explanation: { summary: i.vduInstanceId, reasonCounts: {}, hosts: [] } }) as PlaceResult);
  };
  return { batches, run };
}

const summaryOf = (r: PlaceResult) => (r.ok ? 'placed' : r.explanation.summary);

describe('PlacementClient', () => {
  test('requests submitted in the same turn share one job, and each gets its own answer', async () => {
    const { batches, run } = recordingRunner();
    const client = new PlacementClient(run);
    const answers = await Promise.all([1, 2, 3].map((n) => client.submit(item(n))));
    expect(batches.map((b) => b.items.map((i) => i.vduInstanceId))).toEqual([['vm-1', 'vm-2', 'vm-3']]);
    expect(answers.map(summaryOf)).toEqual(['vm-1', 'vm-2', 'vm-3']);
  });

  test('requests of later turns go in later jobs', async () => {
    const { batches, run } = recordingRunner();
    const client = new PlacementClient(run);
    await client.submit(item(1));
    await client.submit(item(2));
    expect(batches).toHaveLength(2);
  });

  test('a burst larger than maxBatch is split into jobs of at most maxBatch, in order', async () => {
    const { batches, run } = recordingRunner();
    const client = new PlacementClient(run, { maxBatch: 2 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => client.submit(item(n))));
    expect(batches.map((b) => b.items.length)).toEqual([2, 2, 1]);
    expect(answers.map(summaryOf)).toEqual(['vm-1', 'vm-2', 'vm-3', 'vm-4', 'vm-5']);
  });

  test('a failed job rejects every request in it, and only those', async () => {
    let calls = 0;
    const client = new PlacementClient(async (batch) => {
      if (calls++ === 0) throw new Error('queue down');
      return recordingRunner().run(batch);
    });
    const first = Promise.all([client.submit(item(1)), client.submit(item(2))]);
    await expect(first).rejects.toThrow('queue down');
    await expect(client.submit(item(3)).then(summaryOf)).resolves.toBe('vm-3');
  });

  test('a job that answers the wrong number of results rejects its requests instead of mismatching them', async () => {
    const client = new PlacementClient(async () => []);
    await expect(client.submit(item(1))).rejects.toThrow('answered 0 results for 1 items');
  });
});
