import { HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '#vim/auth';
import { PROBLEM, ProblemException } from '../common/problem.js';
import type { AuthenticatedRequest } from './auth.decorators.js';
import { RateLimiter } from './rate-limiter.service.js';
import { TokenStore } from './token-store.service.js';

const unauthenticated = (detail: string) =>
  new ProblemException({ type: PROBLEM.unauthenticated, title: 'Unauthorized', status: HttpStatus.UNAUTHORIZED, detail });

/**
 * The one place a bearer token becomes a principal, and where it is counted against the rate
 * limit. Both the admission middleware (before a body is read) and the guard (for requests
 * without a body) come here; a request is admitted, and counted, once.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(
    private readonly tokens: TokenStore,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async admit(request: Request & AuthenticatedRequest): Promise<Principal> {
    if (request.principal) return request.principal;
    const secret = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!secret) throw unauthenticated('send Authorization: Bearer <token>');
    const principal = await this.tokens.authenticate(secret);
    if (!principal) throw unauthenticated('the token is unknown, expired or revoked');
    request.principal = principal;
    await this.rateLimiter.check(principal.tokenId);
    return principal;
  }
}
