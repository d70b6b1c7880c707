import { describe, expect, test } from '@jest/globals';
import { canChange, may } from './roles.js';

describe('may', () => {
  test('viewer reads only', () => {
    expect(may('viewer', 'read')).toBe(true);
    expect(may('viewer', 'change')).toBe(false);
    expect(canChange('viewer')).toBe(false);
  });
  test('operator and above change', () => {
    expect(may('operator', 'change')).toBe(true);
    expect(may('admin', 'change')).toBe(true);
    expect(canChange('platform-admin')).toBe(true);
  });
  test('unknown or missing roles read only', () => {
    expect(may(undefined, 'read')).toBe(true);
    expect(may('root', 'change')).toBe(false);
  });
});
