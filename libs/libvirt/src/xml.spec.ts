import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { find, parseStrictXml, structure, textOf } from './testing/strict-xml.js';
import { el, escapeAttribute, escapeText, serialize, XmlBuildError } from './xml.js';

describe('escaping', () => {
  test('text', () => {
    expect(escapeText(`a & b < c > d ]]> "'`)).toBe(`a &amp; b &lt; c &gt; d ]]&gt; "'`);
    expect(escapeText('cr\r')).toBe('cr&#13;');
  });
  test('attributes', () => {
    expect(escapeAttribute(`a&<>"'\t\n\r`)).toBe('a&amp;&lt;&gt;&quot;&apos;&#9;&#10;&#13;');
  });
  test.each(['\u0000', '\u0008', '\u001b[31m', '\ufffe', '\uffff', 'x\ud800y', '\udc00'])('refuses %p, which XML 1.0 cannot carry', (s) => {
    expect(() => escapeText(s)).toThrow(XmlBuildError);
    expect(() => escapeAttribute(s)).toThrow(XmlBuildError);
  });
  test('astral characters pass', () => expect(escapeText('🔥')).toBe('🔥'));
});

describe('element tree', () => {
  test('serializes indented element content and inline text', () => {
    const xml = serialize(el('a', { x: 1, y: undefined }, el('b', {}, 'text'), undefined, false, el('c')));
    expect(xml).toBe('<a x="1">\n  <b>text</b>\n  <c/>\n</a>\n');
  });
  test.each(['', '1a', 'a b', 'a>b', 'a:b:c', 'x"'])('refuses the element name %p', (name) => {
    expect(() => el(name)).toThrow(XmlBuildError);
    expect(() => el('a', { [name]: 'v' })).toThrow(XmlBuildError);
  });
  test('refuses non-integer numbers', () => {
    expect(() => el('a', { n: 1.5 })).toThrow(XmlBuildError);
    expect(() => el('a', { n: NaN })).toThrow(XmlBuildError);
  });

  test('any string is serialized as data or refused: the structure never changes', () => {
    const expected = ['/r[v]', '/r/t[]', '/r/t2[w]'];
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (s, g) => {
        const value = s + g;
        let xml: string;
        try {
          xml = serialize(el('r', { v: value }, el('t', {}, value), el('t2', { w: value })));
        } catch (error) {
          expect(error).toBeInstanceOf(XmlBuildError);
          return;
        }
        const root = parseStrictXml(xml);
        expect(structure(root)).toEqual(expected);
        expect(root.attributes.v).toBe(value);
        expect(textOf(find(root, 't')[0])).toBe(value);
        expect(find(root, 't2')[0].attributes.w).toBe(value);
      }),
      { numRuns: 3000 },
    );
  });
});
