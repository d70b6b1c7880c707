import { describe, expect, jest, test } from '@jest/globals';
import { deadline } from './deadline.js';

describe('deadline', () => {
  test('passes the outcome through and leaves no timer behind', async () => {
    jest.useFakeTimers();
    try {
      await expect(deadline(Promise.resolve(7), 1000, 'late')).resolves.toBe(7);
      await expect(deadline(Promise.reject(new Error('refused')), 1000, 'late')).rejects.toThrow('refused');
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test('rejects with the message when the work hangs', async () => {
    await expect(deadline(new Promise(() => undefined), 10, 'Redis did not answer')).rejects.toThrow('Redis did not answer');
  });
});
