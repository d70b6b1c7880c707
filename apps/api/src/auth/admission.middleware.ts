import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from './auth.decorators.js';
import { RequestAuthenticator } from './request-authenticator.service.js';

/** Methods whose bodies the API never reads; they are authenticated by the guard instead. */
export const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates and rate-limits every request that may carry a body before a byte of it is
 * read: the body reader must never work for an anonymous or throttled caller. No public route
 * takes a body (the public ones are GET probes and the OpenAPI pages), so none is refused here
 * that the guard would have let through.
 */
@Injectable()
export class AdmissionMiddleware implements NestMiddleware {
  constructor(private readonly authenticator: RequestAuthenticator) {}

  use(req: Request & AuthenticatedRequest, _res: Response, next: NextFunction): void {
    if (BODYLESS_METHODS.has(req.method)) return next();
    this.authenticator.admit(req).then(() => next(), next);
  }
}
