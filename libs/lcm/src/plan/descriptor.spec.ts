import { describe, expect, test } from '@jest/globals';
import { INTERFACE_TYPES, PLACEABLE_INTERFACE_TYPES } from '#vim/descriptors';
import { portKind } from './descriptor.js';

describe('portKind', () => {
  test('has a kind exactly for the types placement can place', () => {
    expect(INTERFACE_TYPES.filter((t) => portKind(t) !== undefined)).toEqual([...PLACEABLE_INTERFACE_TYPES]);
  });
});
