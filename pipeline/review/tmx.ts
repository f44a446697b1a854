/**
 * Review articles ⇄ TMX 1.4b. Pure.
 *
 * Export reuses the align stage's writer (`buildTmx`) with the text a reviewer would publish
 * (`current`) as the target, so that export → import is the identity. TMX has no review state: an
 * import of a TMX says only "this is the translation" (see plan-import.ts).
 *
 * Import reads TMX 1.1–1.4 as relais and CAT tools write them. A `<tu>` whose `tuid` is relais'
 * `<namespace>.<segment id>` is matched by id; any other `<tu>` (a CAT tool's translation memory) by
 * its source text. The source `<tuv>` is the one in the header's `srclang` (or the `<tu>`'s own); the
 * target is the one in `targetLang` when given, else the only other `<tuv>`. Inline codes (`<bpt>`,
 * `<ept>`, `<ph>`, `<it>`, `<ut>` hold native code, `<hi>` holds text) are reduced to text with a warning.
 */
import type { Lang } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { TMX_TAIL, tmxHeader, tmxUnit, type TmxOptions } from '../stages/align/build-tmx.js';
import { sameLanguage, type BilingualDocument, type ImportUnit } from './plan-import.js';
import { seenMark, type ReviewArticle } from './review-model.js';
import { attr, childElements, parseXmlTree, type XmlElement } from './xml-tree.js';

export interface ReviewTmxOptions extends TmxOptions {
  /** The engine that translated the article (the header's `x-relais-engine`). */
  engine: { id: string; version: string };
}

/**
 * One review article → TMX 1.4b, target = the text that would be published, its review state as each
 * unit's `x-relais-state` prop (machine, edited, approved, rejected, needs-review), and relais' translation as
 * each unit's `x-relais-machine` prop (an import then knows a target nobody edited, and one exported
 * from another job or before a run that changed it).
 */
export function buildReviewTmx(input: ReviewArticle | readonly ReviewArticle[], options: ReviewTmxOptions): string {
  const articles: readonly ReviewArticle[] = Array.isArray(input) ? input : [input as ReviewArticle];
  const aligned = articles.map((article) => ({
    kind: 'translate' as const,
    version: 1 as const,
    namespace: article.namespace,
    sourceLang: article.sourceLang,
    targetLang: article.targetLang,
    engine: options.engine,
    segments: [],
  }));
  const out = [tmxHeader(aligned, options)];
  for (const article of articles) {
    for (const s of article.segments) {
      out.push(tmxUnit(article, { id: s.id, source: s.source, target: s.current, termsApplied: s.termsApplied, flags: s.flags, cacheKey: '' }, s.target, seenMark(s), s.state));
    }
  }
  out.push(TMX_TAIL);
  return out.join('');
}

/**
 * A TMX file → its units. Malformed XML or a file that is not TMX throws TMX_INVALID with
 * file:line:column.
 */
