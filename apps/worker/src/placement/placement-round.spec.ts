import { describe, expect, test } from '@jest/globals';
import { createScheduler, HostList } from '#vim/placement';
import { type CellSpec, makeHost, makeRequest } from '#vim/placement/testing';
import { chooseAwayFrom } from './placement-round.js';

const request = makeRequest({ vcpus: 2, memoryMb: 1024, pageSize: 'small' });
const full: CellSpec = { cpus: 0 };
const room: CellSpec = { cpus: 4 };

/** 100 hosts of which only `fitting` (by name) have room; the rest are full. */
function fleet(fitting: Record<string, CellSpec>): HostList {
  const names = Array.from({ length: 100 }, (_, i) => `host-${String(i).padStart(3, '0')}`);
  return new HostList(names.map((name) => makeHost(name, [fitting[name] ?? full])));
}

describe('chooseAwayFrom: deciding again after a claim lost', () => {
  const scheduler = createScheduler({ strategy: 'pack' });

  test('the best host is where it lost: another host that fits is chosen, even outside the random part it looked at first', () => {
    // Equal hosts: the lower name is the best.
    const hosts = fleet({ 'host-007': room, 'host-093': room });
    expect(scheduler.place(request, hosts)).toMatchObject({ ok: true, placement: { hostId: 'id-host-007' } });
    // The random part holds 32 of the 99 other hosts: in 20 tries it misses host-093 almost surely.
    for (let i = 0; i < 20; i++) {
      expect(chooseAwayFrom(scheduler, request, hosts, new Set(['id-host-007']))).toMatchObject({ ok: true, placement: { hostId: 'id-host-093' } });
    }
  });

  test('when only hosts where it lost fit, it tries one of them again rather than giving up', () => {
    const hosts = fleet({ 'host-007': room });
    expect(chooseAwayFrom(scheduler, request, hosts, new Set(['id-host-007']))).toMatchObject({ ok: true, placement: { hostId: 'id-host-007' } });
  });

  test('no host fits at all: the answer is the explanation', () => {
    const result = chooseAwayFrom(scheduler, request, fleet({}), new Set(['id-host-007']));
    expect(result.ok).toBe(false);
  });
});
