/**
 * A small strict XML 1.0 reader for the bilingual files relais imports (XLIFF, TMX): the document as a
 * tree of elements and text, namespaces resolved, each element with its line:column. Pure.
 *
 * Why not fast-xml-parser: it leaves numeric character references (`&#13;`, `&#x1F600;`) undecoded
 * unless its HTML entities are on — which then also accepts `&nbsp;`, not XML — drops `&#0;` silently
 * and accepts undefined entities. A reviewer's text must come back exactly, or the file be refused
 * with the place of the fault.
 *
 * Not supported, on purpose: entity declarations in a DOCTYPE (refused: no CAT tool needs them and
 * expanding them is how "billion laughs" files work); external DTDs are never fetched.
 */
import { RelaisError, type ErrorCode } from '../errors.js';

export interface XmlElement {
  /** The name as written (`xlf:unit`). */
  name: string;
  /** The name without its prefix (`unit`). */
  local: string;
  /** The namespace URI the prefix resolves to; '' for none. */
  ns: string;
  /** Attributes by their name as written (`xml:lang`, `id`), values decoded and normalised. */
  attrs: ReadonlyMap<string, string>;
  /** Child elements and text, in document order; adjacent text (and CDATA) is merged. */
  children: Array<XmlElement | string>;
  line: number;
  column: number;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME = /[A-Za-z_:\u00C0-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDBFF][-.\w:\u00B7\u00C0-\u02FF\u0300-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDFFF]*/y;
/** Characters XML 1.0 forbids even in text (CR is gone after end-of-line handling). */
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Whether a code point is a `Char` of XML 1.0 (what a character reference may denote). */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Parse a whole document and return its root element. A document that is not well-formed throws a
 * RelaisError with `code`, the file and the line:column of the fault.
 */
export function parseXmlTree(input: string, file: string, code: ErrorCode): XmlElement {
  return new Reader(input, file, code).document();
}

interface Open {
  el: XmlElement;
  scope: ReadonlyMap<string, string>;
}

class Reader {
  private readonly s: string;
  private i = 0;
  private lineStarts: number[] | undefined;

  constructor(
    input: string,
    private readonly file: string,
    private readonly code: ErrorCode,
  ) {
    // XML end-of-line handling (§2.11) before anything else; line numbers are unchanged by it.
    this.s = (input.startsWith('\uFEFF') ? input.slice(1) : input).replace(/\r\n?/g, '\n');
  }

  document(): XmlElement {
    const nul = this.s.indexOf('\u0000');
    if (nul >= 0) {
      this.fail('the file contains NUL characters, so it is not UTF-8 XML', nul, 'If it is UTF-16 (some CAT tools write it), convert it: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.xlf');
    }
    if (this.s.trim() === '') this.fail('the file is empty', 0);
    if (this.s.startsWith('<?xml') && /[\s?]/.test(this.s[5] ?? '')) this.declaration();
    let sawDoctype = false;
    for (;;) {
      this.skipSpace();
      if (this.s.startsWith('<!--', this.i)) this.comment();
      else if (this.s.startsWith('<?', this.i)) this.pi();
      else if (this.s.startsWith('<!DOCTYPE', this.i)) {
        if (sawDoctype) this.fail('a second DOCTYPE', this.i);
        sawDoctype = true;
        this.doctype();
      } else break;
    }
    if (this.s[this.i] !== '<') this.fail(this.i >= this.s.length ? 'no root element' : 'text before the root element', this.i);
    const root = this.element();
    for (;;) {
      this.skipSpace();
      if (this.i >= this.s.length) return root;
      if (this.s.startsWith('<!--', this.i)) this.comment();
      else if (this.s.startsWith('<?', this.i)) this.pi();
      else this.fail('content after the end of the root element', this.i);
    }
  }

