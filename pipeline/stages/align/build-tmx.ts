/**
 * Aligned segments → TMX 1.4b. No DOCTYPE (validators use --dtdvalid against the official DTD): a
 * DOCTYPE with a system id would make XML tools try to fetch it.
 */
import type { AlignedArticle, AlignedSegment } from '../../artifacts.js';

export interface TmxOptions {
  toolVersion: string;
  /** ISO 8601 basic format, e.g. 20261128T101500Z (TMX's own date format). */
  creationDate: string;
}

/**
 * One article, or several of one language pair (tuids `<namespace>.<id>` keep them apart).
 *
 * Written as text, not through an XML builder: a 1 MB article makes ~10,000 units per language, which
 * fast-xml-parser's XMLBuilder took ~100 ms to build per language, a third of an incremental re-run's
 * align stage. The shape is fixed and every value goes through `text`/`attr` below; the output is
 * checked against the official TMX 1.4b DTD by xmllint in the tests.
 */
export function buildTmx(input: AlignedArticle | readonly AlignedArticle[], opts: TmxOptions): string {
  const articles: readonly AlignedArticle[] = Array.isArray(input) ? input : [input as AlignedArticle];
  const out: string[] = [tmxHeader(articles, opts)];
  for (const a of articles) for (const s of a.segments) out.push(tmxUnit(a, s));
  out.push(TMX_TAIL);
  return out.join('');
}

/** Everything before the first `<tu>`. */
export function tmxHeader(articles: readonly AlignedArticle[], opts: TmxOptions): string {
  const article = articles[0]!;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n',
    `  <header creationtool="relais" creationtoolversion="${attr(opts.toolVersion)}" segtype="sentence" o-tmf="relais-job" adminlang="en" srclang="${attr(article.sourceLang)}" datatype="plaintext" creationdate="${attr(opts.creationDate)}">\n`,
    ...articles.map((a) => `    <prop type="x-relais-namespace">${text(a.namespace)}</prop>\n`),
    `    <prop type="x-relais-engine">${text([article.engine.id, article.engine.version].filter(Boolean).join(' '))}</prop>\n  </header>\n  <body>\n`,
  ].join('');
}

/** One segment's `<tu>`: depends on the segment (and `machine`), the article's namespace and its two languages only. */
export function tmxUnit(a: Pick<AlignedArticle, 'namespace' | 'sourceLang' | 'targetLang'>, s: AlignedSegment, machine?: string, seen?: string, state?: string): string {
  let tu = `    <tu tuid="${attr(`${a.namespace}.${s.id}`)}">\n`;
  // Review exports: relais' own translation, so that an import knows a target nobody edited; what the
  // unit was when exported, so that an import knows a segment decided in relais since; and its review
  // state, so that a memory built from the file can keep reviewed text only.
  if (state !== undefined) tu += `      <prop type="x-relais-state">${text(state)}</prop>\n`;
  if (machine !== undefined) tu += `      <prop type="x-relais-machine">${text(machine)}</prop>\n`;
  if (seen !== undefined) tu += `      <prop type="x-relais-seen">${text(seen)}</prop>\n`;
  for (const f of s.flags) tu += `      <prop type="x-relais-flag">${text(`${f.code}: ${f.message}`)}</prop>\n`;
  for (const t of s.termsApplied) tu += `      <prop type="x-relais-term">${text(`${t.termId} → ${t.form} (${t.strategy})`)}</prop>\n`;
  tu += `      <tuv xml:lang="${attr(a.sourceLang)}">\n        <seg>${text(s.source)}</seg>\n      </tuv>\n`;
  tu += `      <tuv xml:lang="${attr(a.targetLang)}">\n        <seg>${text(s.target)}</seg>\n      </tuv>\n    </tu>\n`;
  return tu;
}

export const TMX_TAIL = '  </body>\n</tmx>\n';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' };
/** Element content and attribute values: XML-safe characters, the five markup characters as entities. */
function text(value: string): string {
  return xmlSafe(value).replace(/[&<>'"]/g, (c) => ENTITIES[c]!);
}
const attr = text;

/**
 * XML 1.0 cannot carry most C0 controls, U+FFFE/U+FFFF or unpaired surrogates, even escaped; they are
 * replaced by U+FFFD. (A lone surrogate would otherwise only be fixed by whichever UTF-8 encoder
 * happens to write the string.)
 */
export function xmlSafe(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

export function tmxDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
