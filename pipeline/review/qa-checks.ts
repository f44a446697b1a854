/**
 * The review page's QA column: what is worth a reviewer's look in one segment's current text (the
 * machine translation or a reviewer's edit). Pure and fast — the review server runs it again after
 * every save, on the one segment that changed (≈0.1 ms a segment, see test/review/qa-checks.test.ts).
 *
 * Checks, each one `QaFlag` per finding, with the text it is about as `subject`:
 *  - TERM_UNVERIFIED    a glossary name of the source is not in the target as the glossary says (counted:
 *                       two "Moscou" need two "Moscow"); when another form of the name is there instead
 *                       ("Kiev" for "Kyiv"), the message says so
 *  - NUMBER_MISMATCH    a number of the source is not in the target, or the target has one the source
 *                       lacks — compared as values in each language's notation: 2,6 = 2.6,
 *                       1 234,5 = 1,234.5, 2,6 milliards = 2.6 billion = 2600 millones
 *  - UNKNOWN_WORD       a word the engine did not know (translate stage) is still in the text
 *  - UNTRANSLATED       the target is the source (letters and digits compared)
 *  - PUNCTUATION_STYLE  French typography left in en/es/ca text (« » in English, a space before : ; ? !,
 *                       spaces inside quotation marks), straight quotes, the wrong outer quotes, unpaired
 *                       quotes, empty quotation marks the source does not have (the engine moved a quoted
 *                       name out: "Rusia «»"), a Spanish question or exclamation without its opening ¿ ¡
 *  - LENGTH_RATIO       the target is much shorter or longer than translations of that language usually
 *                       are (bounds measured on Apertium's output, see LENGTH_BOUNDS)
 *  - I18NEXT_SYNTAX     `{{…}}`, `$t(…)` or an HTML tag: harmless with relais' `i18nextReadOptions`,
 *                       interpreted by i18next (or the page) with the default options
 *  - SOURCE_STRAY_STOP, SOURCE_DOUBLE_SPACE  flaws of the French source itself (segment/source-flaws.ts)
 */
import type { Glossary, GlossaryTerm, Lang, QaFlag } from '../artifacts.js';
import { countForm, findTermOccurrences } from '../glossary/match.js';
import { targetFor } from '../glossary/target-for.js';
import { findSourceFlaws } from '../stages/segment/source-flaws.js';
import { loadSegmentRules, type SegmentRules } from '../stages/segment/segment-text.js';
import { extractQuantities, extractTimes, formatMinutes } from '../stages/translate/numbers.js';
import type { ReviewArticle } from './review-model.js';

export interface QaCheckInput {
  /** The source sentence as written. */
  source: string;
  /** The text to check: the machine translation, or a reviewer's edit. */
  target: string;
  /** Target language. */
  lang: Lang;
  glossary: Glossary;
  sourceLang: Lang;
  /**
   * Words the engine did not know when it translated this segment (the `subject` of the translate
   * stage's UNKNOWN_WORD flags). Each is flagged while it is still in `target`. @default []
   */
  unknownWords?: readonly string[];
}

/** Every finding of the review checks on one segment, in the order of the list at the top of this file. */
export function checkSegment(input: QaCheckInput): QaFlag[] {
  const { source, target, lang, sourceLang } = input;
  return [
    ...checkTerms(source, target, lang, input.glossary),
    ...checkNumbers(source, target, sourceLang, lang),
    ...checkUnknownWords(target, input.unknownWords ?? []),
    ...checkUntranslated(source, target),
    ...checkPunctuation(target, lang, source),
    ...checkLength(source, target, lang),
    ...checkI18nextSyntax(target),
    ...checkSource(source, sourceLang),
  ];
}

/** Codes `checkSegment` computes from the current text: the translate stage's flags with these codes are stale after an edit. */
export const RECHECKED_CODES: ReadonlySet<QaFlag['code']> = new Set<QaFlag['code']>([
  'TERM_UNVERIFIED', 'NUMBER_MISMATCH', 'UNKNOWN_WORD', 'UNTRANSLATED', 'PUNCTUATION_STYLE', 'LENGTH_RATIO', 'I18NEXT_SYNTAX',
  'SOURCE_STRAY_STOP', 'SOURCE_DOUBLE_SPACE',
]);

