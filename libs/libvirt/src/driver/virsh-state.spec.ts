import { describe, expect, test } from '@jest/globals';
import { parseDomstate } from './virsh-state.js';

describe('parseDomstate', () => {
  test("virsh domstate --reason's words, as libvirt 9 prints them", () => {
    expect(parseDomstate('paused (unknown)\n\n')).toEqual({ state: 'PAUSED', reason: 'unknown' });
    expect(parseDomstate('running (booted)\n')).toEqual({ state: 'RUNNING', reason: 'booted' });
    expect(parseDomstate('shut off (destroyed)\n')).toEqual({ state: 'SHUTOFF', reason: 'destroyed' });
    expect(parseDomstate('crashed (panicked)')).toEqual({ state: 'CRASHED', reason: 'panicked' });
    expect(parseDomstate('in shutdown (user)')).toEqual({ state: 'SHUTDOWN', reason: 'user' });
    expect(parseDomstate('running')).toEqual({ state: 'RUNNING' });
  });

  test('anything else is no state', () => {
    for (const output of ['', 'error: failed to get domain', 'flying (high)']) expect(parseDomstate(output)).toBeUndefined();
  });
});
