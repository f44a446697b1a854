/**
 * Round-trip risk: the target is translated back to the source language with the offline engine
 * (es→fr, ca→fr, oc→fr, and en→es→fr with Apertium) and compared with the source. A translation
 * whose back-translation has drifted far from the source is more likely to be wrong, so reviewers can
 * take the riskiest segments first.
 *
 * The comparison (`scoreRoundTrip`) is 1 − chrF++ (Popović 2015, 2017): the F-score, recall weighted
 * twice (β = 2), of character 1–6-grams and word 1–2-grams. Why this measure:
 *  - characters, not words: a rule-based round trip rarely comes back with the same inflection
 *    ("a démontré" for "avait démontré"); character n-grams give partial credit where word matching
 *    gives none, which keeps the engine's own translations low-risk;
 *  - word bigrams (the ++) and character n-grams across word boundaries make word order count, so a
 *    shuffled sentence scores worse;
 *  - recall weighted over precision: a dropped clause is the costlier error, and an engine's back
 *    translation tends to add small words ("de la") that should cost little;
 *  - a changed number or a flipped negation touches few characters but changes the meaning: each such
 *    difference between source and back-translation lowers the similarity further (×0.8).
 * Two blind spots of any round trip are covered from the back-translation pass itself:
 *  - an untranslated target (the French text) comes back almost unchanged: the back-translating
 *    engine does not know most of its words, so the share of words it marked unknown lowers the
 *    similarity in proportion; a target equal to the source is risk 1 outright;
 *  - glossary names: "Kyiv" comes back "Kyiv", not "Kiev", and the engine does not know it. Every
 *    other form of a name the source holds (source variants, every language's target form) is
 *    renamed to the source's form in the back-translation, and is not an unknown word. (Placeholders,
 *    as the translate stage uses, were tried: they lose the article's agreement — "the United States"
 *    came back "l'États-Unis" — and lowered the engine's own risk less.)
 * The score is a number in [0, 1]: 0 = the back-translation is the source, 1 = nothing in common.
 */
import type { Glossary, GlossaryTerm, Lang } from '../artifacts.js';
import type { Engine } from '../engines/engine.js';
import { RelaisError } from '../errors.js';
import { buildMatcher, countForm, findTermOccurrences } from '../glossary/match.js';
import type { ReviewArticle } from './review-model.js';

/* ------------------------------------------------------------------ scoring (pure) */

export interface RoundTripSignals {
  /**
   * Share (0–1) of the target's words the back-translating engine did not know. An untranslated or
   * garbled target round-trips well but is full of words the engine does not know. @default 0
   */
  unknownShare?: number;
  /** The target itself: a target equal to the source (untranslated) is risk 1. */
  target?: string;
}

/** chrF++ parameters: character n-grams up to 6, word n-grams up to 2, recall weighted β = 2. */
const CHAR_ORDER = 6;
const WORD_ORDER = 2;
const BETA = 2;
/** What one changed number or one flipped negation leaves of the similarity. */
const MEANING_FACTOR = 0.8;

/**
 * Risk of a translation from its back-translation: 1 − chrF++(backTranslation vs source), lowered
 * further by numbers or negations that differ and by the share of unknown words. Pure; 0–1.
 */
export function scoreRoundTrip(source: string, backTranslation: string, signals: RoundTripSignals = {}): number {
  // Names alone ("Antony Blinken") are written the same in every language; a sentence with a common word is not.
  if (signals.target !== undefined && sameText(signals.target, source) && /(?<![\p{L}\p{N}])\p{Ll}{3,}/u.test(source)) return 1;
  const a = normalize(source);
  const b = normalize(backTranslation);
  if (a === '' && b === '') return 0;
  if (a === '' || b === '') return 1;
  let similarity = chrFpp(a, b);
  similarity *= MEANING_FACTOR ** (numberDifferences(source, backTranslation) + negationDifferences(source, backTranslation));
  similarity *= 1 - clamp01(signals.unknownShare ?? 0);
  return round4(clamp01(1 - similarity));
}

/** chrF++ of a hypothesis against a reference, both normalized: average P and R over all orders, then F_β. */
export function chrFpp(reference: string, hypothesis: string): number {
  let p = 0;
  let r = 0;
  let orders = 0;
  const add = (ref: Map<string, number>, hyp: Map<string, number>) => {
    const refTotal = total(ref);
    const hypTotal = total(hyp);
    if (refTotal === 0 || hypTotal === 0) return;
    let match = 0;
    for (const [g, n] of hyp) match += Math.min(n, ref.get(g) ?? 0);
    p += match / hypTotal;
    r += match / refTotal;
    orders++;
  };
  for (let n = 1; n <= CHAR_ORDER; n++) add(charGrams(reference, n), charGrams(hypothesis, n));
  const refWords = reference.split(' ');
  const hypWords = hypothesis.split(' ');
  for (let n = 1; n <= WORD_ORDER; n++) add(wordGrams(refWords, n), wordGrams(hypWords, n));
  if (orders === 0) return 0;
  p /= orders;
  r /= orders;
  return p + r === 0 ? 0 : ((1 + BETA ** 2) * p * r) / (BETA ** 2 * p + r);
}