/**
 * The QA column of a review row: what relais did to the machine translation (TERM_REPAIRED,
 * ARTICLE_RESTORED, TAG_REPAIRED…, from the translate stage) and the checks on the current text.
 */
export function reviewFlags(stageFlags: readonly QaFlag[], input: Omit<QaCheckInput, 'unknownWords'>): QaFlag[] {
  const unknownWords = stageFlags.filter((f) => f.code === 'UNKNOWN_WORD' && f.subject).map((f) => f.subject!);
  return [...stageFlags.filter((f) => !RECHECKED_CODES.has(f.code)), ...checkSegment({ ...input, unknownWords })];
}

/** The review view with every row's QA column computed on its current text (what `enrich` of the review server needs). */
export function withQaChecks(article: ReviewArticle, glossary: Glossary): ReviewArticle {
  const { sourceLang, targetLang: lang } = article;
  return {
    ...article,
    segments: article.segments.map((s) => ({ ...s, flags: reviewFlags(s.flags, { source: s.source, target: s.current, lang, glossary, sourceLang }) })),
  };
}

/* ------------------------------------------------------------------ glossary */

const termsById = new WeakMap<readonly GlossaryTerm[], Map<string, GlossaryTerm>>();

function termById(glossary: Glossary, id: string): GlossaryTerm | undefined {
  let map = termsById.get(glossary.terms);
  if (!map) termsById.set(glossary.terms, (map = new Map(glossary.terms.map((t) => [t.id, t]))));
  return map.get(id);
}

export function checkTerms(source: string, target: string, lang: Lang, glossary: Glossary): QaFlag[] {
  const needed = new Map<string, { term: GlossaryTerm; sourceForm: string; count: number }>();
  for (const o of findTermOccurrences(source, glossary)) {
    const term = termById(glossary, o.termId);
    if (!term) continue;
    const form = targetFor(term, lang)?.form ?? o.form;
    const n = needed.get(form);
    if (n) n.count++;
    else needed.set(form, { term, sourceForm: o.form, count: 1 });
  }
  const flags: QaFlag[] = [];
  for (const [form, { term, sourceForm, count }] of needed) {
    const found = countForm(target, form);
    if (found >= count) continue;
    const instead = otherForms(term, form).filter((f) => countForm(target, f) > 0);
    const rule = form === sourceForm ? `"${form}" stays as it is in ${languageName(lang)}` : `"${sourceForm}" is "${form}" in ${languageName(lang)}`;
    const what = found === 0
      ? (instead.length > 0 ? `"${instead[0]}" is there instead` : 'it is not in the target')
      : `the source has it ${count} times, the target ${found}`;
    flags.push({ code: 'TERM_UNVERIFIED', message: `glossary: ${rule}; ${what}`, subject: form });
  }
  return flags;
}

/** The other ways a name is written (source variants, other languages' forms), longest first. */
function otherForms(term: GlossaryTerm, form: string): string[] {
  const all = [...term.forms, ...Object.values(term.targets).map((t) => t.form)];
  return [...new Set(all)].filter((f) => f !== form && countForm(form, f) === 0).sort((a, b) => b.length - a.length);
}

/* ------------------------------------------------------------------ numbers */

