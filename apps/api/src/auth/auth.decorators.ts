import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from '#vim/auth';
import type { Role } from '#vim/persistence';

export const PUBLIC_ROUTE = 'auth:public';
export const REQUIRED_ROLE = 'auth:role';

/** No token needed (health probes). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** A stricter role than the method's default (viewer to read, operator to change). */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

export type AuthenticatedRequest = { principal?: Principal };

/** The caller, as the guard resolved it. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<AuthenticatedRequest>().principal as Principal,
);

/** The tenant the request acts for: always the caller's own. */
export const TenantId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string => (context.switchToHttp().getRequest<AuthenticatedRequest>().principal as Principal).tenantId,
);
