import { open } from 'node:fs/promises';
import { assertHostPath } from '#vim/naming';

/**
 * The end of a VM's serial console log (`<serial><log file=…>`, written by virtlogd). The file is
 * the guest's output, so it is read as untrusted bytes: only its last `maxBytes` are read, whatever
 * its size, and control characters other than TAB (terminal escapes, BIOS cursor moves, NULs) are
 * taken out of each line.
 */
export interface ConsoleTail {
  /** The last lines, oldest first; a partial first line (cut by the byte bound) is left out. */
  lines: string[];
  /** True when the file holds more than the lines returned. */
  truncated: boolean;
  /** The file's size; 0 when it does not exist (the guest has not started yet, or it was removed). */
  sizeBytes: number;
}

/** Enough for 2000 lines of a 80-column console and then some; never the whole of a 2 MiB log. */
export const CONSOLE_TAIL_MAX_BYTES = 256 * 1024;

// C0 and C1 controls and DEL, except TAB; CR goes too (consoles end lines with CRLF).
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
// ANSI escape sequences (SeaBIOS and iPXE clear the screen and move the cursor), then lone ESCs.
const ESCAPE = /\u001b(\[[0-9;?]*[ -/]*[@-~]|[@-_]|c)/g;

/** One console line as text an operator can read: escape sequences and control characters removed. */
export function cleanConsoleLine(line: string): string {
  return line.replace(ESCAPE, '').replace(CONTROL, '');
}

/** The bytes from `start` to the end, lines split; a split first line is dropped unless the read began at 0. */
export function splitTail(bytes: Buffer, startsAtFileStart: boolean): string[] {
  const text = bytes.toString('utf8');
  const lines = text.split('\n');
  if (!startsAtFileStart) lines.shift();
  if (lines.at(-1) === '') lines.pop();
  return lines.map(cleanConsoleLine);
}

/** The last `lines` lines of the console log at `path`, reading at most `maxBytes` from its end. */
export async function readConsoleTail(path: string, lines: number, maxBytes = CONSOLE_TAIL_MAX_BYTES): Promise<ConsoleTail> {
  let file;
  try {
    file = await open(assertHostPath(path), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], truncated: false, sizeBytes: 0 };
    throw error;
  }
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
    const all = splitTail(buffer.subarray(0, bytesRead), start === 0);
    const kept = lines > 0 ? all.slice(-lines) : [];
    return { lines: kept, truncated: start > 0 || kept.length < all.length, sizeBytes: size };
  } finally {
    await file.close();
  }
}
