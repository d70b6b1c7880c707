import { type Document, isMap, isPair, isSeq, parseDocument as parseYamlDocument, visit } from 'yaml';

export type DocumentFormat = 'json' | 'yaml';

/** Where and why a document could not be read. `line` and `column` are 1-based. */
export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
}

export type ParseResult = { ok: true; document: unknown } | { ok: false; problem: SyntaxProblem };

/**
 * Deepest nesting of objects and arrays accepted (the root object is level 1). Real descriptors
 * stay below 15; the bound keeps recursive consumers (validators, serialisers) safe.
 */
export const MAX_NESTING_DEPTH = 64;

const TOO_DEEP = `document is nested more than ${MAX_NESTING_DEPTH} levels deep`;

/** Upper bound on alias expansions in YAML ("billion laughs"); real descriptors use few or none. */
export const MAX_YAML_ALIAS_COUNT = 100;

/**
 * Reads a descriptor from text. Only syntax is checked here, plus what every caller needs: the
 * text holds exactly one document, it is not empty, objects and arrays nest at most
 * MAX_NESTING_DEPTH levels, and YAML aliases expand at most MAX_YAML_ALIAS_COUNT times. A leading
 * byte order mark is ignored. Whether the top-level value is an object is left to validation
 * (validateVnfdStructure reports it at the empty pointer). Never throws.
 */
export function parseDocument(text: string, format: DocumentFormat): ParseResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return format === 'json' ? parseJson(source) : parseYaml(source);
  } catch (e) {
    // Deeply nested input can exhaust the stack inside the parsers; never let that escape.
    const message = e instanceof RangeError ? 'document is nested too deeply to be read' : `document could not be read: ${String(e)}`;
    return { ok: false, problem: { message, line: 1, column: 1 } };
  }
}

function parseJson(text: string): ParseResult {
  if (text.trim() === '') return { ok: false, problem: { message: 'document is empty', line: 1, column: 1 } };
  try {
    const document: unknown = JSON.parse(text);
    if (nestingExceeds(document, MAX_NESTING_DEPTH)) {
      const { line, column } = lineColumnAt(text, jsonDepthOffset(text, MAX_NESTING_DEPTH));
      return { ok: false, problem: { message: TOO_DEEP, line, column } };
    }
    return { ok: true, document };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const { line, column } = jsonErrorLocation(text, raw);
    return { ok: false, problem: { message: cleanJsonMessage(raw), line, column } };
  }
}

/** Drops the position (reported separately) and the copy of the document V8 puts in some messages. */
function cleanJsonMessage(message: string): string {
  return message
    .replace(/,\s*"[\s\S]*" is not valid JSON$/, ' in JSON')
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s+at position \d+/, '')
    .trim();
}

function jsonErrorLocation(text: string, message: string): { line: number; column: number } {
  const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), column: Number(lineCol[2]) };
  const position = /at position (\d+)/.exec(message);
  if (position) return lineColumnAt(text, Number(position[1]));
  // Node 20 gives no position for "Unexpected token" and "Unexpected end": find it ourselves.
  const offset = findJsonErrorOffset(text);
  return lineColumnAt(text, offset < 0 ? text.length : offset);
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

/**
 * Offset of the first character that makes `text` invalid JSON (text.length when it ends too
 * early), or -1 when it is valid. Iterative, so deep nesting cannot overflow the stack.
 */
