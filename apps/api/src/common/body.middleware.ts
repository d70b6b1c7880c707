import { HttpStatus, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppConfig } from '#vim/config';
import { parseDocument } from '#vim/descriptors';
import { BODYLESS_METHODS } from '../auth/admission.middleware.js';
import { documentProblems, notAnObjectProblem } from './body-checks.js';
import { PROBLEM, ProblemException } from './problem.js';

export type RequestWithText = Request & { rawText?: string };

/** The one JSON media type the API reads (any charset the reader can decode). */
export const JSON_MEDIA_TYPE = 'application/json';
const DESCRIPTOR_UPLOAD = '/api/v1/vnfds';

/** The media type of a Content-Type header, lower case and without parameters ('' when none). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Reads request bodies as text (so the descriptor API can keep the document exactly as sent)
 * and parses JSON bodies with the same parser as descriptors, so a syntax error anywhere names
 * its line and column. YAML and other types are left to the route: a JSON route refuses them
 * (BodyContractInterceptor), the descriptor upload reads YAML. Runs after AdmissionMiddleware:
 * only an admitted caller's body is read. GET, HEAD and OPTIONS bodies are never read.
 */
@Injectable()
export class BodyMiddleware implements NestMiddleware {
  private readonly readDescriptor: express.RequestHandler;
  private readonly readOther: express.RequestHandler;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.readDescriptor = express.text({ type: () => true, limit: config.VNFD_MAX_BYTES });
    this.readOther = express.text({ type: () => true, limit: config.API_MAX_BODY_BYTES });
  }

  use(req: RequestWithText, res: Response, next: NextFunction): void {
    if (BODYLESS_METHODS.has(req.method)) return next();
    // Only descriptor uploads are large; every other body is a few fields.
    const path = req.originalUrl.split('?')[0].replace(/\/+$/, '');
    const read = req.method === 'POST' && path === DESCRIPTOR_UPLOAD ? this.readDescriptor : this.readOther;
    read(req, res, (error?: unknown) => {
      if (error) return next(bodyReaderProblem(error));
      if (typeof req.body !== 'string') return next();
      req.rawText = req.body;
      req.body = undefined;
      if (mediaTypeOf(req.headers['content-type']) === JSON_MEDIA_TYPE && req.rawText.length > 0) {
        const parsed = parseDocument(req.rawText, 'json');
        if (!parsed.ok) return next(syntaxProblem(parsed.problem));
        const problems = documentProblems(parsed.document, { reservedKeys: true });
        // Refused here already: the reply also names the root when it is not the object every JSON route takes.
        const root = notAnObjectProblem(parsed.document);
        if (problems.length > 0) return next(ProblemException.validation(root ? [root, ...problems] : problems));
        req.body = parsed.document;
      }
      next();
    });
  }
}

export function syntaxProblem(problem: { message: string; line: number; column: number }): ProblemException {
  return new ProblemException({
    type: PROBLEM.syntax,
    title: 'Malformed document',
    status: HttpStatus.BAD_REQUEST,
    detail: `${problem.message} (line ${problem.line}, column ${problem.column})`,
    line: problem.line,
    column: problem.column,
  });
}

/**
 * The body reader's errors that the caller caused, by the `type` the reader gives them. Any
 * other error, even one the reader labels 400 (it wraps whatever it did not expect, such as a
 * module it could not load, as a 400), is the server's: it goes on as it is, to become a 500.
 */
const CALLER_ERRORS: Record<string, { type: string; title: string }> = {
  'entity.too.large': { type: PROBLEM.tooLarge, title: 'Payload Too Large' },
  'request.aborted': { type: PROBLEM.http, title: 'Bad Request' },
  'request.size.invalid': { type: PROBLEM.http, title: 'Bad Request' },
  'charset.unsupported': { type: PROBLEM.unsupportedMediaType, title: 'Unsupported Media Type' },
  'encoding.unsupported': { type: PROBLEM.unsupportedMediaType, title: 'Unsupported Media Type' },
};

function bodyReaderProblem(error: unknown): unknown {
  const { status, type, limit } = error as { status?: unknown; type?: unknown; limit?: unknown };
  const known = typeof type === 'string' ? CALLER_ERRORS[type] : undefined;
  if (!known || typeof status !== 'number' || status >= 500) return serverFault(error);
  const message = error instanceof Error ? error.message : String(error);
  const detail = status === HttpStatus.PAYLOAD_TOO_LARGE ? `${message}: the limit is ${String(limit)} bytes` : message;
  return new ProblemException({ ...known, status, detail, ...(status === HttpStatus.PAYLOAD_TOO_LARGE && { limit }) });
}

/** Strips http-errors' status, so that nothing downstream mistakes the fault for the caller's. */
function serverFault(error: unknown): Error {
  return new Error('the body reader failed', { cause: error });
}
