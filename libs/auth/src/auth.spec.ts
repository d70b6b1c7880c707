import { describe, expect, test } from '@jest/globals';
import { Role } from '../../persistence/src/index.js';
import { defaultRoleFor, hashTokenSecret, looksLikeTokenSecret, newTokenSecret, roleAllows } from './index.js';

describe('token secrets', () => {
  test('are random, recognisable and hashed to 64 hex characters', () => {
    const a = newTokenSecret();
    const b = newTokenSecret();
    expect(a).not.toBe(b);
    expect(looksLikeTokenSecret(a)).toBe(true);
    expect(hashTokenSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashTokenSecret(a)).toBe(hashTokenSecret(a));
    expect(hashTokenSecret(a)).not.toBe(hashTokenSecret(b));
  });

  test.each(['', 'vim_short', 'Bearer vim_x', `xyz_${'a'.repeat(43)}`, `vim_${'a'.repeat(42)}!`])('%j is not a token', (value) => {
    expect(looksLikeTokenSecret(value)).toBe(false);
  });
});

describe('roles', () => {
  test('are ordered viewer < operator < admin', () => {
    expect(roleAllows(Role.ADMIN, Role.OPERATOR)).toBe(true);
    expect(roleAllows(Role.OPERATOR, Role.OPERATOR)).toBe(true);
    expect(roleAllows(Role.OPERATOR, Role.ADMIN)).toBe(false);
    expect(roleAllows(Role.VIEWER, Role.OPERATOR)).toBe(false);
    expect(roleAllows(Role.VIEWER, Role.VIEWER)).toBe(true);
  });

  test('reads need a viewer, writes an operator', () => {
    expect(defaultRoleFor('GET')).toBe(Role.VIEWER);
    expect(defaultRoleFor('post')).toBe(Role.OPERATOR);
    expect(defaultRoleFor('DELETE')).toBe(Role.OPERATOR);
  });
});
