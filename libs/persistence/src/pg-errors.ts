import { QueryFailedError } from 'typeorm';

/** The Postgres error codes the code reacts to (SQLSTATE, Appendix A of the Postgres manual). */
export const PG = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
} as const;

/** The driver's error when a query failed with this SQLSTATE, else undefined. */
export function pgError(error: unknown, code: string): { code: string; detail?: string } | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; detail?: string };
  return driverError.code === code ? (driverError as { code: string; detail?: string }) : undefined;
}
