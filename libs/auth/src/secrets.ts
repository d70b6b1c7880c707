import { createHash, randomBytes } from 'node:crypto';

/** Recognisable prefix, so leaked tokens can be found by secret scanners. */
const PREFIX = 'vim_';

/** A new token secret: 256 random bits, URL-safe. Shown once, never stored. */
export function newTokenSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** What is stored and looked up instead of the secret. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Cheap shape check before touching the database. */
export function looksLikeTokenSecret(value: string): boolean {
  return /^vim_[A-Za-z0-9_-]{43}$/.test(value);
}
