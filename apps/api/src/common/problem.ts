import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldProblem } from '#vim/descriptors';
import { PROBLEM, type ProblemDetails } from '#vim/problems';

// The API's code takes problems from here, next to ProblemException; the worker from libs/problems.
export { PROBLEM, type ProblemDetails };

/** Thrown from controllers and services to answer with a problem document. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }

  static validation(errors: FieldProblem[], detail = 'the request has problems; each is listed in errors'): ProblemException {
    return new ProblemException({ type: PROBLEM.validation, title: 'Invalid request', status: HttpStatus.BAD_REQUEST, detail, errors });
  }

  /** Well-formed, but it cannot be done as asked (a chain that cannot be steered); each reason in errors. */
  static unprocessable(errors: FieldProblem[], detail: string): ProblemException {
    return new ProblemException({ type: PROBLEM.chainRefused, title: 'Unprocessable request', status: HttpStatus.UNPROCESSABLE_ENTITY, detail, errors });
  }

  static notFound(what: string): ProblemException {
    return new ProblemException({ type: PROBLEM.notFound, title: 'Not found', status: HttpStatus.NOT_FOUND, detail: `${what} does not exist` });
  }

  static conflict(detail: string, extra: Record<string, unknown> = {}): ProblemException {
    return new ProblemException({ type: PROBLEM.conflict, title: 'Conflict', status: HttpStatus.CONFLICT, detail, ...extra });
  }

  /** A service behind the API (Redis, the queues) did not answer; worth asking again shortly. */
  static unavailable(detail: string, extra: Record<string, unknown> = {}): ProblemException {
    return new ProblemException({ type: PROBLEM.unavailable, title: 'Service Unavailable', status: HttpStatus.SERVICE_UNAVAILABLE, detail, retryAfter: 5, ...extra });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths are UUIDs; anything else names nothing, so callers answer 404 without a query. */
export const isUuid = (id: string): boolean => UUID.test(id);
