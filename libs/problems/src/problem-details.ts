import type { FieldProblem } from '#vim/descriptors';

/**
 * RFC 7807 problem details, plus `errors` naming each problem by JSON pointer. The API answers
 * with them; the worker keeps them in lcm_op_occs.error, which the API serves as they are.
 */
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
  notSupported: 'urn:vim:problem:not-supported',
  rollbackNotSupported: 'urn:vim:problem:rollback-not-supported',
  stepFailed: 'urn:vim:problem:lcm-step-failed',
  libvirt: 'urn:vim:problem:libvirt',
  guestNotRunning: 'urn:vim:problem:guest-not-running',
  ovsdb: 'urn:vim:problem:ovsdb',
  image: 'urn:vim:problem:image',
  cancelled: 'urn:vim:problem:lcm-cancelled',
  chainRefused: 'urn:vim:problem:chain-refused',
  traceFailed: 'urn:vim:problem:trace-failed',
} as const;
