import { describe, expect, test } from '@jest/globals';
import { Role } from '#vim/persistence';
import { administeredTenant, administers, defaultRoleFor, hashTokenSecret, looksLikeTokenSecret, newTokenSecret, type Principal, roleAllows, rolesGrantableBy } from './index.js';

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
  test('are ordered viewer < operator < admin < platform-admin', () => {
    expect(roleAllows(Role.PLATFORM_ADMIN, Role.ADMIN)).toBe(true);
    expect(roleAllows(Role.PLATFORM_ADMIN, Role.VIEWER)).toBe(true);
    expect(roleAllows(Role.ADMIN, Role.PLATFORM_ADMIN)).toBe(false);
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

  test('nobody may hand out a role above their own', () => {
    expect(rolesGrantableBy(Role.PLATFORM_ADMIN)).toEqual([Role.PLATFORM_ADMIN, Role.ADMIN, Role.OPERATOR, Role.VIEWER]);
    expect(rolesGrantableBy(Role.ADMIN)).toEqual([Role.ADMIN, Role.OPERATOR, Role.VIEWER]);
    expect(rolesGrantableBy(Role.VIEWER)).toEqual([Role.VIEWER]);
  });
});

describe('administered tenants', () => {
  const caller = (role: Role, tenantId = 'tenant-b'): Principal => ({ tokenId: 't', tenantId, role });

  test('a platform admin administers every tenant and the platform itself', () => {
    expect(administeredTenant(caller(Role.PLATFORM_ADMIN))).toBeUndefined();
    expect(administers(caller(Role.PLATFORM_ADMIN), 'tenant-a')).toBe(true);
    expect(administers(caller(Role.PLATFORM_ADMIN), null)).toBe(true);
  });

  test('an admin administers its own tenant only', () => {
    expect(administeredTenant(caller(Role.ADMIN))).toBe('tenant-b');
    expect(administers(caller(Role.ADMIN), 'tenant-b')).toBe(true);
    expect(administers(caller(Role.ADMIN), 'tenant-a')).toBe(false);
    expect(administers(caller(Role.ADMIN), null)).toBe(false);
  });
});
