import { HttpStatus, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { parseDocument } from '../../../../libs/descriptors/src/index.js';
import { PROBLEM, ProblemException } from './problem.js';

export type RequestWithText = Request & { rawText?: string };

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Reads every request body as text (so the descriptor API can keep the document exactly as
 * sent) and parses JSON bodies with the same parser as descriptors, so a syntax error anywhere
 * names its line and column. YAML and other types are left to the route that accepts them.
 */
@Injectable()
export class BodyMiddleware implements NestMiddleware {
  private readonly readText: express.RequestHandler;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.readText = express.text({ type: () => true, limit: config.VNFD_MAX_BYTES });
  }

  use(req: RequestWithText, res: Response, next: NextFunction): void {
    this.readText(req, res, (error?: unknown) => {
      if (error) return next(bodyReaderProblem(error));
      if (typeof req.body !== 'string') return next();
      req.rawText = req.body;
      req.body = undefined;
      if (req.is(JSON_TYPES)) {
        const parsed = parseDocument(req.rawText, 'json');
        if (!parsed.ok) return next(syntaxProblem(parsed.problem));
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
    return new ProblemException({ type: PROBLEM.tooLarge, title: 'Payload Too Large', status, detail: `${message} (the limit is VNFD_MAX_BYTES)` });
  }
  return new ProblemException({ type: PROBLEM.http, title: 'Bad Request', status, detail: message });
}
