import { describe, expect, test } from '@jest/globals';
import { findJsonErrorOffset, lineColumnAt, MAX_NESTING_DEPTH, parseDocument } from './parse.js';

function failure(text: string, format: 'json' | 'yaml') {
  const result = parseDocument(text, format);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return result.problem;
}

describe('parseDocument: JSON', () => {
  test('parses a document', () => {
    expect(parseDocument('{"vnfd": {"id": "a"}}', 'json')).toEqual({ ok: true, document: { vnfd: { id: 'a' } } });
  });

  test('reports line and column of a trailing comma', () => {
    const p = failure('{\n  "vnfd": {\n    "id": "a",\n  }\n}', 'json');
    expect(p).toMatchObject({ line: 4, column: 3 });
    expect(p.message).not.toMatch(/position/);
  });

  test('reports a doubled comma where it is (the second comma: offset 28, column 15)', () => {
    expect(failure('{\n  "vnfd": {\n    "id": "x",,\n  }\n}', 'json')).toMatchObject({ line: 3, column: 15 });
  });

  test('locates errors the JSON.parse message gives no position for', () => {
    const p = failure('{\n  "a":\n   tru}', 'json');
    expect(p).toMatchObject({ line: 3, column: 7 });
    expect(p.message).not.toContain('tru}'); // the copy of the document is dropped
  });

  test('reports an unexpected end at the end of the text', () => {
    expect(failure('{\n  "a": [1, 2', 'json')).toMatchObject({ line: 2, column: 13 });
  });

  test('reports a missing colon', () => {
    expect(failure('{"a" 1}', 'json')).toMatchObject({ line: 1, column: 6 });
  });

  test('reports an empty document', () => {
    expect(failure('  \n ', 'json')).toEqual({ message: 'document is empty', line: 1, column: 1 });
  });

  test('ignores a byte order mark', () => {
    expect(parseDocument('\uFEFF{"a": 1}', 'json')).toEqual({ ok: true, document: { a: 1 } });
  });

  test('keeps __proto__ as a plain key', () => {
    const r = parseDocument('{"__proto__": {"polluted": true}}', 'json');
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseDocument: nesting', () => {
  const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  test('accepts nesting up to the limit', () => {
    expect(parseDocument(nested(MAX_NESTING_DEPTH), 'json').ok).toBe(true);
    expect(parseDocument(nested(MAX_NESTING_DEPTH), 'yaml').ok).toBe(true);
  });

  test('rejects deeper nesting where it starts, in JSON and YAML', () => {
    const text = '{"a":\n' + nested(MAX_NESTING_DEPTH) + '}';
    expect(failure(text, 'json')).toEqual({ message: `document is nested more than ${MAX_NESTING_DEPTH} levels deep`, line: 2, column: MAX_NESTING_DEPTH });
    expect(failure(text, 'yaml')).toMatchObject({ line: 2, column: MAX_NESTING_DEPTH });
  });

  test('rejects absurd nesting without overflowing the stack', () => {
    expect(failure(nested(200_000), 'json').message).toMatch(/nested/);
    expect(failure(nested(20_000), 'yaml').message).toMatch(/nested/);
  });

  test('rejects a YAML alias to an enclosing node (a cycle)', () => {
    expect(failure('a: &x\n  b: *x\n', 'yaml').message).toMatch(/nested/);
  });
});

describe('findJsonErrorOffset', () => {
  test.each([
    '{"a": 1,}',
    '{"a" 1}',
    '[1, 2',
    '{"a": tru}',
    '{"a": "b\\x"}',
    '{"a": -}',
    '[1 2]',
    '{"a":1}x',
    '{"a": "\u0001"}',
    '[01]',
    '{,}',
  ])('agrees with JSON.parse on %p', (text) => {
    let position: number | undefined;
    try {
      JSON.parse(text);
    } catch (e) {
      const m = /at position (\d+)/.exec((e as Error).message);
      position = m ? Number(m[1]) : undefined;
    }
    const offset = findJsonErrorOffset(text);
    expect(offset).toBeGreaterThanOrEqual(0);
    if (position !== undefined) expect(offset).toBe(position);
  });

  test('accepts valid JSON', () => {
    expect(findJsonErrorOffset(' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}} ')).toBe(-1);
  });

  test('handles deep nesting without recursion', () => {
    expect(findJsonErrorOffset('['.repeat(100_000))).toBe(100_000);
  });
});

describe('lineColumnAt', () => {
  test('is 1-based', () => {
    expect(lineColumnAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('parseDocument: YAML', () => {
  test('parses a document, keeping numbers as written', () => {
    const r = parseDocument('vnfd:\n  id: a\n  version: "1.0"\n  size: 1.0\n', 'yaml');
    expect(r).toEqual({ ok: true, document: { vnfd: { id: 'a', version: '1.0', size: 1 } } });
  });

  test('reports line and column of a syntax error', () => {
    const p = failure('vnfd:\n  id: a\n  vdu: [1,\n', 'yaml');
    expect(p.line).toBeGreaterThanOrEqual(3);
    expect(p.message).not.toMatch(/at line/);
  });

  test('reports bad indentation where it is', () => {
    expect(failure('vnfd:\n  vdu:\n    - a\n   id: x\n', 'yaml')).toMatchObject({ line: 4, column: 1 });
  });

  test('rejects duplicate keys', () => {
    expect(failure('vnfd:\n  id: a\n  id: b\n', 'yaml')).toMatchObject({ line: 3, column: 3 });
  });

  test('rejects more than one document', () => {
    const p = failure('vnfd: {id: a}\n---\nvnfd: {id: b}\n', 'yaml');
    expect(p.message).toMatch(/more than one document/);
    expect(p.line).toBe(2);
  });

  test('rejects alias bombs', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const p = failure(lines.join('\n') + '\n', 'yaml');
    expect(p.message).toMatch(/alias/);
    expect(p.line).toBe(2);
  });

  test('accepts a few aliases', () => {
    expect(parseDocument('a: &x {k: 1}\nb: *x\n', 'yaml')).toEqual({ ok: true, document: { a: { k: 1 }, b: { k: 1 } } });
  });

  test.each(['', '# only a comment\n', '---\n'])('reports an empty document: %p', (text) => {
    expect(failure(text, 'yaml')).toEqual({ message: 'document is empty', line: 1, column: 1 });
  });

  test('leaves a non-object top level to validation', () => {
    expect(parseDocument('- a\n- b\n', 'yaml')).toEqual({ ok: true, document: ['a', 'b'] });
  });
});
