/**
 * Review articles ⇄ XLIFF, the file CAT tools (OmegaT, Trados, memoQ) open. Pure.
 *
 * Export: XLIFF 2.1 (core namespace `urn:oasis:names:tc:xliff:document:2.0`, `version="2.1"`), valid
 * against the official core schema. One `<file id=namespace>` per article, one `<unit id=segment id>` per
 * segment holding one `<segment state>` (XLIFF_STATE of the review state; the exact relais state rides
 * along as `subState="relais:…"`), `<source>` and `<target>` = the text that would be published.
 * relais' machine translation, the QA flags and (for `needs-review`) the earlier source and reviewed
 * text are `<note>`s; paragraph and sentence index are metadata (XLIFF 2 Metadata module). Files say
 * `canResegment="no"`: a unit is one relais segment, and a tool that split it could not give it back.
 *
 * Characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE, U+FFFF, lone surrogates) are
 * written as XLIFF's own `<cp hex="…"/>` in sources and targets, so every text comes back exactly; CR
 * is written `&#13;` (a literal one would be read as LF). In notes, which cannot hold elements, they
 * become U+FFFD.
 *
 * Import: XLIFF 2.0/2.1/2.2 and XLIFF 1.2 (`<trans-unit>`, still what many CAT tools write). Inline
 * markup in a source or target (`<pc>`, `<mrk>`, `<g>` keep their text; `<ph>`, `<x>`, `<bpt>`… have
 * none) is reduced to its text with a per-unit warning: relais texts are plain, so the codes came from
 * the CAT tool and there is nowhere to keep them. `<cp>` is decoded, and XLIFF 1.2 `<mrk mtype="seg">`
 * (a segment marker, as Trados writes) is taken as plain text without a warning.
 */
import type { Lang } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import type { BilingualDocument, ImportUnit, ImportWarningCode, XliffState } from './plan-import.js';
import { seenMark, XLIFF_STATE, type ReviewArticle, type ReviewSegment } from './review-model.js';
import { attr, childElements, parseXmlTree, type XmlElement } from './xml-tree.js';

export const XLIFF2_NS = 'urn:oasis:names:tc:xliff:document:2.0';
export const XLIFF12_NS = 'urn:oasis:names:tc:xliff:document:1.2';
/** XLIFF 2 Metadata module. */
const MDA_NS = 'urn:oasis:names:tc:xliff:metadata:2.0';

export interface XliffOptions {
  /** Every article must have these languages (an XLIFF 2 document has one pair). */
  sourceLang: Lang;
  targetLang: Lang;
}

/* ------------------------------------------------------------------ export */

