import { describe, expect, test } from '@jest/globals';
import { pointer } from './problem.js';

describe('pointer', () => {
  test('builds an RFC 6901 pointer with array indices', () => {
    expect(pointer(['vnfd', 'vdu', 0, 'virtual-compute-desc'])).toBe('/vnfd/vdu/0/virtual-compute-desc');
  });

  test('escapes ~ and /', () => {
    expect(pointer(['a/b', 'c~d', '~/'])).toBe('/a~1b/c~0d/~0~1');
  });

  test('no segments is the whole document', () => {
    expect(pointer([])).toBe('');
    expect(pointer([''])).toBe('/');
  });
});
