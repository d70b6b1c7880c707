/** One problem found in a submitted descriptor. */
export interface FieldProblem {
  /** RFC 6901 JSON pointer into the document as submitted, e.g. `/vnfd/vdu/0/virtual-compute-desc`. */
  path: string;
  message: string;
}

/** Escapes one reference token per RFC 6901: `~` becomes `~0`, `/` becomes `~1`. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds an RFC 6901 JSON pointer; no segments gives `''`, the whole document. */
export function pointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + escapePointerToken(s)).join('');
}