function charGrams(s: string, n: number): Map<string, number> {
  const chars = [...s];
  const out = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

function wordGrams(words: readonly string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const g = words.slice(i, i + n).join(' ');
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

function total(m: Map<string, number>): number {
  let t = 0;
  for (const n of m.values()) t += n;
  return t;
}

/** Lowercase letters and digits, one space between words: typography is not meaning. */
function normalize(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/[’‘ʼ]/gu, "'").replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ').trim();
}

function sameText(a: string, b: string): boolean {
  return normalize(a) === normalize(b);
}

/**
 * Numbers of one side the other lacks, by their digits: Apertium copies digits through but not
 * notations or scales ("2,6 milliards" may come back "2.6 mille millions" or "2600 millions"), so a
 * number is its significant digits (2,6 = 2.6 = 2600 → "26"; 1 234,5 = 1,234.5 → "12345"). A number
 * changed into another counts once.
 */
function numberDifferences(source: string, back: string): number {
  const left = numberSignatures(back);
  let missing = 0;
  for (const sig of numberSignatures(source)) {
    const i = left.indexOf(sig);
    if (i < 0) missing++;
    else left.splice(i, 1);
  }
  return Math.max(missing, left.length);
}

/** A digit run with its group and decimal separators ("1 234,5", "1,234.5", "2.600"). */
const NUMBER = /(?<![\p{L}\p{N}])\d+(?:[.,]\d+|[ \u00A0\u202F\u2009]\d{3}(?!\d))*/gu;

function numberSignatures(text: string): string[] {
  return (text.match(NUMBER) ?? []).map((n) => n.replace(/\D/gu, '').replace(/^0+(?=\d)/u, '').replace(/(?<=\d)0+$/u, ''));
}

/**
 * Verbal negations: French writes each with one "ne" / "n’" (ne … pas, jamais, rien, plus, personne,
 * aucun). "non", "sans" and "ni" are left out: they are as often part of a word's meaning ("non
 * fondées") that a back-translation may render without them.
 */
const NEGATION = /(?<![\p{L}])(?:ne(?![\p{L}])|n['’ʼ](?=\p{L}))/giu;

function negationDifferences(source: string, back: string): number {
  const count = (s: string) => (s.match(NEGATION) ?? []).length;
  return Math.abs(count(source) - count(back));
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/* ------------------------------------------------------------------ back-translation */

export interface BackTranslateOptions {
  /**
   * With `sources` (one per text): the glossary names of each source come back in the source's form
   * ("Kyiv" → "Kiev"), and are not counted as words the engine did not know.
   */
  glossary?: Glossary;
  sources?: readonly string[];
  signal?: AbortSignal;
}

export interface BackTranslation {
  text: string;
  /** Words of the target the back-translating engine did not know (glossary names excluded). */
  unknownWords: string[];
  /** Words in the target: the denominator of `unknownShare`. */
  targetWords: number;
}

/** The language back-translations go to: the source of the articles. */
const BACK_TO: Lang = 'fr';

/** Each text translated back to French, glossary names in the source's form (see the top of this file). */
export async function backTranslate(engine: Engine, lang: Lang, texts: readonly string[], options: BackTranslateOptions = {}): Promise<string[]> {
  return (await backTranslateDetailed(engine, lang, texts, options)).map((b) => b.text);
}

/** `backTranslate`, with the words the engine did not know on the way (glossary names excluded). */
export async function backTranslateDetailed(engine: Engine, lang: Lang, texts: readonly string[], options: BackTranslateOptions = {}): Promise<BackTranslation[]> {
  if (!engine.supports(lang, BACK_TO)) {
    throw new RelaisError('LANGUAGE_UNSUPPORTED', `engine ${engine.info.id} cannot translate ${lang} → ${BACK_TO}, so there is no round-trip risk for ${lang}`, {
      hint: 'Apertium translates es, ca, oc and en (through es) back to French.',
    });
  }
  const results = await engine.translate(lang, BACK_TO, texts.map((text, i) => ({ id: String(i), text })), options.signal);
  return results.map((r, i) => {
    const names = options.glossary && options.sources?.[i] !== undefined ? nameForms(options.sources[i]!, options.glossary) : new Map<string, string>();
    const isName = (w: string) => [...names.keys(), ...names.values()].some((f) => countForm(f, w) > 0);
    const unknownWords = [...new Set(r.unknownWords.map((w) => w.word).filter((w) => /\p{L}/u.test(w) && !isName(w)))];
    return { text: renameForms(r.text, names), unknownWords, targetWords: countWords(texts[i]!) };
  });
}

function countWords(text: string): number {
  return (text.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? []).length;
}

/**
 * For each glossary name of `source`: its other forms (source variants, every language's target form)
 * → the form the source uses. "Kyiv" (en), "Kíiv" (ca) → "Kiev"; the engine's own back-translation
 * of a name it knows ("Moscú" → "Moscou") needs nothing.
 */
function nameForms(source: string, glossary: Glossary): Map<string, string> {
  const occurrences = findTermOccurrences(source, glossary);
  const inSource = new Set(occurrences.map((o) => o.form));
  const out = new Map<string, string>();
  for (const o of occurrences) {
    const term = termById(glossary, o.termId);
    if (!term) continue;
    for (const f of [...term.forms, ...Object.values(term.targets).map((t) => t.form)]) {
      if (!inSource.has(f) && !out.has(f)) out.set(f, o.form);
    }
  }
  return out;
}

function renameForms(text: string, names: ReadonlyMap<string, string>): string {
  if (names.size === 0) return text;
  let out = '';
  let at = 0;
  for (const o of buildMatcher([...names.keys()].map((f) => ({ id: f, forms: [f] }))).find(text)) {
    out += text.slice(at, o.start) + names.get(o.termId)!;
    at = o.end;
  }
  return out + text.slice(at);
}

const termsById = new WeakMap<readonly GlossaryTerm[], Map<string, GlossaryTerm>>();

function termById(glossary: Glossary, id: string): GlossaryTerm | undefined {
  let map = termsById.get(glossary.terms);
  if (!map) termsById.set(glossary.terms, (map = new Map(glossary.terms.map((t) => [t.id, t]))));
  return map.get(id);
}

/* ------------------------------------------------------------------ everything at once */

export interface RoundTripResult {
  /** 0 (safe) … 1 (likely wrong). */
  risk: number;
  backTranslation: string;
  unknownWords: string[];
}

/** Back-translate a batch of (source, target) pairs of one language and score each. */
export async function assessRoundTrip(
  engine: Engine,
  lang: Lang,
  pairs: ReadonlyArray<{ source: string; target: string }>,
  options: Omit<BackTranslateOptions, 'sources'> = {},
): Promise<RoundTripResult[]> {
  const backs = await backTranslateDetailed(engine, lang, pairs.map((p) => p.target), { ...options, sources: pairs.map((p) => p.source) });
  return backs.map((b, i) => ({
    risk: scoreRoundTrip(pairs[i]!.source, b.text, { target: pairs[i]!.target, unknownShare: b.targetWords === 0 ? 0 : b.unknownWords.length / b.targetWords }),
    backTranslation: b.text,
    unknownWords: b.unknownWords,
  }));
}

/** Round-trip results by language, source and text: an edit is back-translated once, the other rows not again. */
export type RoundTripCache = Map<string, RoundTripResult>;

/**
 * The review view with `risk` and `backTranslation` on every row, computed on its current text. Rows
 * already in `cache` are not sent to the engine again. A language the engine cannot translate back
 * (eo with Apertium) is returned unchanged: no risk is invented.
 */
export async function withRoundTripRisk(
  article: ReviewArticle,
  engine: Engine,
  options: { glossary?: Glossary; cache?: RoundTripCache; signal?: AbortSignal } = {},
): Promise<ReviewArticle> {
  const lang = article.targetLang;
  if (!engine.supports(lang, BACK_TO)) return article;
  const cache = options.cache ?? new Map<string, RoundTripResult>();
  const key = (s: { source: string; current: string }) => `${lang}\u0000${s.source}\u0000${s.current}`;
  const todo = article.segments.filter((s) => !cache.has(key(s)));
  if (todo.length > 0) {
    const results = await assessRoundTrip(engine, lang, todo.map((s) => ({ source: s.source, target: s.current })), {
      ...(options.glossary ? { glossary: options.glossary } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    todo.forEach((s, i) => cache.set(key(s), results[i]!));
  }
  return {
    ...article,
    segments: article.segments.map((s) => {
      const r = cache.get(key(s))!;
      return { ...s, risk: r.risk, backTranslation: r.backTranslation };
    }),
  };
}