/** ReviewArticles (one language pair) → an XLIFF 2.1 document. */
export function buildXliff(articles: readonly ReviewArticle[], options: XliffOptions): string {
  const { sourceLang, targetLang } = options;
  for (const a of articles) {
    if (a.sourceLang !== sourceLang || a.targetLang !== targetLang) {
      throw new RelaisError('OPTION_INVALID', `article "${a.namespace}" is ${a.sourceLang} → ${a.targetLang}, not ${sourceLang} → ${targetLang}: one XLIFF file holds one language pair`);
    }
  }
  const exported = articles.filter((a) => a.segments.length > 0);
  if (exported.length === 0) {
    throw new RelaisError('JOB_INCOMPLETE', `nothing to export: no ${targetLang} segments${articles.length ? ` in ${articles.map((a) => a.namespace).join(', ')}` : ''}`, {
      hint: 'Run `relais run <files…>` first.',
    });
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="${XLIFF2_NS}" xmlns:mda="${MDA_NS}" version="2.1" srcLang="${escapeAttr(sourceLang)}" trgLang="${escapeAttr(targetLang)}">`,
  ];
  const namespaces = new Set<string>();
  for (const a of exported) {
    checkToken(a.namespace, `the namespace of article "${a.namespace}"`);
    if (namespaces.has(a.namespace)) throw new RelaisError('OPTION_INVALID', `article "${a.namespace}" is given twice`);
    namespaces.add(a.namespace);
    lines.push(`  <file id="${a.namespace}" original="${a.namespace}" canResegment="no">`);
    const ids = new Set<string>();
    for (const s of a.segments) {
      checkToken(s.id, `segment id "${s.id}" of "${a.namespace}"`);
      if (ids.has(s.id)) throw new RelaisError('JOB_CORRUPT', `segment id "${s.id}" appears twice in "${a.namespace}"`, { hint: 'Run `relais run` again to rebuild the job.' });
      ids.add(s.id);
      lines.push(...unitLines(s));
    }
    lines.push('  </file>');
  }
  lines.push('</xliff>', '');
  return lines.join('\n');
}

function unitLines(s: ReviewSegment): string[] {
  const notes: Array<[category: string, text: string]> = [['relais:machine-translation', s.target], ['relais:seen', seenMark(s)]];
  for (const f of s.flags) notes.push(['relais:qa', `${f.code}: ${f.message}`]);
  if (s.previousSource !== undefined) notes.push(['relais:previous-source', s.previousSource]);
  if (s.reviewedText !== undefined) notes.push(['relais:reviewed-text', s.reviewedText]);
  if (s.risk !== undefined) notes.push(['relais:risk', `${s.risk.toFixed(2)}${s.backTranslation !== undefined ? ` (back-translation: ${s.backTranslation})` : ''}`]);
  return [
    `    <unit id="${s.id}">`,
    '      <mda:metadata>',
    '        <mda:metaGroup category="relais">',
    `          <mda:meta type="paragraph">${s.paragraph}</mda:meta>`,
    `          <mda:meta type="index">${s.index}</mda:meta>`,
    '        </mda:metaGroup>',
    '      </mda:metadata>',
    '      <notes>',
    ...notes.map(([category, text]) => `        <note category="${category}" appliesTo="${category === 'relais:previous-source' ? 'source' : 'target'}">${escapeText(replaceNonXml(text))}</note>`),
    '      </notes>',
    `      <segment state="${XLIFF_STATE[s.state]}" subState="relais:${s.state}">`,
    `        <source${preserve(s.source)}>${inlineText(s.source)}</source>`,
    `        <target${preserve(s.current)}>${inlineText(s.current)}</target>`,
    '      </segment>',
    '    </unit>',
  ];
}

/** XLIFF 2 `xs:NMTOKEN` (ids): relais namespaces and segment ids always are; anything else is a bug. */
function checkToken(value: string, what: string): void {
  if (!/^[A-Za-z0-9._:-]+$/.test(value)) {
    throw new RelaisError('JOB_CORRUPT', `${what} cannot be an XLIFF id (letters, digits, ".", "-", "_", ":" only)`, { hint: 'Run `relais run` again to rebuild the job.' });
  }
}

/** xml:space="preserve" when white space other than single spaces between words must survive. */
function preserve(text: string): string {
  return /^[ \t\n\r]|[ \t\n\r]$|[ \t\n\r]{2}|[\t\n\r]/.test(text) ? ' xml:space="preserve"' : '';
}

/** What <source>/<target> text cannot hold as is: markup characters, CR, and what XML 1.0 forbids. */
// eslint-disable-next-line no-control-regex
const INLINE_SPECIAL = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const INLINE_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Text content of <source>/<target>: escaped, with <cp/> for what XML 1.0 cannot carry. */
function inlineText(text: string): string {
  return text.replace(INLINE_SPECIAL, (c) => INLINE_ESCAPES[c] ?? `<cp hex="${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}"/>`);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escapeAttr(text: string): string {
  return escapeText(replaceNonXml(text)).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function replaceNonXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/* ------------------------------------------------------------------ import */

const STATE_RANK: Readonly<Record<XliffState, number>> = { initial: 0, translated: 1, reviewed: 2, final: 3 };

/** XLIFF 1.2 `<target state>` → XLIFF 2 state. `x-…` (tool-specific) states say nothing. */
const STATE_12: Readonly<Record<string, XliffState>> = {
  new: 'initial',
  'needs-translation': 'initial',
  'needs-adaptation': 'initial',
  'needs-l10n': 'initial',
  translated: 'translated',
  'needs-review-translation': 'translated',
  'needs-review-adaptation': 'translated',
  'needs-review-l10n': 'translated',
  'signed-off': 'final',
  final: 'final',
};

/**
 * An XLIFF 2.x or 1.2 file → its units. A file that is not well-formed XML, not XLIFF, or breaks a
 * rule relais relies on (a unit without id) throws XLIFF_INVALID with file:line:column.
 */
export function parseXliff(text: string, file: string): BilingualDocument {
  const root = parseXmlTree(text, file, 'XLIFF_INVALID');
  const version = attr(root, 'version') ?? '';
  const invalid: Invalid = (message, el, hint) => {
    throw new RelaisError('XLIFF_INVALID', message, { place: { file, line: el.line, column: el.column }, ...(hint ? { hint } : {}) });
  };
  if (root.local !== 'xliff') invalid(`this is not an XLIFF file: its root element is <${root.name}>`, root, 'relais imports XLIFF 2.x and 1.2 files (.xlf, .xliff).');
  if (root.ns.startsWith('urn:oasis:names:tc:xliff:document:2.') && version.startsWith('2.')) return parseXliff2(root, version, invalid);
  if ((root.ns === XLIFF12_NS || root.ns === 'urn:oasis:names:tc:xliff:document:1.1' || root.ns === '') && /^1\.[0-2]$/.test(version)) return parseXliff12(root, version, invalid);
  return invalid(`XLIFF version "${version}" in namespace "${root.ns}" is not supported`, root, 'relais imports XLIFF 2.0, 2.1 and 1.2; export XLIFF 2.1 or 1.2 from the CAT tool.');
}

type Invalid = (message: string, el: XmlElement, hint?: string) => never;

function parseXliff2(root: XmlElement, version: string, invalid: Invalid): BilingualDocument {
  const ns = root.ns;
  const srcLang = attr(root, 'srcLang');
  const trgLang = attr(root, 'trgLang');
  if (srcLang === undefined) invalid('<xliff> has no srcLang', root);
  const units: ImportUnit[] = [];
  for (const file of childElements(root, ns, 'file')) {
    const namespace = attr(file, 'id') ?? invalid('<file> has no id', file);
    const walk = (el: XmlElement): void => {
      for (const child of childElements(el, ns)) {
        if (child.local === 'group') walk(child);
        else if (child.local === 'unit') units.push(unit2(child, namespace, srcLang, trgLang, invalid));
      }
    };
    walk(file);
  }
  return { format: 'xliff', version, srcLang, trgLang, units };
}

function unit2(el: XmlElement, namespace: string, srcLang: string | undefined, trgLang: string | undefined, invalid: Invalid): ImportUnit {
  const ns = el.ns;
  const id = attr(el, 'id') ?? invalid('<unit> has no id', el);
  const warnings: ImportUnit['warnings'] = [];
  const markup = new Set<string>();
  let source = '';
  let target: string | undefined = '';
  let state: XliffState | undefined;
  let segments = 0;
  for (const part of childElements(el, ns)) {
    if (part.local !== 'segment' && part.local !== 'ignorable') continue;
    const src = childElements(part, ns, 'source')[0] ?? invalid(`<${part.local}> of unit "${id}" has no <source>`, part);
    const trg = childElements(part, ns, 'target')[0];
    source += inline2(src, markup);
    if (part.local === 'segment') {
      segments++;
      const s = attr(part, 'state');
      if (s !== undefined) {
        if (!(s in STATE_RANK)) invalid(`unit "${id}": unknown segment state "${s}"`, part, 'XLIFF 2 states are initial, translated, reviewed and final.');
        const st = s as XliffState;
        if (state === undefined || STATE_RANK[st] < STATE_RANK[state]) state = st;
      }
      // A segment without a target leaves the whole unit untranslated.
      if (trg === undefined) target = undefined;
      else if (target !== undefined) target += inline2(trg, markup);
    } else if (target !== undefined) {
      // An <ignorable> without target stands for itself (XLIFF 2 §4.2.2.4).
      target += trg === undefined ? inline2(src, new Set()) : inline2(trg, markup);
    }
  }
  if (segments === 0) invalid(`unit "${id}" has no <segment>`, el);
  const unitNotes = childElements(el, ns, 'notes').flatMap((notes) => childElements(notes, ns, 'note'));
  const machineNote = unitNotes.find((n) => attr(n, 'category') === 'relais:machine-translation');
  const seenNote = unitNotes.find((n) => attr(n, 'category') === 'relais:seen');
  if (segments > 1) warnings.push({ code: 'IMPORT_JOINED_SEGMENTS', message: `the CAT tool split it into ${segments} segments; they were joined (lowest state: ${state ?? 'none'})` });
  if (markup.size > 0) warnings.push(markupWarning(markup));
  return { namespace, id, source, target, state, ...(machineNote ? { machine: inline2(machineNote, new Set()) } : {}), ...(seenNote ? { seen: inline2(seenNote, new Set()).trim() } : {}), srcLang, trgLang, line: el.line, warnings };
}

/** Text of an XLIFF 2 <source>/<target>: <cp> decoded, other inline elements reduced to their text. */
function inline2(el: XmlElement, markup: Set<string>): string {
  let out = '';
  for (const c of el.children) {
    if (typeof c === 'string') out += c;
    else if (c.ns === el.ns && c.local === 'cp') out += codePoint(attr(c, 'hex'));
    else {
      markup.add(c.local);
      // <pc> and <mrk> wrap text; <ph>, <sc>, <ec>, <sm>, <em> are empty.
      out += inline2(c, markup);
    }
  }
  return out;
}

function codePoint(hex: string | undefined): string {
  const n = hex !== undefined && /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : NaN;
  return Number.isNaN(n) || n > 0x10ffff ? '\uFFFD' : String.fromCodePoint(n);
}

function parseXliff12(root: XmlElement, version: string, invalid: Invalid): BilingualDocument {
  const ns = root.ns;
  const units: ImportUnit[] = [];
  let first: { src?: string; trg?: string } | undefined;
  let tool: string | undefined;
  for (const file of childElements(root, ns, 'file')) {
    const t = childElements(file, ns, 'header').flatMap((h) => childElements(h, ns, 'tool'))[0];
    if (t && tool === undefined) tool = [attr(t, 'tool-name') ?? attr(t, 'tool-id'), attr(t, 'tool-version')].filter(Boolean).join(' ') || undefined;
    const srcLang = attr(file, 'source-language');
    const trgLang = attr(file, 'target-language');
    first ??= { ...(srcLang ? { src: srcLang } : {}), ...(trgLang ? { trg: trgLang } : {}) };
    const namespace = attr(file, 'original');
    const walk = (el: XmlElement): void => {
      for (const child of childElements(el, ns)) {
        if (child.local === 'group') walk(child);
        else if (child.local === 'trans-unit' && attr(child, 'translate') !== 'no') units.push(unit12(child, namespace, srcLang, trgLang, invalid));
      }
    };
    for (const body of childElements(file, ns, 'body')) walk(body);
  }
  return { format: 'xliff', version, srcLang: first?.src, trgLang: first?.trg, ...(tool ? { tool } : {}), units };
}

function unit12(el: XmlElement, namespace: string | undefined, srcLang: string | undefined, trgLang: string | undefined, invalid: Invalid): ImportUnit {
  const ns = el.ns;
  const id = attr(el, 'id') ?? invalid('<trans-unit> has no id', el);
  const src = childElements(el, ns, 'source')[0] ?? invalid(`<trans-unit> "${id}" has no <source>`, el);
  const trg = childElements(el, ns, 'target')[0];
  const markup = new Set<string>();
  const source = inline12(src, markup);
  const target = trg === undefined ? undefined : inline12(trg, markup);
  let state = trg === undefined ? undefined : STATE_12[attr(trg, 'state') ?? ''];
  // approved="yes" is XLIFF 1.2's sign-off flag (Okapi and OmegaT set it).
  if (attr(el, 'approved') === 'yes' && trg !== undefined) state = 'final';
  return { namespace, id, source, target, state, srcLang, trgLang, line: el.line, warnings: markup.size > 0 ? [markupWarning(markup)] : [] };
}

/** XLIFF 1.2 inline: <g>/<mrk> keep their text; <x>, <bx>, <ex> are empty; <ph>, <bpt>, <ept>, <it> hold native code, not text. */
function inline12(el: XmlElement, markup: Set<string>): string {
  let out = '';
  for (const c of el.children) {
    if (typeof c === 'string') out += c;
    else if (c.local === 'mrk' && attr(c, 'mtype') === 'seg') out += inline12(c, markup);
    else {
      markup.add(c.local);
      if (c.local === 'g' || c.local === 'mrk') out += inline12(c, markup);
    }
  }
  return out;
}

function markupWarning(markup: Set<string>): { code: ImportWarningCode; message: string } {
  return {
    code: 'IMPORT_INLINE_MARKUP',
    message: `inline markup (${[...markup].map((m) => `<${m}>`).join(', ')}) was dropped; only its text was kept`,
  };
}