export function findJsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: string[] = [];
  let i = 0;
  let expect: 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'after' = 'value';
  const isWs = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

  const scanString = (): number => {
    i++; // opening quote
    while (i < n) {
      const c = text[i];
      if (c === '"') {
        i++;
        return -1;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === undefined) return n;
        if (e === 'u') {
          for (let k = 2; k < 6; k++) {
            if (i + k >= n) return n;
            if (!/[0-9a-fA-F]/.test(text[i + k])) return i + k;
          }
          i += 6;
        } else if ('"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return i + 1;
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) return i;
      i++;
    }
    return n;
  };

  const scanNumber = (): number => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return text[i] === '-' ? (i + 1 < n ? i + 1 : n) : i;
    i += m[0].length;
    return -1;
  };

  const scanLiteral = (word: string): number => {
    for (let k = 0; k < word.length; k++) {
      if (i + k >= n) return n;
      if (text[i + k] !== word[k]) return i + k;
    }
    i += word.length;
    return -1;
  };

  for (;;) {
    while (i < n && isWs(text[i])) i++;
    if (i >= n) return stack.length === 0 && expect === 'after' ? -1 : n;
    const c = text[i];
    let err = -1;
    switch (expect) {
      case 'value':
      case 'valueOrEnd':
        if (expect === 'valueOrEnd' && c === ']') {
          stack.pop();
          i++;
          expect = 'after';
        } else if (c === '{') {
          stack.push('{');
          i++;
          expect = 'keyOrEnd';
        } else if (c === '[') {
          stack.push('[');
          i++;
          expect = 'valueOrEnd';
        } else {
          if (c === '"') err = scanString();
          else if (c === '-' || (c >= '0' && c <= '9')) err = scanNumber();
          else if (c === 't') err = scanLiteral('true');
          else if (c === 'f') err = scanLiteral('false');
          else if (c === 'n') err = scanLiteral('null');
          else err = i;
          expect = 'after';
        }
        break;
      case 'key':
      case 'keyOrEnd':
        if (expect === 'keyOrEnd' && c === '}') {
          stack.pop();
          i++;
          expect = 'after';
          break;
        }
        if (c !== '"') return i;
        err = scanString();
        if (err >= 0) return err;
        while (i < n && isWs(text[i])) i++;
        if (i >= n) return n;
        if (text[i] !== ':') return i;
        i++;
        expect = 'value';
        break;
      case 'after': {
        if (stack.length === 0) return i;
        const top = stack[stack.length - 1];
        if (c === ',') {
          i++;
          expect = top === '{' ? 'key' : 'value';
        } else if (c === (top === '{' ? '}' : ']')) {
          stack.pop();
          i++;
        } else {
          return i;
        }
        break;
      }
    }
    if (err >= 0) return err;
  }
}

function parseYaml(text: string): ParseResult {
  const doc = parseYamlDocument(text, { prettyErrors: true, uniqueKeys: true, strict: true });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0] ?? lineColumnAtCol(text, error.pos?.[0] ?? 0);
    const message =
      error.code === 'MULTIPLE_DOCS'
        ? 'YAML stream holds more than one document; submit exactly one descriptor'
        : /call stack/i.test(error.message)
          ? 'document is nested too deeply to be read'
          : error.message.split('\n')[0].replace(/\s+at line \d+, column \d+:?$/, '');
    return { ok: false, problem: { message, line: at.line, column: at.col } };
  }
  let document: unknown;
  try {
    document = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError) {
      const message = `YAML aliases expand too far (more than ${MAX_YAML_ALIAS_COUNT} alias references); expand them in the document`;
      let offset = 0;
      visit(doc, {
        Alias(_key, node) {
          offset = node.range?.[0] ?? 0;
          return visit.BREAK;
        },
      });
      const { line, column } = lineColumnAt(text, offset);
      return { ok: false, problem: { message, line, column } };
    }
    throw e;
  }
  // No content, only comments, a bare `---`, or an explicit null.
  if (document === null || document === undefined) return { ok: false, problem: { message: 'document is empty', line: 1, column: 1 } };
  // Also catches cycles, which an alias to an enclosing node creates.
  if (nestingExceeds(document, MAX_NESTING_DEPTH)) {
    const { line, column } = lineColumnAt(text, yamlDepthOffset(doc, MAX_NESTING_DEPTH));
    return { ok: false, problem: { message: TOO_DEEP, line, column } };
  }
  return { ok: true, document };
}

/** Whether objects/arrays nest deeper than `max` (the root collection is level 1). Iterative. */
export function nestingExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Offset of the first `[` or `{` deeper than `max` in JSON text (0 when not found). */
function jsonDepthOffset(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if (c === ']' || c === '}') depth--;
  }
  return 0;
}

/** Offset of the first YAML collection deeper than `max` (0 when the depth came from aliases). */
function yamlDepthOffset(doc: Document, max: number): number {
  const stack: [unknown, number][] = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > max) return node.range?.[0] ?? 0;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) stack.push([item.key, depth + 1], [item.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return 0;
}

function lineColumnAtCol(text: string, offset: number): { line: number; col: number } {
  const { line, column } = lineColumnAt(text, offset);
  return { line, col: column };
}
