import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanConsoleLine, readConsoleTail } from './console-log.js';

describe('readConsoleTail', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vim-console-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a missing file is an empty tail, not an error', async () => {
    expect(await readConsoleTail(file('missing.log'), 100)).toEqual({ lines: [], truncated: false, sizeBytes: 0 });
  });

  test('the last lines of a small file, CRLF consoles included', async () => {
    await writeFile(file('small.log'), 'one\r\ntwo\r\nthree\r\n');
    expect(await readConsoleTail(file('small.log'), 2)).toEqual({ lines: ['two', 'three'], truncated: true, sizeBytes: 17 });
    expect(await readConsoleTail(file('small.log'), 10)).toEqual({ lines: ['one', 'two', 'three'], truncated: false, sizeBytes: 17 });
    expect((await readConsoleTail(file('small.log'), 0)).lines).toEqual([]);
  });

  test('an unfinished last line is kept', async () => {
    await writeFile(file('partial.log'), 'done\nConfiguring (net0)....');
    expect((await readConsoleTail(file('partial.log'), 5)).lines).toEqual(['done', 'Configuring (net0)....']);
  });

  test('reads only the last bytes: the line the bound cuts is left out, and the tail says it is truncated', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, '0')}`);
    await writeFile(file('big.log'), lines.join('\n') + '\n');
    const tail = await readConsoleTail(file('big.log'), 2000, 100);
    expect(tail.truncated).toBe(true);
    expect(tail.sizeBytes).toBe(10_000);
    expect(tail.lines.length).toBeLessThanOrEqual(10);
    expect(tail.lines.at(-1)).toBe('line 0999');
    expect(tail.lines.every((l) => /^line \d{4}$/.test(l))).toBe(true);
  });

  test('escape sequences and control characters are removed, TAB kept', async () => {
    await writeFile(file('ctl.log'), '\x1bcSeaBIOS\x1b[2J\x1b[1;1H (version)\nPress Ctrl-B\b \b\b \bnet0:\tup\x00\x07\x9b\n');
    expect((await readConsoleTail(file('ctl.log'), 5)).lines).toEqual(['SeaBIOS (version)', 'Press Ctrl-B  net0:\tup']);
  });

  test('a path outside the naming rules is refused', async () => {
    await expect(readConsoleTail('relative/console.log', 5)).rejects.toThrow();
  });
});

describe('cleanConsoleLine', () => {
  test.each([
    ['plain', 'plain'],
    ['\x1b[0;37;40mcolour\x1b[0m', 'colour'],
    ['a\x1b', 'a'],
    ['\u202etext', '\u202etext'],
  ])('%j', (input, output) => {
    expect(cleanConsoleLine(input)).toBe(output);
  });
});
