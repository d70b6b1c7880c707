import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import type { HostEntity } from '#vim/persistence';
import { HostCatalogue } from './host-catalogue.service.js';

/** A queue whose Redis is away: BullMQ's add then waits for it forever. */
const hangingQueue = { name: 'inventory', add: () => new Promise(() => undefined) };

function catalogue() {
  const saved: HostEntity[] = [];
  const hosts = {
    create: (values: Partial<HostEntity>) => ({ id: '0b0e7a52-52a3-4a8e-9f63-b5a1c0ad2f10', ...values }) as HostEntity,
    save: async (host: HostEntity) => {
      saved.push(host);
      return host;
    },
  };
  return { saved, hosts: new HostCatalogue(hosts as never, {} as never, {} as never, hangingQueue as never) };
}

describe('HostCatalogue when the inventory queue does not answer', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('an asked-for discovery is a 503 after the time limit, not a hung request', async () => {
    const refreshing = catalogue().hosts.refresh('0b0e7a52-52a3-4a8e-9f63-b5a1c0ad2f10');
    const outcome = expect(refreshing).rejects.toMatchObject({
      problem: { status: 503, type: 'urn:vim:problem:service-unavailable', retryAfter: 5, detail: expect.stringMatching(/^discovery of host '0b0e7a52.*' could not be queued: the inventory queue did not take the job within 5000 ms$/) },
    });
    await jest.advanceTimersByTimeAsync(5000);
    await outcome;
  });

  test('a registration answers with the saved host; discovery is left to the periodic refresh', async () => {
    const { saved, hosts } = catalogue();
    const registering = hosts.register({ name: 'edge-1' } as never);
    await jest.advanceTimersByTimeAsync(5000);
    await expect(registering).resolves.toMatchObject({ name: 'edge-1' });
    expect(saved).toHaveLength(1);
  });
});
