import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { PROBLEM, ProblemException, type ProblemDetails } from './problem.js';

/** What a client is told of a fault of the server's: the details may name files, modules or queries. */
export const INTERNAL_DETAIL = 'the server failed to handle the request; its log has the details under this requestId';

/**
 * Every error leaves as application/problem+json. Anything that is not an HttpException is a
 * 500 whose details go to the log, not to the client: whatever status an error of a library
 * carries (http-errors' 400 around a module that failed to load), only the API's own
 * exceptions decide what the caller is told.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const problem = { ...this.toProblem(exception), instance: request.originalUrl, requestId: request.id };
    const { retryAfter } = problem as ProblemDetails;
    if (typeof retryAfter === 'number') response.setHeader('retry-after', String(retryAfter));
    if (problem.status >= 500) this.logger.error({ err: exception, requestId: request.id }, 'request failed');
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) return exception.problem;
    if (exception instanceof HttpException) return fromHttpException(exception);
    return { type: PROBLEM.internal, title: 'Internal Server Error', status: HttpStatus.INTERNAL_SERVER_ERROR, detail: INTERNAL_DETAIL };
  }
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const body = exception.getResponse();
  const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
  return {
    type: PROBLEM.http,
    title: exception.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
    status,
    detail: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message),
  };
}
