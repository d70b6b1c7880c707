import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import type { Repository } from 'typeorm';
import { AuditEventEntity } from '#vim/persistence';
import type { AuthenticatedRequest } from '../auth/auth.decorators.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every mutating call once its answer is sent, whatever the outcome (refused ones
 * included: they are what an audit is for). It must be the first middleware (ApiModule applies
 * it so): a refusal raised by a middleware before it (a body too large, a token refused before
 * the body was read) would skip it and go unrecorded. The record never holds the body: it may
 * hold secrets.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  private readonly logger = new Logger('audit');

  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  use(req: Request & AuthenticatedRequest & { id?: unknown }, res: Response, next: NextFunction): void {
    if (MUTATING.has(req.method)) res.once('finish', () => void this.record(req, res.statusCode));
    next();
  }

  private async record(req: Request & AuthenticatedRequest & { id?: unknown }, status: number): Promise<void> {
    try {
      await this.events.insert({
        tenantId: req.principal?.tenantId ?? null,
        tokenId: req.principal?.tokenId ?? null,
        role: req.principal?.role ?? null,
        method: req.method,
        path: req.originalUrl.slice(0, 2048),
        status,
        requestId: typeof req.id === 'string' ? req.id.slice(0, 64) : null,
      });
    } catch (error) {
      this.logger.error(`audit record lost for ${req.method} ${req.originalUrl}: ${String(error)}`);
    }
  }
}
