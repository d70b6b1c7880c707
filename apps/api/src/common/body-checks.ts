import { pointer, type FieldProblem } from '#vim/descriptors';

const NUL = '\u0000';

/**
 * What no stored string may hold, wherever it came from: Postgres refuses U+0000 in text and
 * jsonb (a 500 if it got that far). Keys are checked too: maps such as `physnets` are stored.
 */
export function nulProblem(path: string): FieldProblem {
  return { path, message: 'must not contain NUL (U+0000) characters' };
}

/**
 * One walk of a parsed document: keys such as `__proto__` or `constructor` (dropped or misused
 * by class-transformer; refused by name instead of silently lost) and NUL characters in any key
 * or string. Iterative: bodies may nest deeply.
 */
export function documentProblems(document: unknown, { reservedKeys = false, nuls = false } = {}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (nuls && typeof document === 'string' && document.includes(NUL)) problems.push(nulProblem(''));
  const stack: { value: unknown; at: (string | number)[] }[] = [{ value: document, at: [] }];
  while (stack.length > 0) {
    const { value, at } = stack.pop() as { value: unknown; at: (string | number)[] };
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      const here = [...at, Array.isArray(value) ? Number(key) : key];
      if (!Array.isArray(value) && reservedKeys && key in Object.prototype) {
        problems.push({ path: pointer(here), message: `property ${key} is not allowed (reserved name)` });
      }
      if (nuls && (key.includes(NUL) || (typeof child === 'string' && child.includes(NUL)))) problems.push(nulProblem(pointer(here)));
      stack.push({ value: child, at: here });
    }
  }
  return problems;
}

/** The root's problem when a JSON body is not an object, which every route with a JSON body takes. */
export function notAnObjectProblem(body: unknown): FieldProblem | undefined {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return undefined;
  return { path: '', message: `the body must be a JSON object, not ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}` };
}
