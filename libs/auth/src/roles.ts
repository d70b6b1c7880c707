import { Role } from '../../persistence/src/index.js';

const RANK: Record<Role, number> = { [Role.VIEWER]: 0, [Role.OPERATOR]: 1, [Role.ADMIN]: 2 };

/** Roles are ordered: an admin may do what an operator may, an operator what a viewer may. */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
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
