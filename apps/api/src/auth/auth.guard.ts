import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { defaultRoleFor, roleAllows } from '#vim/auth';
import type { Role } from '#vim/persistence';
import { PROBLEM, ProblemException } from '../common/problem.js';
import { type AuthenticatedRequest, PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators.js';
import { RequestAuthenticator } from './request-authenticator.service.js';

/** Every route needs `Authorization: Bearer <token>` and a role that allows it, unless @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    // Requests with a body were admitted before it was read; this admits the others.
    const principal = await this.authenticator.admit(request);
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
