import { describe, expect, test } from '@jest/globals';
import { decodeOrRaw } from './uri.js';
import { pointerTokens } from './pointer.js';
import { parseHash } from '../router.js';

describe('decoding what the address or a pointer holds', () => {
  test('a valid escape is decoded, a bad one kept as it is', () => {
    expect(decodeOrRaw('a%2Fb')).toBe('a/b');
    expect(decodeOrRaw('100%')).toBe('100%');
    expect(decodeOrRaw('%zz')).toBe('%zz');
    expect(decodeOrRaw('%ED%A0%80')).toBe('%ED%A0%80');
  });
  test('the router does not throw on a bad % sequence', () => {
    expect(parseHash('#/chains/%E0%A4%A')).toEqual({ name: 'chains', params: ['%E0%A4%A'] });
    expect(parseHash('#/instances/new/a%20b')).toEqual({ name: 'instances', params: ['new', 'a b'] });
  });
  test('a URI-fragment pointer with a bad % sequence is read raw', () => {
    expect(pointerTokens('#/a%zz/b')).toEqual(['a%zz', 'b']);
    expect(pointerTokens('#/a%20b')).toEqual(['a b']);
  });
});
