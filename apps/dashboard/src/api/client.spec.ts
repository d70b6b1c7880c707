import { describe, expect, test } from '@jest/globals';
import { ApiError, withProblems } from './client.js';

describe('withProblems', () => {
  test('an ApiError keeps its status, title, detail, type and body, with only the problems given', () => {
    const error = new ApiError(422, 'Unprocessable', 'the chain is refused', [{ path: '/hops/1', message: 'no' }, { path: '', message: 'root' }], 'about:blank', { x: 1 });
    const shown = withProblems(error, [{ path: '', message: 'root' }]) as ApiError;
    expect(shown).toBeInstanceOf(ApiError);
    expect([shown.status, shown.title, shown.detail, shown.type, shown.body, shown.errors]).toEqual([422, 'Unprocessable', 'the chain is refused', 'about:blank', { x: 1 }, [{ path: '', message: 'root' }]]);
    expect(error.errors).toHaveLength(2);
  });
  test('anything else as it is', () => {
    const other = new Error('boom');
    expect(withProblems(other, [])).toBe(other);
    expect(withProblems(null, [])).toBeNull();
  });
});
