import { describe, expect, test } from '@jest/globals';
import { bridgeOfPort, optional, sameValue, uuidsOf } from './ovsdb-rows.js';

describe('OVSDB values', () => {
  test.each([
    [['map', [['a', '1'], ['b', '2']]], ['map', [['b', '2'], ['a', '1']]], true],
    [['map', [['a', '1']]], ['map', [['a', '2']]], false],
    [['map', []], ['map', []], true],
    [100, ['set', [100]], true],
    [undefined, ['set', []], true],
    [undefined, 0, false],
    [['set', [['uuid', 'x'], ['uuid', 'y']]], ['set', [['uuid', 'y'], ['uuid', 'x']]], true],
    [['uuid', 'x'], ['set', [['uuid', 'x'], ['uuid', 'y']]], false],
  ])('sameValue(%j, %j) is %s', (a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
    expect(sameValue(b, a)).toBe(same);
  });

  test('a one-element set arrives bare, an empty optional column as an empty set', () => {
    expect(uuidsOf(['uuid', 'x'])).toEqual(['x']);
    expect(uuidsOf(['set', []])).toEqual([]);
    expect(optional(['set', []])).toBeUndefined();
    expect(optional(5)).toBe(5);
    expect(bridgeOfPort([{ name: 'br-int', ports: ['uuid', 'p1'] }, { name: 'br-ex', ports: ['set', [['uuid', 'p2'], ['uuid', 'p3']]] }])).toEqual(
      new Map([['p1', 'br-int'], ['p2', 'br-ex'], ['p3', 'br-ex']]),
    );
  });
});
