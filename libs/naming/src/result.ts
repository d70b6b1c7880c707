/**
 * Results, errors and the problem collector shared by every rule. Rules take `unknown` so they
 * hold at runtime too (values arrive from JSON, the database and queue payloads, not only from
 * type-checked code), and they never throw: callers decide whether a bad value is a 4xx, a
 * failed job, or a bug.
 */
export type RuleResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** A value broke one naming rule; `rule` names it (e.g. `bridge name`), `message` says why. */
export class NameRuleError extends Error {
  override readonly name = 'NameRuleError';

  constructor(
    readonly rule: string,
    readonly reason: string,
  ) {
    super(`invalid ${rule}: ${reason}`);
  }
}

/** One problem in a structured input (a domain spec, a port spec), with an RFC 6901 pointer. */
export interface SpecProblem {
  path: string;
  message: string;
}

/** A builder refused its input; `problems` lists every problem found, not only the first. */
export class InvalidSpecError extends Error {
  override readonly name = 'InvalidSpecError';

  constructor(
    readonly what: string,
    readonly problems: readonly SpecProblem[],
  ) {
    super(`invalid ${what}: ${problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ')}`);
  }
}

export const ok = <T>(value: T): RuleResult<T> => ({ ok: true, value });
export const fail = <T = never>(message: string): RuleResult<T> => ({ ok: false, message });

/** Unwraps a result or throws a NameRuleError naming the rule. */
export function unwrap<T>(rule: string, result: RuleResult<T>): T {
  if (!result.ok) throw new NameRuleError(rule, result.message);
  return result.value;
}

/** Makes the `assert…` variant of a `check…` rule. */
export function asserting<A extends unknown[], T>(rule: string, check: (...args: A) => RuleResult<T>): (...args: A) => T {
  return (...args: A) => unwrap(rule, check(...args));
}

/** Characters that could forge log lines or reorder displayed text; shown as \u escapes. */
const UNSAFE_FOR_DISPLAY = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A short, single-line, quoted rendering of a rejected value for messages: error texts end up
 * in logs and problem details, so they must never carry a raw newline or control character.
 */
export function quote(value: unknown, max = 40): string {
  if (typeof value !== 'string') {
    if (typeof value === 'bigint') return `${value}n`;
    if (value === undefined) return 'undefined';
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
    return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  }
  const chars = [...value];
  const shown = chars.length > max ? chars.slice(0, max).join('') + '…' : value;
  return JSON.stringify(shown).replace(UNSAFE_FOR_DISPLAY, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Escapes one RFC 6901 reference token. */
const token = (segment: string | number): string => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Collects problems while a builder walks its input, so one call reports all of them.
 * `take` records a failed rule at a path and returns the value (or undefined) for further checks.
 */
export class Problems {
  readonly list: SpecProblem[] = [];

  add(path: readonly (string | number)[], message: string): void {
    this.list.push({ path: path.map((s) => '/' + token(s)).join(''), message });
  }

  take<T>(path: readonly (string | number)[], result: RuleResult<T>): T | undefined {
    if (result.ok) return result.value;
    this.add(path, result.message);
    return undefined;
  }

  throwIfAny(what: string): void {
    if (this.list.length > 0) throw new InvalidSpecError(what, this.list);
  }
}
