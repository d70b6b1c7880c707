import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { decodeOrRaw } from './uri.js';

/** Where a JSON pointer lands in a descriptor's text (1-based line and column). */
export interface TextLocation {
  line: number;
  column: number;
  /** false when the pointer names something the text does not have (a missing key): the nearest existing ancestor. */
  exact: boolean;
}

/** RFC 6901 reference tokens of a pointer: `/a~1b/0` is ['a/b', '0']; '' is the root. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  const body = pointer.startsWith('#') ? decodeOrRaw(pointer.slice(1)) : pointer;
  if (!body.startsWith('/')) return [body];
  return body
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Range = [number, number, number] | null | undefined;
const startOf = (node: unknown): number | undefined => ((node as { range?: Range } | null)?.range ?? undefined)?.[0];

/**
 * The line and column of what a JSON pointer names in a YAML or JSON text (JSON is read as the
 * YAML it is): the key of a mapping member, the item of a sequence (its first character after
 * `- `), flow style included. A pointer into something the text lacks lands on the deepest
 * ancestor that exists, with exact false. Undefined when the text cannot be read at all.
 */
export function locatePointer(text: string, pointer: string): TextLocation | undefined {
  const parsed = parseText(text);
  return parsed && locateIn(parsed, text, pointer);
}

interface Parsed {
  doc: ReturnType<typeof parseDocument>;
  lineCounter: LineCounter;
}

function parseText(text: string): Parsed | undefined {
  const lineCounter = new LineCounter();
  try {
    return { doc: parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false, strict: false, prettyErrors: false }), lineCounter };
  } catch {
    return undefined;
  }
}

function locateIn({ doc, lineCounter }: Parsed, text: string, pointer: string): TextLocation {
  const tokens = pointerTokens(pointer);
  let node: unknown = doc.contents;
  // The root: the first line with content.
  let offset = startOf(node) ?? firstContent(text);
  let exact = true;
  for (const token of tokens) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === token);
      if (!pair) {
        exact = false;
        break;
      }
      offset = startOf(pair.key) ?? startOf(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : -1;
      const item = index >= 0 ? node.items[index] : undefined;
      if (item === undefined) {
        exact = false;
        break;
      }
      offset = startOf(item) ?? offset;
      node = item;
    } else {
      exact = false;
      break;
    }
  }
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col, exact };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return undefined;
  return String((key as YamlNode).toJSON?.() ?? key);
}

function firstContent(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index : 0;
}

/** Problems grouped by the line they land on; those that land nowhere under 0. */
export function problemsByLine(text: string, problems: { path: string; message: string }[]): Map<number, { path: string; message: string; exact: boolean }[]> {
  const byLine = new Map<number, { path: string; message: string; exact: boolean }[]>();
  // The text is parsed once for all the problems.
  const parsed = problems.length ? parseText(text) : undefined;
  for (const problem of problems) {
    const at = parsed && locateIn(parsed, text, problem.path);
    const line = at?.line ?? 0;
    const list = byLine.get(line) ?? [];
    list.push({ ...problem, exact: at?.exact ?? false });
    byLine.set(line, list);
  }
  return byLine;
}

/** Whether a text is JSON (its first character opens an object or array) or YAML. */
export const textFormat = (text: string): 'json' | 'yaml' => (/^\s*[{[]/.test(text) ? 'json' : 'yaml');