export function checkNumbers(source: string, target: string, sourceLang: Lang, lang: Lang): QaFlag[] {
  const left = extractQuantities(target, lang);
  // A number the source writes in another notation ("1.5 GHz", "802.11g" in French) cannot be read as
  // a French number; copied as it is, it is the same number: not a difference.
  const sourceTokens = new Set(source.match(NUMBER_TOKEN) ?? []);
  for (const token of new Set(target.match(NUMBER_TOKEN) ?? [])) {
    if (!sourceTokens.has(token) || extractQuantities(token, sourceLang).length > 0) continue;
    for (const v of extractQuantities(token, lang)) {
      const i = left.findIndex((m) => sameNumber(m, v));
      if (i >= 0) left.splice(i, 1);
    }
  }
  const missing: number[] = [];
  for (const n of extractQuantities(source, sourceLang)) {
    const i = left.findIndex((m) => sameNumber(m, n));
    if (i < 0) missing.push(n);
    else left.splice(i, 1);
  }
  // A number of the target the source lacks: a mistyped edit ("2,7" for "2,6"), or an engine that invented one.
  const extra = left.filter((m) => !missing.some((n) => sameNumber(m, n)));
  // In the target's notation; four digits are not grouped (years: 2022, not 2.022).
  const grouped = new Intl.NumberFormat(lang, { maximumFractionDigits: 12 });
  const plain = new Intl.NumberFormat(lang, { maximumFractionDigits: 12, useGrouping: false });
  const fmt = { format: (n: number) => (Math.abs(n) >= 10000 ? grouped : plain).format(n) };
  const list = (ns: number[]) => [...new Set(ns)].map((n) => fmt.format(n)).join(', ');
  const flags: QaFlag[] = [];
  // Times of day, compared as times ("14h30" = "2:30 p.m." = "14:30").
  const targetTimes = extractTimes(target, lang);
  const sourceTimes = extractTimes(source, sourceLang);
  const missingTimes = sourceTimes.filter((t) => !targetTimes.includes(t));
  const extraTimes = targetTimes.filter((t) => !sourceTimes.includes(t));
  if (missingTimes.length > 0 || extraTimes.length > 0) {
    flags.push({
      code: 'NUMBER_MISMATCH',
      message: missingTimes.length > 0
        ? `time${missingTimes.length > 1 ? 's' : ''} of the source not in the target: ${missingTimes.map(formatMinutes).join(', ')}` + (extraTimes.length > 0 ? ` (the target has ${extraTimes.map(formatMinutes).join(', ')})` : '')
        : `time${extraTimes.length > 1 ? 's' : ''} in the target that the source does not have: ${extraTimes.map(formatMinutes).join(', ')}`,
      subject: formatMinutes(missingTimes[0] ?? extraTimes[0]!),
    });
  }
  if (missing.length > 0) {
    flags.push({
      code: 'NUMBER_MISMATCH',
      message: `number${missing.length > 1 ? 's' : ''} of the source not in the target: ${list(missing)}` + (extra.length > 0 ? ` (the target has ${list(extra)})` : ''),
      subject: fmt.format(missing[0]!),
    });
  } else if (extra.length > 0) {
    flags.push({ code: 'NUMBER_MISMATCH', message: `number${extra.length > 1 ? 's' : ''} in the target that the source does not have: ${list(extra)}`, subject: fmt.format(extra[0]!) });
  }
  return flags;
}

/** A number as written: digits with their separators ("1 234,5", "1,234.5", "802.11"). */
const NUMBER_TOKEN = /(?<![\p{L}\p{N}])\d+(?:[.,]\d+|[ \u00A0\u202F\u2009]\d{3}(?!\d))*/gu;

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b));
}

/* ------------------------------------------------------------------ engine's unknown words, untranslated */

export function checkUnknownWords(target: string, words: readonly string[]): QaFlag[] {
  return [...new Set(words)]
    .filter((w) => countForm(target, w) > 0)
    .map((w) => ({ code: 'UNKNOWN_WORD' as const, message: `the engine did not know "${w}" and left it as it was: check it is the word wanted here`, subject: w }));
}

const LETTERS_AND_DIGITS = /[^\p{L}\p{N}]+/gu;
const COMMON_WORD = /(?<![\p{L}\p{N}])\p{Ll}{3,}/u;

export function checkUntranslated(source: string, target: string): QaFlag[] {
  const key = (s: string) => s.normalize('NFC').toLowerCase().replace(LETTERS_AND_DIGITS, '');
  // Names alone ("Antony Blinken") are the same in every language; a sentence with a common word is not.
  if (!COMMON_WORD.test(source) || key(source) !== key(target)) return [];
  return [{ code: 'UNTRANSLATED', message: 'the target is the source, untranslated', subject: target.trim().slice(0, 40) }];
}

/* ------------------------------------------------------------------ punctuation */

const SPACE = '[ \\u00A0\\u202F\\u2009]';
const SPACE_BEFORE_HIGH = new RegExp(`(?<=[^\\s:;?!])${SPACE}+([:;?!])(?![\\p{L}\\p{N}/])`, 'gu');
const SPACE_INSIDE_QUOTES = new RegExp(`[«“]${SPACE}|${SPACE}[»”]`, 'u');
/** Outer quotation marks (and the name used in messages): the conventions punctuation.ts writes. */
const OUTER_QUOTES: Readonly<Record<string, { open: string; close: string; rule: string }>> = {
  en: { open: '“', close: '”', rule: '“ ” (then ‘ ’ inside)' },
  es: { open: '«', close: '»', rule: '« » (then “ ” inside; RAE)' },
  ca: { open: '«', close: '»', rule: '« » (then “ ” inside; IEC)' },
};

