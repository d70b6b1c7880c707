import fc from 'fast-check';

/**
 * Pieces of hostile input: XML markup and entities, XXE, shell metacharacters, ovs-ofctl flow
 * syntax, line breaks, NUL and other controls, bidi overrides, lone surrogates, noncharacters.
 */
export const HOSTILE_FRAGMENTS = [
  '<', '>', '&', '"', "'", ']]>', '<![CDATA[', '<!--', '-->', '&amp;', '&#0;', '&xxe;', '&lt;',
  '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '</title>', '</description><devices><hostdev mode="subsystem" type="pci">', "<vim:vdu id='x'/>",
  '; rm -rf /', '$(id)', '`id`', '|', '&&', '>', '<', '*', '~', '\\',
  'actions=drop', ',', '#', 'cookie=0x1/-1', ':', '=', '/', '..', ' ', '-', '--', '-O', '--bundle',
  '\n', '\r\n', '\r', '\t', '\u0000', '\u0001', '\u001b[2J', '\u007f', '\u0085', '\u2028', '\u202e', '\ud800', '\udfff', '\uffff', '\ufffe',
  '🔥', 'é', 'ß', '日本', 'vim-', 'br-int', 'vhu0', '0000:03:10.1', '52:54:00:00:00:01',
];

/** Hostile strings: composed fragments, raw arbitrary UTF-16 (including lone surrogates), graphemes, and very long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 200, maxLength: 5000 }) },
);