  /** The root element and everything in it; iterative, so deep nesting cannot overflow the stack. */
  private element(): XmlElement {
    const stack: Open[] = [];
    let root: XmlElement | undefined;
    const parentScope = new Map([['xml', XML_NS]]);
    do {
      if (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const lt = this.s.indexOf('<', this.i);
        if (lt < 0) this.fail(`<${top.el.name}> (line ${top.el.line}) is never closed`, this.s.length);
        if (lt > this.i) this.text(top.el, this.decode(this.s.slice(this.i, lt), this.i, false));
        this.i = lt;
        if (this.s.startsWith('</', this.i)) {
          this.endTag(top.el);
          stack.pop();
          continue;
        }
        if (this.s.startsWith('<!--', this.i)) {
          this.comment();
          continue;
        }
        if (this.s.startsWith('<![CDATA[', this.i)) {
          const end = this.s.indexOf(']]>', this.i + 9);
          if (end < 0) this.fail('a CDATA section is never closed', this.i);
          const raw = this.s.slice(this.i + 9, end);
          this.checkChars(raw, this.i + 9);
          this.text(top.el, raw);
          this.i = end + 3;
          continue;
        }
        if (this.s.startsWith('<?', this.i)) {
          this.pi();
          continue;
        }
        if (this.s.startsWith('<!', this.i)) this.fail('unexpected markup declaration inside an element', this.i);
      }
      const scope = stack.length > 0 ? stack[stack.length - 1]!.scope : parentScope;
      const { el, scope: inner, empty } = this.startTag(scope);
      if (stack.length > 0) stack[stack.length - 1]!.el.children.push(el);
      else root = el;
      if (!empty) stack.push({ el, scope: inner });
    } while (stack.length > 0);
    return root!;
  }

