/**
 * A tiny XML element tree and serializer. Documents are built as trees and every attribute value
 * and text node goes through one escaping function, so no input can end an element, open a
 * new one, start a comment/CDATA/DOCTYPE or reference an entity: the only markup in the output is
 * the markup of the tree. Characters that XML 1.0 cannot carry at all (most C0 controls, unpaired
 * surrogates, U+FFFE/U+FFFF) make serialization throw instead of producing a document a parser
 * would reject or, worse, read differently.
 */

export type XmlChild = XmlElement | string;

export interface XmlElement {
  readonly name: string;
  readonly attributes: readonly (readonly [string, string])[];
  readonly children: readonly XmlChild[];
}

export class XmlBuildError extends Error {
  override readonly name = 'XmlBuildError';
}

/** Element and attribute names are ours, never input; `prefix:local` for namespaced metadata. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z_][A-Za-z0-9_.-]*)?$/;

/** Anything outside XML 1.0's Char production (section 2.2). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

export type AttributeValue = string | number | undefined;

/**
 * Builds an element. Attributes whose value is undefined are left out (optional settings);
 * numbers must be finite integers so that only digits can appear.
 */
export function el(name: string, attributes: Record<string, AttributeValue> = {}, ...children: (XmlChild | undefined | false)[]): XmlElement {
  if (!NAME.test(name)) throw new XmlBuildError(`not an XML name: ${JSON.stringify(name)}`);
  const attrs: [string, string][] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (!NAME.test(key)) throw new XmlBuildError(`not an XML attribute name: ${JSON.stringify(key)}`);
    if (value === undefined) continue;
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new XmlBuildError(`attribute ${key} is not an integer`);
    attrs.push([key, String(value)]);
  }
  const kept = children.filter((c): c is XmlChild => c !== undefined && c !== false);
  return { name, attributes: attrs, children: kept };
}

function checkChars(value: string, where: string): void {
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) {
    const cp = bad[0].codePointAt(0) as number;
    throw new XmlBuildError(`${where} contains U+${cp.toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 cannot represent`);
  }
}

/**
 * Text content: `&` and `<` would start markup; `>` is escaped too so `]]>` never appears; CR is
 * written as a reference because parsers turn a raw CR (and CRLF) into LF.
 */
export function escapeText(value: string): string {
  checkChars(value, 'text');
  return value.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c] as string);
}

/**
 * Attribute values: both quote characters, `&`, `<`, `>`, and TAB/LF/CR as references, because
 * attribute-value normalization would otherwise turn them into spaces.
 */
export function escapeAttribute(value: string): string {
  checkChars(value, 'attribute value');
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
  return value.replace(/[&<>"'\t\n\r]/g, (c) => map[c]);
}

function write(element: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = element.attributes.map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
  if (element.children.length === 0) {
    out.push(`${pad}<${element.name}${attrs}/>`);
    return;
  }
  // Only element-only content is indented: whitespace added around text would change the text.
  if (element.children.every((c) => typeof c !== 'string')) {
    out.push(`${pad}<${element.name}${attrs}>`);
    for (const child of element.children) write(child as XmlElement, depth + 1, out);
    out.push(`${pad}</${element.name}>`);
    return;
  }
  out.push(`${pad}<${element.name}${attrs}>${inline(element.children)}</${element.name}>`);
}

function inline(children: readonly XmlChild[]): string {
  return children
    .map((c) => {
      if (typeof c === 'string') return escapeText(c);
      const attrs = c.attributes.map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
      return c.children.length === 0 ? `<${c.name}${attrs}/>` : `<${c.name}${attrs}>${inline(c.children)}</${c.name}>`;
    })
    .join('');
}

/** The document as a string, indented, ending in a newline, without an XML declaration (virsh and libvirt do not need one). */
export function serialize(root: XmlElement): string {
  const out: string[] = [];
  write(root, 0, out);
  return out.join('\n') + '\n';
}
