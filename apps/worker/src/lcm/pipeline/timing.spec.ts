import { describe, expect, test } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { StepMeter, timed } from './timing.js';

describe('timed', () => {
  test('adds the time until each call settles, resolved or rejected, and keeps values and `this`', async () => {
    const calls: number[] = [];
    const target = {
      factor: 3,
      triple(n: number) {
        return n * this.factor;
      },
      async slow() {
        await sleep(20);
        return 'done';
      },
      async broken() {
        await sleep(20);
        throw new Error('boom');
      },
    };
    const wrapped = timed(target, (ms) => calls.push(ms));
    expect(wrapped.factor).toBe(3);
    expect(wrapped.triple(2)).toBe(6);
    await expect(wrapped.slow()).resolves.toBe('done');
    await expect(wrapped.broken()).rejects.toThrow('boom');
    expect(calls).toHaveLength(3);
    expect(calls[1]).toBeGreaterThanOrEqual(15);
    expect(calls[2]).toBeGreaterThanOrEqual(15);
  });
});

describe('StepMeter', () => {
  test('adds this run to what the operation recorded', () => {
    const meter = new StepMeter();
    meter.time.libvirtMs += 12.4;
    meter.time.ovsdbMs += 3.6;
    expect(meter.timings({ steps: { define: 100, place: 7 }, libvirtMs: 50, ovsdbMs: 1 }, 'define')).toEqual({
      steps: { define: expect.any(Number), place: 7 },
      libvirtMs: 62,
      ovsdbMs: 5,
    });
    expect(meter.timings({}, 'start')).toMatchObject({ libvirtMs: 12, ovsdbMs: 4 });
  });
});
