import { asserting, fail, ok, quote, type RuleResult } from './result.js';

/**
 * Free text: names and labels users type (a VNF instance name, a VDU id from a descriptor).
 * It never becomes an identifier; it is only ever carried as escaped data (XML text or
 * attribute values, JSON strings). Any printable Unicode is fine, but some code points are
 * refused outright because no escaping can carry them faithfully or safely:
 *
 * - C0 controls (U+0000–U+001F) and DEL: XML 1.0 cannot represent most C0 controls at all,
 *   not even as character references, and TAB/LF/CR are normalised away in attribute values
 *   and break line-oriented consumers (logs, ovs-ofctl stdin, `virsh list --title`);
 * - C1 controls (U+0080–U+009F): legal in XML 1.0 but terminal-control and "discouraged";
 * - unpaired surrogates: not encodable as UTF-8, so libvirt/OVSDB would reject or mangle them;
 * - noncharacters (U+FDD0–U+FDEF and U+xFFFE/U+xFFFF): U+FFFE/U+FFFF are not XML characters;
 * - bidirectional overrides/isolates (U+202A–U+202E, U+2066–U+2069) and line/paragraph
 *   separators (U+2028/2029): they make a name display as something else in dashboards and logs.
 *
 * Multi-line text additionally allows TAB and LF (never CR, which XML normalises away).
 */
export interface FreeTextOptions {
  /** Maximum length in Unicode code points (default 255). */
  maxLength?: number;
  /** Allow an empty string (default false). */
  allowEmpty?: boolean;
  /** Allow TAB and LF (default false). */
  multiline?: boolean;
}

export const FREE_TEXT_MAX_LENGTH = 255;

function forbidden(cp: number, multiline: boolean): string | undefined {
  if (cp < 0x20) return multiline && (cp === 0x09 || cp === 0x0a) ? undefined : 'a control character';
  if (cp === 0x7f || (cp >= 0x80 && cp <= 0x9f)) return 'a control character';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'an unpaired surrogate';
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return 'a Unicode noncharacter';
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'a bidirectional override';
  if (cp === 0x2028 || cp === 0x2029) return 'a line or paragraph separator';
  return undefined;
}

export function checkFreeText(value: unknown, options: FreeTextOptions = {}): RuleResult<string> {
  const { maxLength = FREE_TEXT_MAX_LENGTH, allowEmpty = false, multiline = false } = options;
  if (typeof value !== 'string') return fail(`must be a string, got ${quote(value)}`);
  if (value.length === 0 && !allowEmpty) return fail('must not be empty');
  let length = 0;
  // for…of walks code points, so a lone surrogate shows up as itself and pairs are one character.
  for (const char of value) {
    const cp = char.codePointAt(0) as number;
    const why = forbidden(cp, multiline);
    if (why) return fail(`contains ${why} (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) at character ${length + 1}`);
    if (++length > maxLength) return fail(`is longer than ${maxLength} characters`);
  }
  return ok(value);
}

export const assertFreeText = asserting('free text', checkFreeText);

/** external_ids values: free text on one line, up to 255 characters, empty allowed (OVSDB allows it). */
export function checkExternalIdValue(value: unknown): RuleResult<string> {
  return checkFreeText(value, { maxLength: 255, allowEmpty: true });
}

export const assertExternalIdValue = asserting('external_ids value', checkExternalIdValue);

/** Checks a string against an anchored pattern, with a message that states the rule. */
export function matching(value: unknown, pattern: RegExp, rule: string): RuleResult<string> {
  if (typeof value !== 'string') return fail(`must be a string, got ${quote(value)}`);
  return pattern.test(value) ? ok(value) : fail(`${quote(value)} does not match ${rule}`);
}