/** `source` (optional) keeps unpaired quotation marks that the source already has from being flagged: a quote spanning sentences. */
export function checkPunctuation(target: string, lang: Lang, source?: string): QaFlag[] {
  const base = baseLang(lang);
  if (base === 'fr') return [];
  const flags: QaFlag[] = [];
  const flag = (message: string, subject: string) => flags.push({ code: 'PUNCTUATION_STYLE', message, subject });
  const text = target.replace(/(?:https?:\/\/|www\.)\S+/giu, ' ');

  const before = [...text.matchAll(SPACE_BEFORE_HIGH)];
  if (before.length > 0) flag(`a space before "${before.map((m) => m[1]).join(' ')}": only French puts one there`, before[0]![0]);

  const quotes = OUTER_QUOTES[base];
  if (quotes) {
    if (SPACE_INSIDE_QUOTES.test(text)) flag('spaces inside quotation marks: only French puts them there', SPACE_INSIDE_QUOTES.exec(text)![0]);
    if (base === 'en' && /[«»]/u.test(text)) flag(`French quotation marks « »: English uses ${quotes.rule}`, '«»');
    if (text.includes('"')) flag(`straight quotation marks ": ${languageName(lang)} uses ${quotes.rule}`, '"');
    const outer = outerQuote(text);
    if (outer !== undefined && outer !== quotes.open && (base === 'en' ? outer !== '«' : true)) {
      flag(`the outer quotation marks are ${outer}…: ${languageName(lang)} uses ${quotes.rule}`, outer);
    }
    if (!quotesPair(text) && (source === undefined || quotesPair(source))) flag('quotation marks do not pair up (an opening or closing one is missing)', '«»“”');
  }
  const empty = EMPTY_QUOTES.exec(text);
  if (empty && (source === undefined || !EMPTY_QUOTES.test(source))) flag(`empty quotation marks ${empty[0]}: the engine moved the quoted words out of them`, empty[0]);
  if (base === 'es') {
    const missing = [['?', '¿'], ['!', '¡']].filter(([close, open]) => count(text, close!) > count(text, open!));
    for (const [close, open] of missing) flag(`"${close}" without an opening "${open}": Spanish opens questions and exclamations`, close!);
  }
  return flags;
}

/** An opening quotation mark right before its closing one: « », “”, ‘’ (spaces between allowed). */
const EMPTY_QUOTES = /«[\s\u00A0\u202F]*»|“\s*”|‘\s*’/u;

/** The first quotation mark at depth 0, if any (« “ or a straight "). */
function outerQuote(text: string): string | undefined {
  return /[«“]/u.exec(text)?.[0];
}

function quotesPair(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '«' || ch === '“') depth++;
    else if ((ch === '»' || ch === '”') && --depth < 0) return false;
  }
  return depth === 0;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/* ------------------------------------------------------------------ length */

/**
 * Usual bounds of (target characters + 10) / (source characters + 10), per target language. Measured on
 * relais' own Apertium translations of the seed and wikinews-400 (410 French sentences of ≥ 20
 * characters): the 0.5th and 99.5th percentiles were en 0.836 / 1.182, es 0.866 / 1.169,
 * ca 0.831 / 1.177 (medians 1.000, 1.017, 0.991); the bounds are those widened by 10 %. On the
 * 991 sentences of wikinews-1000 (600 of them unseen) they flag 2 (en), 0 (es) and 0 (ca) of the
 * engine's translations; a dropped clause shortens a sentence to ~0.6.
 */
export const LENGTH_BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  en: [0.75, 1.3],
  es: [0.78, 1.29],
  ca: [0.75, 1.3],
};
/** Any other language: wide bounds, for gross errors only. */
const DEFAULT_BOUNDS: readonly [number, number] = [0.5, 2];
/** Below this many source characters ratios are noise ("Non." → "No."). */
export const LENGTH_MIN_SOURCE = 20;
/** Added to both lengths: short sentences vary more, so their ratio is damped. */
const LENGTH_SMOOTHING = 10;

