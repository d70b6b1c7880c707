import { describe, expect, test } from '@jest/globals';
import { canChange, may } from './roles.js';

describe('may', () => {
  test('viewer reads only', () => {
    expect(may('viewer', 'read')).toBe(true);
    expect(may('viewer', 'change')).toBe(false);
    expect(canChange('viewer')).toBe(false);
  });
  test('operator changes, does not manage tokens', () => {
    expect(may('operator', 'change')).toBe(true);
    expect(may('operator', 'manage-tokens')).toBe(false);
  });
  test('admin manages tokens, not hosts; platform-admin everything', () => {
    expect(may('admin', 'change')).toBe(true);
    expect(may('admin', 'manage-tokens')).toBe(true);
    expect(may('admin', 'manage-hosts')).toBe(false);
    expect(may('platform-admin', 'manage-hosts')).toBe(true);
    expect(may('platform-admin', 'manage-tenants')).toBe(true);
  });
  test('unknown or missing roles read only', () => {
    expect(may(undefined, 'read')).toBe(true);
    expect(may('root', 'change')).toBe(false);
  });
});