export function parseTmx(text: string, file: string, options: { sourceLang?: Lang; targetLang?: Lang } = {}): BilingualDocument {
  const root = parseXmlTree(text, file, 'TMX_INVALID');
  const invalid: (message: string, el: XmlElement, hint?: string) => never = (message, el, hint) => {
    throw new RelaisError('TMX_INVALID', message, { place: { file, line: el.line, column: el.column }, ...(hint ? { hint } : {}) });
  };
  if (root.local !== 'tmx' || root.ns !== '') invalid(`this is not a TMX file: its root element is <${root.name}>`, root, 'relais imports TMX 1.4b (.tmx) and XLIFF (.xlf) files.');
  const version = attr(root, 'version') ?? '';
  if (!/^1\.[1-4]/.test(version)) invalid(`TMX version "${version}" is not supported`, root, 'relais imports TMX 1.1 to 1.4b.');
  const header = childElements(root, '', 'header')[0] ?? invalid('<tmx> has no <header>', root);
  const headerSrc = attr(header, 'srclang');
  // relais' tuids are `<namespace>.<segment id>`; another tool's tuids mean nothing to relais.
  const byRelais = attr(header, 'creationtool') === 'relais' || childElements(header, '', 'prop').some((p) => attr(p, 'type') === 'x-relais-namespace');
  // `relais align` names its units by sentence pair, not by the job's segment ids: they are matched by
  // source text, so that a translation aligned there can come into a job (the namespace still chooses the article).
  const aligned = childElements(header, '', 'prop').some((p) => attr(p, 'type') === 'x-relais-engine' && /^align\b/.test(inlineText(p, new Set()).trim()));
  const body = childElements(root, '', 'body')[0] ?? invalid('<tmx> has no <body>', root);

  const units: ImportUnit[] = [];
  let docTrg: string | undefined;
  for (const tu of childElements(body, '', 'tu')) {
    const tuSrc = attr(tu, 'srclang') ?? headerSrc;
    const srcLang = tuSrc === undefined || tuSrc === '*all*' ? options.sourceLang : tuSrc;
    const tuvs = childElements(tu, '', 'tuv').map((tuv) => ({
      el: tuv,
      lang: attr(tuv, 'xml:lang') ?? attr(tuv, 'lang') ?? invalid('<tuv> has no xml:lang', tuv),
    }));
    const source = srcLang === undefined ? undefined : tuvs.find((v) => sameLanguage(v.lang, srcLang));
    if (!source) {
      invalid(`<tu>${attr(tu, 'tuid') ? ` "${attr(tu, 'tuid')}"` : ''} has no <tuv> in the source language ${srcLang ?? '(none given: srclang="*all*")'}`, tu);
    }
    const others = tuvs.filter((v) => v !== source);
    const wanted = options.targetLang === undefined ? undefined : others.find((v) => sameLanguage(v.lang, options.targetLang!));
    const target = wanted ?? (others.length === 1 ? others[0] : undefined);
    const warnings: ImportUnit['warnings'] = [];
    if (!target && others.length > 1) {
      warnings.push({ code: 'IMPORT_LANGUAGE_AMBIGUOUS', message: `it has ${others.length} target languages (${others.map((v) => v.lang).join(', ')}) and none was chosen` });
    }
    const markup = new Set<string>();
    const tuid = attr(tu, 'tuid');
    const dot = byRelais && tuid !== undefined ? tuid.indexOf('.') : -1;
    units.push({
      namespace: tuid !== undefined && dot > 0 ? tuid.slice(0, dot) : undefined,
      id: !aligned && tuid !== undefined && dot > 0 && dot < tuid.length - 1 ? tuid.slice(dot + 1) : undefined,
      source: segText(source.el, markup),
      target: target ? segText(target.el, markup) : undefined,
      state: undefined,
      ...machineOf(tu),
      srcLang: source.lang,
      trgLang: target?.lang,
      line: tu.line,
      warnings: markup.size > 0 ? [...warnings, { code: 'IMPORT_INLINE_MARKUP', message: `inline codes (${[...markup].map((m) => `<${m}>`).join(', ')}) were dropped; only the text was kept` }] : warnings,
    });
    docTrg ??= target?.lang;
  }
  const tool = [attr(header, 'creationtool'), attr(header, 'creationtoolversion')].filter(Boolean).join(' ');
  return { format: 'tmx', version, ...(tool ? { tool } : {}), srcLang: headerSrc === '*all*' ? options.sourceLang : headerSrc, trgLang: docTrg ?? options.targetLang, units };
}

/** The machine translation relais exported the unit with (`x-relais-machine`), when it did. */
function machineOf(tu: XmlElement): { machine?: string; seen?: string } {
  const props = childElements(tu, '', 'prop');
  const prop = props.find((p) => attr(p, 'type') === 'x-relais-machine');
  const seen = props.find((p) => attr(p, 'type') === 'x-relais-seen');
  return { ...(prop ? { machine: inlineText(prop, new Set()) } : {}), ...(seen ? { seen: inlineText(seen, new Set()).trim() } : {}) };
}

function segText(tuv: XmlElement, markup: Set<string>): string {
  const seg = childElements(tuv, '', 'seg')[0];
  return seg ? inlineText(seg, markup) : '';
}

function inlineText(el: XmlElement, markup: Set<string>): string {
  let out = '';
  for (const c of el.children) {
    if (typeof c === 'string') out += c;
    else {
      markup.add(c.local);
      if (c.local === 'hi') out += inlineText(c, markup);
    }
  }
  return out;
}