export function lengthRatio(source: string, target: string): number {
  const len = (s: string) => [...s.trim().replace(/\s+/gu, ' ')].length;
  return (len(target) + LENGTH_SMOOTHING) / (len(source) + LENGTH_SMOOTHING);
}

export function checkLength(source: string, target: string, lang: Lang): QaFlag[] {
  if ([...source.trim()].length < LENGTH_MIN_SOURCE || target.trim() === '') {
    return target.trim() === '' && source.trim() !== '' ? [{ code: 'LENGTH_RATIO', message: 'the target is empty', subject: '' }] : [];
  }
  const [lo, hi] = LENGTH_BOUNDS[baseLang(lang)] ?? DEFAULT_BOUNDS;
  const r = lengthRatio(source, target);
  if (r >= lo && r <= hi) return [];
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return [{
    code: 'LENGTH_RATIO',
    message: `the target is ${pct(r)} of the source's length; ${languageName(lang)} translations are usually ${pct(lo)}–${pct(hi)}: ${r < lo ? 'something may be missing' : 'something may be added or repeated'}`,
    subject: r.toFixed(2),
  }];
}

/* ------------------------------------------------------------------ i18next */

/** i18next's default interpolation and nesting syntax (Interpolator: `{{(.+?)}}`, `$t(…)`). */
const INTERPOLATION = /\{\{(.+?)\}\}/u;
const NESTING = /\$t\((?:[^()"']|"[^"]*"|'[^']*'|\((?:[^()"']|"[^"]*"|'[^']*')*\))*?\)/u;
/** An HTML element or react-i18next <Trans> tag: <b>, </b>, <br/>, <0>, <a href="…">. */
const HTML_TAG = /<\/?(?:[A-Za-z][A-Za-z0-9-]*|\d+)(?:\s[^<>]*)?\/?>/u;

export function checkI18nextSyntax(target: string): QaFlag[] {
  const flags: QaFlag[] = [];
  const safe = 'relais\' bundles are read safely with its i18nextReadOptions, but';
  const interpolation = INTERPOLATION.exec(target);
  if (interpolation) {
    flags.push({ code: 'I18NEXT_SYNTAX', message: `${safe} i18next with default options would replace "${interpolation[0]}" by the value of "${interpolation[1]!.trim()}" (interpolation)`, subject: interpolation[0] });
  }
  const nesting = NESTING.exec(target);
  if (nesting) {
    flags.push({ code: 'I18NEXT_SYNTAX', message: `${safe} i18next with default options would replace "${nesting[0]}" by another translation (nesting)`, subject: nesting[0] });
  }
  const tag = HTML_TAG.exec(target);
  if (tag) {
    flags.push({ code: 'I18NEXT_SYNTAX', message: `"${tag[0]}" is an HTML tag: i18next leaves it as text, but react-i18next's <Trans> and any page that inserts the text as HTML would interpret it`, subject: tag[0] });
  }
  return flags;
}

/* ------------------------------------------------------------------ source */

export function checkSource(source: string, sourceLang: Lang): QaFlag[] {
  const rules = rulesFor(sourceLang);
  if (!rules) return [];
  return findSourceFlaws(source, rules).map((f) => ({
    code: f.code,
    message: `the source: ${f.message}`,
    subject: source.slice(Math.max(0, f.offset - 12), f.offset + f.length + 12).trim(),
  }));
}

const rulesCache = new Map<string, SegmentRules | null>();

/** Source flaws are defined with a language's segmentation rules (fr only today): none for the others. */
function rulesFor(lang: Lang): SegmentRules | undefined {
  const base = baseLang(lang);
  if (!rulesCache.has(base)) {
    try {
      rulesCache.set(base, loadSegmentRules(base));
    } catch {
      rulesCache.set(base, null);
    }
  }
  return rulesCache.get(base) ?? undefined;
}

/** Made when first needed: loading its ICU data costs ~10 ms, at every start of the command line otherwise. */
let names: Intl.DisplayNames | undefined;

/** "es" → "Spanish", "en-GB" → "British English" (the review page is in English). */
function languageName(lang: Lang): string {
  try {
    names ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return names.of(lang) ?? lang;
  } catch {
    return lang;
  }
}

function baseLang(lang: Lang): string {
  return lang.toLowerCase().split(/[-_]/u)[0]!;
}
