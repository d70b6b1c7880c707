/** A plain decimal number, optionally signed, with optional fraction and exponent. No hex, no `Infinity`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads a number the way OSM descriptors write them: either a number or a numeric string
 * ("2", "2.0", " 10 "). Returns undefined for anything else, including "", "abc", booleans
 * and values that are not finite ("1e999", NaN, Infinity).
 */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!DECIMAL.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Like toNumber, but only whole numbers ("2.0" counts as 2). */
export function toInteger(v: unknown): number | undefined {
  const n = toNumber(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}
