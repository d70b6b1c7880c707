/**
 * A deliberately small and strict XML 1.0 parser for tests: it accepts exactly the subset our
 * serializer writes (elements, attributes, text, the five predefined entities and character
 * references, an optional `<?xml?>` declaration) and rejects everything else that could carry
 * injected markup (DOCTYPE, entity declarations, comments, processing instructions, CDATA,
 * unknown entities, undeclared namespace prefixes). It applies XML's end-of-line and
 * attribute-value normalization, so a value that was not escaped properly decodes differently.
 */

export interface ParsedElement {
  name: string;
  attributes: Record<string, string>;
  children: (ParsedElement | string)[];
}

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

const NAME = /[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?/y;
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  fail(message: string): never {
    throw new XmlSyntaxError(`${message} at offset ${this.i}: ${JSON.stringify(this.s.slice(this.i, this.i + 30))}`);
  }

  private skipSpace(): void {
    while (this.i < this.s.length && ' \t\n'.includes(this.s[this.i])) this.i++;
  }

  private name(): string {
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.s);
    if (!m) this.fail('expected a name');
    this.i += m[0].length;
    return m[0];
  }

  private reference(): string {
    const end = this.s.indexOf(';', this.i);
    if (end < 0 || end - this.i > 12) this.fail("'&' that does not start a reference");
    const body = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    if (body in ENTITIES) return ENTITIES[body];
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (!m) this.fail(`unknown entity '&${body};'`);
    const cp = m[1] ? parseInt(m[1], 16) : parseInt(m[2], 10);
    if (cp > 0x10ffff) this.fail('character reference out of range');
    const char = String.fromCodePoint(cp);
    if (NOT_XML_CHAR.test(char)) this.fail(`character reference to a non-XML character ${cp}`);
    return char;
  }

  private attributeValue(): string {
    const quote = this.s[this.i];
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted attribute value');
    this.i++;
    let value = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('unterminated attribute value');
      if (c === quote) break;
      if (c === '<') this.fail("'<' in an attribute value");
      if (c === '&') value += this.reference();
      else {
        // Attribute-value normalization: literal whitespace characters become spaces.
        value += c === '\t' || c === '\n' ? ' ' : c;
        this.i++;
      }
    }
    this.i++;
    return value;
  }

  element(scope: ReadonlySet<string>): ParsedElement {
    if (this.s[this.i] !== '<') this.fail("expected '<'");
    this.i++;
    const name = this.name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = this.i;
      this.skipSpace();
      const c = this.s[this.i];
      if (c === '/' || c === '>') break;
      if (this.i === before) this.fail('expected whitespace before an attribute');
      const key = this.name();
      this.skipSpace();
      if (this.s[this.i] !== '=') this.fail("expected '='");
      this.i++;
      this.skipSpace();
      if (Object.hasOwn(attributes, key)) this.fail(`duplicate attribute ${key}`);
      attributes[key] = this.attributeValue();
    }
    const declared = new Set(scope);
    for (const key of Object.keys(attributes)) if (key.startsWith('xmlns:')) declared.add(key.slice(6));
    for (const n of [name, ...Object.keys(attributes)]) {
      const prefix = n.includes(':') ? n.slice(0, n.indexOf(':')) : undefined;
      if (prefix && prefix !== 'xmlns' && !declared.has(prefix)) this.fail(`undeclared namespace prefix '${prefix}'`);
    }
    if (this.s.startsWith('/>', this.i)) {
      this.i += 2;
      return { name, attributes, children: [] };
    }
    this.i++;
    const children: (ParsedElement | string)[] = [];
    let text = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail(`unclosed element <${name}>`);
      if (c === '<') {
        if (text) children.push(text);
        text = '';
        if (this.s[this.i + 1] === '/') break;
        if (this.s[this.i + 1] === '!' || this.s[this.i + 1] === '?') this.fail('comment, CDATA, DOCTYPE or PI in content');
        children.push(this.element(declared));
      } else if (c === '&') {
        text += this.reference();
      } else {
        if (this.s.startsWith(']]>', this.i)) this.fail("']]>' in text");
        text += c;
        this.i++;
      }
    }
    this.i += 2;
    const closing = this.name();
    if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
    this.skipSpace();
    if (this.s[this.i] !== '>') this.fail("expected '>'");
    this.i++;
    return { name, attributes, children };
  }

  document(): ParsedElement {
    const decl = /^<\?xml version=(["'])1\.0\1(?: encoding=(["'])UTF-8\2)?\?>/.exec(this.s);
    if (decl) this.i = decl[0].length;
    this.skipSpace();
    const root = this.element(new Set());
    this.skipSpace();
    if (this.i !== this.s.length) this.fail('content after the root element');
    return root;
  }
}

export function parseStrictXml(text: string): ParsedElement {
  const bad = NOT_XML_CHAR.exec(text);
  if (bad) throw new XmlSyntaxError(`non-XML character U+${(bad[0].codePointAt(0) as number).toString(16)}`);
  // End-of-line handling (XML 1.0 section 2.11) happens before parsing.
  return new Parser(text.replace(/\r\n?/g, '\n')).document();
}

/** Child elements only. */
export const elements = (e: ParsedElement): ParsedElement[] => e.children.filter((c): c is ParsedElement => typeof c !== 'string');

/** The concatenated text of an element's direct text children. */
export const textOf = (e: ParsedElement): string => e.children.filter((c): c is string => typeof c === 'string').join('');

/** Finds elements by a path of names from the root, e.g. find(root, 'devices', 'interface'). */
export function find(root: ParsedElement, ...path: string[]): ParsedElement[] {
  let current = [root];
  for (const name of path) current = current.flatMap((e) => elements(e).filter((c) => c.name === name));
  return current;
}

/**
 * The shape of a document: every element's path and attribute names, in document order,
 * without any values. Two documents with the same structure have equal structures.
 */
export function structure(e: ParsedElement, prefix = ''): string[] {
  const path = `${prefix}/${e.name}`;
  return [`${path}[${Object.keys(e.attributes).join(',')}]`, ...elements(e).flatMap((c) => structure(c, path))];
}