  private startTag(scope: ReadonlyMap<string, string>): { el: XmlElement; scope: ReadonlyMap<string, string>; empty: boolean } {
    const start = this.i;
    this.i++; // '<'
    const name = this.name('an element name');
    const raw: Array<{ name: string; value: string; at: number }> = [];
    let empty = false;
    for (;;) {
      const hadSpace = this.skipSpace();
      if (this.s.startsWith('/>', this.i)) {
        this.i += 2;
        empty = true;
        break;
      }
      if (this.s[this.i] === '>') {
        this.i++;
        break;
      }
      if (this.i >= this.s.length) this.fail(`<${name}> is not closed with ">"`, start);
      if (!hadSpace) this.fail(`expected a space, ">" or "/>" in <${name}>`, this.i);
      const at = this.i;
      const attr = this.name('an attribute name');
      this.skipSpace();
      if (this.s[this.i] !== '=') this.fail(`expected "=" after the attribute ${attr}`, this.i);
      this.i++;
      this.skipSpace();
      const q = this.s[this.i];
      if (q !== '"' && q !== "'") this.fail(`the value of ${attr} must be in quotes`, this.i);
      const end = this.s.indexOf(q, this.i + 1);
      if (end < 0) this.fail(`the value of ${attr} is never closed`, this.i);
      const value = this.s.slice(this.i + 1, end);
      const lt = value.indexOf('<');
      if (lt >= 0) this.fail(`"<" in the value of ${attr} must be written &lt;`, this.i + 1 + lt);
      if (raw.some((a) => a.name === attr)) this.fail(`the attribute ${attr} appears twice`, at);
      // Attribute-value normalisation (§3.3.3): literal whitespace becomes a space; references keep theirs.
      raw.push({ name: attr, value: this.decode(value.replace(/[\t\n]/g, ' '), this.i + 1, true), at });
      this.i = end + 1;
    }
    let inner = scope;
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        if (inner === scope) inner = new Map(scope);
        (inner as Map<string, string>).set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value);
      }
    }
    const colon = name.indexOf(':');
    const prefix = colon >= 0 ? name.slice(0, colon) : '';
    const ns = inner.get(prefix);
    if (prefix !== '' && ns === undefined) this.fail(`the namespace prefix "${prefix}" of <${name}> is not declared`, start + 1);
    for (const a of raw) {
      const c = a.name.indexOf(':');
      if (c >= 0 && !a.name.startsWith('xmlns:') && !inner.has(a.name.slice(0, c))) {
        this.fail(`the namespace prefix "${a.name.slice(0, c)}" of the attribute ${a.name} is not declared`, a.at);
      }
    }
    const { line, column } = this.place(start);
    const el: XmlElement = {
      name,
      local: colon >= 0 ? name.slice(colon + 1) : name,
      ns: ns ?? '',
      attrs: new Map(raw.map((a) => [a.name, a.value])),
      children: [],
      line,
      column,
    };
    return { el, scope: inner, empty };
  }

  private endTag(open: XmlElement): void {
    const at = this.i;
    this.i += 2;
    const name = this.name('an element name');
    this.skipSpace();
    if (this.s[this.i] !== '>') this.fail(`expected ">" to end </${name}>`, this.i);
    this.i++;
    if (name !== open.name) this.fail(`</${name}> closes <${open.name}>, opened at line ${open.line}:${open.column}`, at);
  }

  private text(el: XmlElement, text: string): void {
    const last = el.children.length - 1;
    if (typeof el.children[last] === 'string') el.children[last] += text;
    else el.children.push(text);
  }

  /** Decode references in text or an attribute value starting at `at`, refusing what XML forbids. */
  private decode(raw: string, at: number, inAttribute: boolean): string {
    this.checkChars(raw, at);
    if (!inAttribute) {
      const cdataEnd = raw.indexOf(']]>');
      if (cdataEnd >= 0) this.fail('"]]>" in text must be written ]]&gt;', at + cdataEnd);
    }
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&<\s]*)(;?)/g, (whole, ref: string, semi: string, offset: number) => {
      const where = at + offset;
      if (!semi) this.fail('"&" must be written &amp; (or start a reference such as &lt; ending with ";")', where);
      if (ref.startsWith('#')) {
        const cp = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
        if (Number.isNaN(cp)) this.fail(`"${whole}" is not a character reference`, where);
        if (!isXmlChar(cp)) this.fail(`"${whole}" refers to U+${cp.toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 does not allow`, where);
        return String.fromCodePoint(cp);
      }
      const value = PREDEFINED[ref];
      if (value === undefined) {
        return this.fail(`undefined entity "${whole}"`, where, 'XML only knows &lt; &gt; &amp; &quot; &apos; and numeric references such as &#160; (a no-break space).');
      }
      return value;
    });
  }

  private checkChars(raw: string, at: number): void {
    const m = ILLEGAL.exec(raw);
    if (m) this.fail(`U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML 1.0`, at + m.index);
  }

  private declaration(): void {
    const end = this.s.indexOf('?>');
    if (end < 0) this.fail('the XML declaration is never closed', 0);
    const decl = this.s.slice(0, end);
    const enc = /encoding\s*=\s*["']([^"']*)["']/.exec(decl)?.[1];
    if (enc !== undefined && !/^utf-?8$/i.test(enc)) {
      this.fail(`the file declares the encoding ${enc}; relais reads XML in UTF-8`, 0, `Convert it: iconv -f ${enc} -t UTF-8 FILE > FILE.utf8 (and change the declaration to encoding="UTF-8").`);
    }
    this.i = end + 2;
  }

  private doctype(): void {
    const start = this.i;
    let quote = '';
    let subset = false;
    for (let j = this.i + 9; j < this.s.length; j++) {
      const c = this.s[j]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '[') subset = true;
      else if (c === ']') subset = false;
      else if (subset && this.s.startsWith('<!ENTITY', j)) {
        this.fail('the DOCTYPE declares entities, which relais does not expand', j, 'Remove the DOCTYPE: XLIFF and TMX files do not need one.');
      } else if (c === '>' && !subset) {
        this.i = j + 1;
        return;
      }
    }
    this.fail('the DOCTYPE is never closed', start);
  }

  private comment(): void {
    const end = this.s.indexOf('-->', this.i + 4);
    if (end < 0) this.fail('a comment is never closed', this.i);
    this.i = end + 3;
  }

  private pi(): void {
    const end = this.s.indexOf('?>', this.i + 2);
    if (end < 0) this.fail('a processing instruction is never closed', this.i);
    this.i = end + 2;
  }

  private name(what: string): string {
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.s);
    if (!m) this.fail(`expected ${what}`, this.i);
    this.i += m[0].length;
    return m[0];
  }

  private skipSpace(): boolean {
    const start = this.i;
    while (this.i < this.s.length && ' \t\n'.includes(this.s[this.i]!)) this.i++;
    return this.i > start;
  }

  private place(offset: number): { line: number; column: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let j = this.s.indexOf('\n'); j >= 0; j = this.s.indexOf('\n', j + 1)) this.lineStarts.push(j + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    // Columns count code points, as editors do (an emoji is one column).
    return { line: lo + 1, column: [...this.s.slice(this.lineStarts[lo]!, offset)].length + 1 };
  }

  private fail(message: string, offset: number, hint?: string): never {
    const { line, column } = this.place(Math.min(offset, this.s.length));
    throw new RelaisError(this.code, `malformed XML: ${message}`, {
      place: { file: this.file, line, column },
      hint: hint ?? 'Fix the file at that place, or export it again from the CAT tool.',
    });
  }
}

/** The attribute `name` of `el`, or undefined. */
export function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.get(name);
}

/** Child elements of `el` in `ns` named `local` (all child elements when `local` is omitted). */
export function childElements(el: XmlElement, ns: string, local?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.ns === ns && (local === undefined || c.local === local));
}
