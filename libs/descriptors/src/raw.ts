/**
 * Small readers over the raw, submitted document (plain JSON values). They never throw and treat
 * anything of the wrong shape as absent, so semantic checks and normalisation stay defensive.
 * Internal to this library.
 */
export type Rec = Record<string, unknown>;

export function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object entries of a list, with their index in the submitted array. */
export function records(v: unknown): { item: Rec; index: number }[] {
  if (!Array.isArray(v)) return [];
  const out: { item: Rec; index: number }[] = [];
  v.forEach((item, index) => {
    if (isRecord(item)) out.push({ item, index });
  });
  return out;
}

/** A string-typed leaf; YAML may have read it as a number (`version: 1.0`, `id: 1`). */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** The entries of a leaf-list, with their index. */
export function texts(v: unknown): { value: string; index: number }[] {
  if (!Array.isArray(v)) return [];
  const out: { value: string; index: number }[] = [];
  v.forEach((item, index) => {
    const value = text(item);
    if (value !== undefined) out.push({ value, index });
  });
  return out;
}

/** A boolean leaf; OSM files sometimes quote them. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}
