import type { Role } from '../api/types.js';

/** Each role may do what the roles below it may (README, "Who may do what"). */
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, 'platform-admin': 3 };

/** What the dashboard lets a role do (it manages no tokens, hosts or tenants). */
export type Action =
  | 'read'
  | 'change'; // descriptors, instances, lifecycle operations, chains

const NEEDS: Record<Action, Role> = {
  read: 'viewer',
  change: 'operator',
};

export const isRole = (value: unknown): value is Role => typeof value === 'string' && value in RANK;

/** Whether the role may do the action; an unknown role may only read. */
export function may(role: Role | string | undefined, action: Action): boolean {
  if (!isRole(role)) return action === 'read';
  return RANK[role] >= RANK[NEEDS[action]];
}

export const canChange = (role: Role | string | undefined): boolean => may(role, 'change');
