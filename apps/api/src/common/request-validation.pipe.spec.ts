import 'reflect-metadata';
import { describe, expect, test } from '@jest/globals';
import { IsString, Length } from 'class-validator';
import type { FieldProblem } from '#vim/descriptors';
import { documentProblems } from './body-checks.js';
import { ProblemException } from './problem.js';
import { RequestValidationPipe } from './request-validation.pipe.js';

class NameRequest {
  @IsString()
  @Length(1, 8)
  name: string;

  @IsString()
  note: string;
}

async function problems(value: unknown, metadata: Parameters<RequestValidationPipe['transform']>[1]): Promise<FieldProblem[] | 'accepted'> {
  try {
    await new RequestValidationPipe().transform(value, metadata);
    return 'accepted';
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.errors ?? [];
    throw error;
  }
}

describe('RequestValidationPipe', () => {
  test('a NUL in a body field is listed with the DTO problems, once per field', async () => {
    const found = await problems({ name: 'far too long\u0000', note: 'ok\u0000' }, { type: 'body', metatype: NameRequest });
    expect(found).toEqual([
      { path: '/name', message: expect.stringContaining('NUL') },
      { path: '/note', message: expect.stringContaining('NUL') },
    ]);
  });

  test('a NUL is refused even where the DTO would take the value', async () => {
    expect(await problems({ name: 'ok', note: 'a\u0000b' }, { type: 'body', metatype: NameRequest })).toEqual([{ path: '/note', message: expect.stringContaining('NUL') }]);
    expect(await problems({ name: 'ok', note: 'ab' }, { type: 'body', metatype: NameRequest })).toBe('accepted');
  });

  test('query parameters and path segments are named /query/<name> and /path/<name>', async () => {
    expect(await problems({ provider: '\u0000', product: 'p' }, { type: 'query' })).toEqual([{ path: '/query/provider', message: expect.any(String) }]);
    expect(await problems(['a', 'b\u0000'], { type: 'query', data: 'tag' })).toEqual([{ path: '/query/tag', message: expect.any(String) }]);
    expect(await problems('x\u0000', { type: 'param', data: 'id' })).toEqual([{ path: '/path/id', message: expect.any(String) }]);
    expect(await problems('x', { type: 'param', data: 'id' })).toBe('accepted');
  });
});

describe('documentProblems', () => {
  test('finds NULs in keys and nested strings, and reserved keys, each by pointer', () => {
    const document = JSON.parse('{"a":[{"b":"x\\u0000"}],"k\\u0000":1,"__proto__":{},"ok":"fine"}');
    expect(documentProblems(document, { nuls: true, reservedKeys: true }).map((p) => p.path).sort()).toEqual(['/__proto__', '/a/0/b', '/k\u0000']);
    expect(documentProblems(document, { reservedKeys: true }).map((p) => p.path)).toEqual(['/__proto__']);
    expect(documentProblems('\u0000', { nuls: true })).toEqual([{ path: '', message: expect.any(String) }]);
  });
});
