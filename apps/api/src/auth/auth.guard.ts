import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { defaultRoleFor, roleAllows } from '../../../../libs/auth/src/index.js';
import type { Role } from '../../../../libs/persistence/src/index.js';
import { PROBLEM, ProblemException } from '../common/problem.js';
import { type AuthenticatedRequest, PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators.js';
import { RateLimiter } from './rate-limiter.service.js';
import { TokenStore } from './token-store.service.js';

const unauthenticated = (detail: string) =>
  new ProblemException({ type: PROBLEM.unauthenticated, title: 'Unauthorized', status: HttpStatus.UNAUTHORIZED, detail });

/** Every route needs `Authorization: Bearer <token>` and a role that allows it, unless @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenStore,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const secret = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!secret) throw unauthenticated('send Authorization: Bearer <token>');
    const principal = await this.tokens.authenticate(secret);
    if (!principal) throw unauthenticated('the token is unknown, expired or revoked');
    request.principal = principal;
    await this.rateLimiter.check(principal.tokenId);
    const needed = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? defaultRoleFor(request.method);
    if (!roleAllows(principal.role, needed)) {
      throw new ProblemException({
        type: PROBLEM.forbidden,
        title: 'Forbidden',
        status: HttpStatus.FORBIDDEN,
        detail: `this needs the ${needed} role; the token has ${principal.role}`,
      });
    }
    return true;
  }
}
