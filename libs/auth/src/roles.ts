import { Role } from '#vim/persistence';

const RANK: Record<Role, number> = { [Role.VIEWER]: 0, [Role.OPERATOR]: 1, [Role.ADMIN]: 2, [Role.PLATFORM_ADMIN]: 3 };

/** Roles are ordered: a platform admin may do what an admin may, an admin what an operator may, and so on. */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** The roles a caller may hand out: never one above its own, so nobody can promote themselves. */
export function rolesGrantableBy(role: Role): Role[] {
  return Object.values(Role).filter((candidate) => roleAllows(role, candidate));
}

/** Reading needs a viewer, changing needs an operator, unless a route asks for more. */
export function defaultRoleFor(method: string): Role {
  return ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase()) ? Role.VIEWER : Role.OPERATOR;
}

/** Who is calling: resolved from the bearer token on every request. */
export interface Principal {
  tokenId: string;
  tenantId: string;
  role: Role;
}

/**
 * The tenant whose tokens and audit trail the caller administers; undefined means every tenant
 * (a platform administrator). Anything outside it must look as if it did not exist.
 */
export function administeredTenant(caller: Principal): string | undefined {
  return caller.role === Role.PLATFORM_ADMIN ? undefined : caller.tenantId;
}

/** Whether the caller administers that tenant (rows without a tenant belong to the platform). */
export function administers(caller: Principal, tenantId: string | null): boolean {
  const scope = administeredTenant(caller);
  return scope === undefined || scope === tenantId;
}
