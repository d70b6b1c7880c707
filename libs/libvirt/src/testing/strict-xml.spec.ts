import { describe, expect, test } from '@jest/globals';
import { find, parseStrictXml, structure, textOf } from './strict-xml.js';

// The checker the hostile-input tests rely on must itself refuse what an injection would produce.
describe('strict XML test parser', () => {
  test('parses elements, attributes, text and references', () => {
    const root = parseStrictXml(`<?xml version="1.0"?>\n<a x="1 &amp; &quot;2&quot;" y='&#10;&#x9;'>t &lt;&gt; &#233;<b/><c z="q">u</c></a>\n`);
    expect(root.attributes).toEqual({ x: '1 & "2"', y: '\n\t' });
    expect(textOf(root)).toBe('t <> é');
    expect(find(root, 'c')[0].attributes.z).toBe('q');
    expect(structure(root)).toEqual(['/a[x,y]', '/a/b[]', '/a/c[z]']);
  });

  test('normalizes line ends and literal whitespace in attributes, as XML does', () => {
    const root = parseStrictXml('<a x="1\n2\t3">l1\r\nl2\rl3</a>');
    expect(root.attributes.x).toBe('1 2 3');
    expect(textOf(root)).toBe('l1\nl2\nl3');
  });

  test('namespaces must be declared', () => {
    expect(find(parseStrictXml('<a><v:i xmlns:v="urn:x"><v:j/></v:i></a>'), 'v:i', 'v:j')).toHaveLength(1);
    expect(() => parseStrictXml('<a><v:i/></a>')).toThrow(/undeclared namespace prefix/);
  });

  test.each([
    ['<!DOCTYPE a [<!ENTITY x "y">]><a/>', /expected '<'|expected a name/],
    ['<a>&xxe;</a>', /unknown entity/],
    ['<a>a & b</a>', /reference/],
    ['<a><![CDATA[x]]></a>', /CDATA/],
    ['<a><!-- c --></a>', /comment/],
    ['<a><?pi x?></a>', /PI/],
    ['<a>]]></a>', /]]>/],
    ['<a x="<"/>', /'<' in an attribute/],
    ['<a x="1" x="2"/>', /duplicate attribute/],
    ['<a x="1"y="2"/>', /whitespace before an attribute/],
    ['<a><b></a>', /closes/],
    ['<a/><b/>', /after the root/],
    ['<a>\u0001</a>', /non-XML character/],
    ['<a>&#0;</a>', /non-XML character/],
    ['<a>&#xD800;</a>', /non-XML character/],
    ['<a', /expected whitespace|unclosed|expected/],
  ])('refuses %p', (text, message) => {
    expect(() => parseStrictXml(text)).toThrow(message);
  });
});
