import { describe, expect, test } from '@jest/globals';
import { toInteger, toNumber } from './numbers.js';

describe('toNumber', () => {
  test.each([
    [2, 2],
    [2.5, 2.5],
    ['2', 2],
    ['2.0', 2],
    [' 10 ', 10],
    ['-3', -3],
    ['.5', 0.5],
    ['1e3', 1000],
    ['0', 0],
  ])('accepts %p', (input, expected) => {
    expect(toNumber(input)).toBe(expected);
  });

  test.each([['', ''], ['  ', '  '], ['abc', 'abc'], ['1e999', '1e999'], ['0x10', '0x10'], ['1,5', '1,5'], ['Infinity', 'Infinity'], ['2 GB', '2 GB']])(
    'rejects the string %p',
    (input) => {
      expect(toNumber(input)).toBeUndefined();
    },
  );

  test.each([[null], [undefined], [true], [{}], [[1]], [NaN], [Infinity]])('rejects %p', (input) => {
    expect(toNumber(input)).toBeUndefined();
  });
});

describe('toInteger', () => {
  test('accepts whole numbers written as decimals', () => {
    expect(toInteger('2.0')).toBe(2);
    expect(toInteger(4)).toBe(4);
  });

  test('rejects fractions', () => {
    expect(toInteger('2.5')).toBeUndefined();
  });
});
