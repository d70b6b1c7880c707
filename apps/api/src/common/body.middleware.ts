import { HttpStatus, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { parseDocument, pointer, type FieldProblem } from '../../../../libs/descriptors/src/index.js';
import { PROBLEM, ProblemException } from './problem.js';

export type RequestWithText = Request & { rawText?: string };

const JSON_TYPES = ['application/json', 'application/*+json'];
const DESCRIPTOR_UPLOAD = '/api/v1/vnfds';

/**
 * Reads every request body as text (so the descriptor API can keep the document exactly as
 * sent) and parses JSON bodies with the same parser as descriptors, so a syntax error anywhere
 * names its line and column. YAML and other types are left to the route that accepts them.
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
    // Only descriptor uploads are large; every other body is a few fields.
    const path = req.originalUrl.split('?')[0].replace(/\/+$/, '');
    const read = req.method === 'POST' && path === DESCRIPTOR_UPLOAD ? this.readDescriptor : this.readOther;
    read(req, res, (error?: unknown) => {
      if (error) return next(bodyReaderProblem(error));
      if (typeof req.body !== 'string') return next();
      req.rawText = req.body;
      req.body = undefined;
      if (req.is(JSON_TYPES)) {
        const parsed = parseDocument(req.rawText, 'json');
        if (!parsed.ok) return next(syntaxProblem(parsed.problem));
        const reserved = reservedKeys(parsed.document);
        if (reserved.length > 0) return next(ProblemException.validation(reserved));
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

/** The body reader's own errors (size, charset, aborted) carry a 4xx `status`. */
function bodyReaderProblem(error: unknown): unknown {
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number' || status >= 500) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
    const limit = (error as { limit?: unknown }).limit;
    return new ProblemException({ type: PROBLEM.tooLarge, title: 'Payload Too Large', status, detail: `${message}: the limit is ${String(limit)} bytes`, limit });
  }
  return new ProblemException({ type: PROBLEM.http, title: 'Bad Request', status, detail: message });
}

/**
 * Keys such as `__proto__` or `constructor` are dropped or misused by class-transformer;
 * refuse them by name instead of silently losing them. Iterative: bodies may nest deeply.
 */
function reservedKeys(document: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: { value: unknown; at: (string | number)[] }[] = [{ value: document, at: [] }];
  while (stack.length > 0) {
    const { value, at } = stack.pop() as { value: unknown; at: (string | number)[] };
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (!Array.isArray(value) && key in Object.prototype) {
        problems.push({ path: pointer([...at, key]), message: `property ${key} is not allowed (reserved name)` });
      }
      stack.push({ value: child, at: [...at, Array.isArray(value) ? Number(key) : key] });
    }
  }
  return problems;
}
