import { expect, test } from '@jest/globals';
import { durabilityProblems } from './redis-durability.js';

test('a Redis with an append-only file and noeviction keeps jobs; anything else is named with what it should be', () => {
  expect(durabilityProblems({ appendonly: 'yes', 'maxmemory-policy': 'noeviction' })).toEqual([]);
  expect(durabilityProblems({ appendonly: 'no', 'maxmemory-policy': 'allkeys-lru' })).toEqual([
    'appendonly is no, should be yes',
    'maxmemory-policy is allkeys-lru, should be noeviction',
  ]);
  expect(durabilityProblems({})).toEqual(['appendonly is unknown, should be yes', 'maxmemory-policy is unknown, should be noeviction']);
});
