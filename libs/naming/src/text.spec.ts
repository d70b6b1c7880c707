import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { NameRuleError, quote } from './result.js';
import { assertFreeText, checkExternalIdValue, checkFreeText } from './text.js';

describe('free text', () => {
  test.each([
    'Edge firewall (Paris) — tenant "acme"',
    '</title><devices><hostdev mode="subsystem"/>',
    "x' or '1'='1; rm -rf / $(id) `id` | && > <",
    ']]><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;',
    '日本語のファイアウォール 🔥',
  ])('accepts printable text %p', (text) => {
    expect(checkFreeText(text)).toEqual({ ok: true, value: text });
  });

  test.each([
    ['a\nb', /control character \(U\+000A\)/],
    ['a\u0000b', /U\+0000/],
    ['tab\there', /U\+0009/],
    ['del\u007f', /U\+007F/],
    ['c1\u0085', /U\+0085/],
    ['lone \ud800 surrogate', /unpaired surrogate/],
    ['non\uffffchar', /noncharacter/],
    ['evil\u202egnp.exe', /bidirectional/],
    ['line\u2028sep', /separator/],
    ['', /empty/],
  ])('refuses %p', (text, message) => {
    const result = checkFreeText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  test('length counts code points', () => {
    expect(checkFreeText('🔥'.repeat(255)).ok).toBe(true);
    expect(checkFreeText('a'.repeat(256)).ok).toBe(false);
    expect(checkFreeText('a'.repeat(1000), { maxLength: 1000 }).ok).toBe(true);
  });

  test('multi-line text allows TAB and LF but never CR', () => {
    expect(checkFreeText('a\n\tb', { multiline: true }).ok).toBe(true);
    expect(checkFreeText('a\r\nb', { multiline: true }).ok).toBe(false);
  });

  test('non-strings are refused, assert throws NameRuleError', () => {
    expect(checkFreeText(42).ok).toBe(false);
    expect(() => assertFreeText({})).toThrow(NameRuleError);
  });

  test('external_ids values may be empty, at most 255 characters', () => {
    expect(checkExternalIdValue('').ok).toBe(true);
    expect(checkExternalIdValue('v'.repeat(256)).ok).toBe(false);
    expect(checkExternalIdValue('a\nb').ok).toBe(false);
  });

  test('an accepted text is returned unchanged and holds only XML 1.0 characters', () => {
    const xmlChar = /^[\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => {
        const result = checkFreeText(s);
        if (result.ok) {
          expect(result.value).toBe(s);
          expect(s).toMatch(xmlChar);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('quote (values in error messages)', () => {
  test('never carries a raw control or bidi character, and truncates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
        expect(quote(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }),
    );
    expect(quote('a'.repeat(100))).toBe(`"${'a'.repeat(40)}…"`);
    expect(quote(12n)).toBe('12n');
    expect(quote([1])).toBe('an array');
  });
});
