import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { explanation, survivors } from '../testing/harness.js';
import { enabledFilter } from './enabled.filter.js';

describe('EnabledFilter', () => {
  const hosts = [
    makeHost('ok', [{}, {}]),
    makeHost('disabled', [{}], { enabled: false }),
    makeHost('down', [{}], { up: false }),
  ];

  test('keeps every cell of enabled, reachable hosts and rejects the others', () => {
    expect(survivors(enabledFilter, makeRequest(), hosts)).toEqual([[0, 1], [], []]);
  });

  test('says which of the two it was', () => {
    expect(explanation(enabledFilter, makeRequest(), hosts[1]!)).toBe('host is disabled by the operator');
    expect(explanation(enabledFilter, makeRequest(), hosts[2]!)).toBe('host was unreachable at the last discovery');
  });
});
