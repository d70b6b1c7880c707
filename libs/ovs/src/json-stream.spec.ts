import { describe, expect, test } from '@jest/globals';
import { JsonStreamSplitter } from './json-stream.js';

describe('JsonStreamSplitter', () => {
  test('splits back-to-back texts and keeps partial ones for later', () => {
    const splitter = new JsonStreamSplitter();
    expect(splitter.push('{"id":1,"result":[]}{"id":2,')).toEqual(['{"id":1,"result":[]}']);
    expect(splitter.push('"result":{"a":[1,2]}}')).toEqual(['{"id":2,"result":{"a":[1,2]}}']);
  });

  test('braces and quotes inside strings do not count', () => {
    const splitter = new JsonStreamSplitter();
    const text = '{"error":"bad } token \\" { here","id":3}';
    expect(splitter.push(text.slice(0, 17))).toEqual([]);
    expect(splitter.push(text.slice(17))).toEqual([text]);
    expect(JSON.parse(text).error).toBe('bad } token " { here');
  });
});
