import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldProblem } from '../../../../libs/descriptors/src/index.js';

/** RFC 7807 problem details, plus `errors` naming each problem by JSON pointer. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/** Problem types are URNs: stable names that need no documentation server. */
export const PROBLEM = {
  validation: 'urn:vim:problem:validation',
  syntax: 'urn:vim:problem:syntax',
  notFound: 'urn:vim:problem:not-found',
  unauthenticated: 'urn:vim:problem:unauthenticated',
  forbidden: 'urn:vim:problem:forbidden',
  rateLimited: 'urn:vim:problem:rate-limited',
  noValidHost: 'urn:vim:problem:no-valid-host',
  conflict: 'urn:vim:problem:conflict',
  tooLarge: 'urn:vim:problem:payload-too-large',
  unsupportedMediaType: 'urn:vim:problem:unsupported-media-type',
  http: 'about:blank',
  internal: 'urn:vim:problem:internal',
  unavailable: 'urn:vim:problem:service-unavailable',
} as const;

/** Thrown from controllers and services to answer with a problem document. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }

  static validation(errors: FieldProblem[], detail = 'the request has problems; each is listed in errors'): ProblemException {
    return new ProblemException({ type: PROBLEM.validation, title: 'Invalid request', status: HttpStatus.BAD_REQUEST, detail, errors });
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
