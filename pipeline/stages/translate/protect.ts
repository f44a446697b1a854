/**
 * Source segment → the text the engine gets. Three things happen here, all recorded so that
 * `restoreSegment` can undo them on the engine's output:
 *  - source flaws are cleaned (a stray full stop, doubled spaces) — the engine gets a cleaned copy;
 *  - amounts become opaque placeholders (the engine mangles "2,6 milliards"; Intl formats them back);
 *  - glossary names are either left to the engine (which keeps the grammar around names it knows, and
 *    whose rendering is rewritten afterwards) or replaced by placeholders (person names, and any term
 *    whose rendering could not be found in a first attempt). Measured in README "Glossary enforcement".
 */
import type { Glossary, GlossaryTerm, QaFlag } from '../../artifacts.js';
import { findTermOccurrences, formKey, sourceVariants } from '../../glossary/match.js';
import { cleanForEngine } from '../segment/source-flaws.js';
import { findAmounts, type Amount } from './amounts.js';

export type Protection =
  | { type: 'term'; term: GlossaryTerm; form: string; strategy: 'engine'; frenchArticle: boolean; frenchDetermined: boolean }
  | {
      type: 'term';
      term: GlossaryTerm;
      form: string;
      strategy: 'placeholder';
      token: string;
      /** French article that stood before the name and was folded into the placeholder. */
      frenchArticle: boolean;
      /** The name ends a French noun phrase that has its determiner already ("les puissants États-Unis"). */
      frenchDetermined: boolean;
    }
  | { type: 'amount'; amount: Amount; token: string }
  /** A run of letters too long to be a word: kept as written (Apertium takes minutes on one). */
  | {
      type: 'verbatim';
      text: string;
      token: string;
      /** Why it is kept as written: a run of letters too long to be a word, a web or e-mail address, or syntax for the bundle's reader. @default 'long-word' */
      kind?: 'long-word' | 'address' | 'markup';
      /** A space put between the token and a letter next to it ("<b>gras</b>" → "ZZVA gras ZZVB", so the engine sees the word), taken out again on the way back. */
      padded?: { before: boolean; after: boolean };
    };

export interface PreparedSegment {
  id: string;
  source: string;
  /** What the engine is given. */
  engineText: string;
  flaws: QaFlag[];
  protections: Protection[];
}

/** Letter-only tokens survive every Apertium pair unchanged (35/35 in NOTES.md); `__G1__` does not. */
const TOKEN_PREFIX = { term: 'ZZG', verbatim: 'ZZV' } as const;

/**
 * Longer than any word (the longest French dictionary words have about 25 letters): an identifier, a
 * hash, a URL fragment, or garbage. fra-cat spends a minute on one 100,000-letter "word".
 */
const LONG_WORD = /[\p{L}\p{N}\p{M}_-]{60,}/gu;

/**
 * Web and e-mail addresses: kept as written, never given to the engine (fra-cat turned
 * "marie.la-chatte@maison.fr" into "casa.la-chatte@…" and "/le-chat/la-maison?ville=Paris" into
 * "/le-gat/la-casa?ciutat=París"). A final . , ; : ! ? ) belongs to the sentence.
 */
/**
 * Social-media handles and hashtags (`@OTAN`, `@Kiev`, `#Ukraine`): an account's name is not a word to
 * translate, nor a glossary name to rewrite (Apertium made "@la OTAN", the glossary "@Kyiv", another account).
 */
const HANDLE = /(?<![\p{L}\p{N}_@#.])[@#]\p{L}[\p{L}\p{N}_]*/gu;

/**
 * What the reader of a bundle takes for syntax, not prose — i18next interpolation and nesting
 * (`{{count}}`, `{{- user}}`, `$t(home.title)`), markup tags (`<b>`, `</b>`, `<br/>`) and character
 * references (`&amp;`, `&#38;`, an escaped tag `&lt;script&gt;` whole) — kept as written: Apertium turned "{{y}}" into "{{#<prn>}}",
 * "$t(accueil.titre)" into "$t(accueil.ti*tre)" and "{{- user}}" into "{{- usar}}".
 */
const MARKUP = /\{\{[^{}\n]{0,200}\}\}|\$t\([^()\n]{0,200}\)|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]{0,200})?\/?>|&lt;\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>&\n]{0,200})?\/?&gt;|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});/gu;

/**
 * The marker of a list item at the start of a segment ("a) pour les couples", "2) Méthode"): Apertium
 * read "a)" as the verb avoir ("has)", "tiene)", "ha)").
 */
const LIST_MARKER = /^[ \t]*(?:\p{Ll}|\d{1,3})\)(?=[ \t])/gu;

const ADDRESS = /(?:https?:\/\/|www\.)[^\s<>«»"“”]*[^\s<>«»"“”.,;:!?)]|(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/giu;

/**
 * Amounts stand in as numbers, not letters: Apertium tags a number as a numeral, so the words around it
 * keep their grammar — a letter token is an unknown word, and after one English lost its nouns ("14 000
 * soldats" came out "14,000 soldered", "250 000 civils" "250,000 civil"; with a number: "soldiers",
 * "civilians", "There are"). Every pair copies a run of digits unchanged (Esperanto marks it `#`, which
 * is removed with the other marks). Seven digits, from 9900001: no amount's own spelling, and never
 * one the source holds (`nextToken`).
 */
const AMOUNT_TOKEN = 'amount';

function tokenFor(prefix: string, n: number): string {
  if (prefix === AMOUNT_TOKEN) return String(FIRST_AMOUNT_TOKEN + n);
  return prefix + tokenLetters(n);
}
const FIRST_AMOUNT_TOKEN = 9_900_001;

/** The n-th amount's number token (0 → "9900001"), and back. */
export const amountIndexOf = (token: string): number => Number(token) - FIRST_AMOUNT_TOKEN;

/** 0 → A, 25 → Z, 26 → AA… */
export function tokenLetters(n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(65 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

/** Kinds whose names are placeholders from the start: nothing around a person's name agrees with it. */
const PLACEHOLDER_KINDS = new Set(['person']);

/** French definite articles (and article+preposition contractions) that can be folded into a placeholder. */
const FRENCH_ARTICLE_BEFORE = /(^|[\s(«“"])(?:(l[’']|la |le |les )|(du |des |au |aux ))$/iu;
/** The same, also with an opening quotation mark between the article and the name ("la « Fédération »"). */
const FRENCH_ARTICLE_BEFORE_QUOTE = /(^|[\s(«“"])(?:(l[’']|la |le |les )|(du |des |au |aux ))(?:[«“"][ \u00A0\u202F]*)?$/iu;

/**
 * A determiner, then one or two lowercase words, right before the name: "les puissants États-Unis",
 * "cette grande Fédération de Russie", "l’ancienne Union soviétique". The name is the head of a noun
 * phrase that has its determiner, so the target needs no article of its own before it. (French puts
 * no verb between a determiner and a name; prepositions and conjunctions are excluded below.)
 */
const FRENCH_DETERMINED_BEFORE =
  /(?:^|[^\p{L}])(?:(?:le|la|les|un|une|des|du|au|aux|ce|cet|cette|ces|mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|vos|leur|leurs|chaque|plusieurs)\s+|l[’'])(\p{Ll}[\p{L}\p{M}-]*)(?:\s+(\p{Ll}[\p{L}\p{M}-]*))?\s+$/iu;
const FRENCH_NOT_IN_NOUN_PHRASE = new Set(['de', 'à', 'en', 'et', 'ou', 'que', 'qui', 'pour', 'par', 'avec', 'sans', 'sous', 'sur', 'dans', 'contre', 'entre', 'vers', 'chez', 'depuis', 'pendant', 'selon', 'est', 'sont', 'a', 'ont', 'ne', 'pas', 'se', 'y', 'comme', 'dont', 'où', 'mais']);

/** Does the name at `start` end a French noun phrase whose determiner comes before an adjective? */
export function frenchDeterminedBefore(text: string, start: number): boolean {
  const m = FRENCH_DETERMINED_BEFORE.exec(text.slice(Math.max(0, start - 60), start));
  // Lowercase words only (the regular expression is case-insensitive for the determiners): a capital is a name's.
  return m !== null && [m[1], m[2]].every((w) => w === undefined || (w === w.toLowerCase() && !FRENCH_NOT_IN_NOUN_PHRASE.has(w)));
}

export function prepareSegment(
  id: string,
  source: string,
  glossary: Glossary,
  options: {
    /** Terms to replace by placeholders even if their kind is left to the engine (a failed first attempt). */
    forcePlaceholder?: ReadonlySet<string>;
    /** No placeholders at all (amounts and names go to the engine as written): the fallback when an engine lost them. */
    placeholders?: boolean;
  } = {},
): PreparedSegment {
  const usePlaceholders = options.placeholders ?? true;
  const cleaned = cleanForEngine(source);
  const text = cleaned.text;
  const flaws: QaFlag[] = cleaned.flaws.map((f) => ({ code: f.code, message: f.message, subject: source.slice(f.offset, f.offset + f.length + 12).trim() }));
  const terms = new Map(glossary.terms.map((t) => [t.id, t]));

  type Span = { start: number; end: number; replacement: string; protection: Protection };
  const spans: Span[] = [];
  const protections: Protection[] = [];
  // Tokens the source does not hold already ("ZZNA" in a product code would be taken for the placeholder).
  const counters: Record<string, number> = {};
  const nextToken = (prefix: string) => {
    let token: string;
    do token = tokenFor(prefix, (counters[prefix] = (counters[prefix] ?? -1) + 1));
    while (text.includes(token));
    return token;
  };

  // Addresses and markup first: the digits of a URL are no amount, its words no names.
  const kept: Array<{ start: number; end: number }> = [];
  const overlapsKept = (s: number, e: number) => kept.some((a) => s < a.end && e > a.start);
  for (const [pattern, kind] of [[LIST_MARKER, 'markup'], [ADDRESS, 'address'], [HANDLE, 'address'], [MARKUP, 'markup']] as const) {
    for (const m of usePlaceholders ? text.matchAll(pattern) : []) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlapsKept(start, end)) continue;
      kept.push({ start, end });
      const token = nextToken(TOKEN_PREFIX.verbatim);
      const word = /[\p{L}\p{N}]/u;
      const padded = kind === 'markup' ? { before: word.test(text[start - 1] ?? ''), after: word.test(text[end] ?? '') } : undefined;
      const replacement = `${padded?.before ? ' ' : ''}${token}${padded?.after ? ' ' : ''}`;
      spans.push({ start, end, replacement, protection: { type: 'verbatim', text: m[0], token, kind, ...(padded && (padded.before || padded.after) ? { padded } : {}) } });
    }
  }
  const amounts = usePlaceholders ? findAmounts(text).filter((a) => !overlapsKept(a.start, a.end)) : [];
  for (const amount of amounts) {
    const token = nextToken(AMOUNT_TOKEN);
    const p: Protection = { type: 'amount', amount, token };
    spans.push({ start: amount.start, end: amount.end, replacement: token, protection: p });
  }
  const overlapsAmount = (s: number, e: number) => amounts.some((a) => s < a.end && e > a.start);
  for (const m of usePlaceholders ? text.matchAll(LONG_WORD) : []) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlapsAmount(start, end) || overlapsKept(start, end)) continue;
    kept.push({ start, end });
    const token = nextToken(TOKEN_PREFIX.verbatim);
    spans.push({ start, end, replacement: token, protection: { type: 'verbatim', text: m[0], token } });
  }
  const overlapsLong = overlapsKept;

  for (const occ of findTermOccurrences(text, glossary)) {
    if (overlapsAmount(occ.start, occ.end) || overlapsLong(occ.start, occ.end)) continue;
    const term = terms.get(occ.termId)!;
    const placeholder = usePlaceholders && (PLACEHOLDER_KINDS.has(term.kind) || options.forcePlaceholder?.has(term.id) === true);
    if (!placeholder) {
      const frenchArticle = FRENCH_ARTICLE_BEFORE_QUOTE.test(text.slice(Math.max(0, occ.start - 12), occ.start));
      // Another spelling of the form ("Otan", "Etats-Unis") reaches the engine as the glossary writes it,
      // which the engine knows (its gender, its article): "l'Otan" had become "el Otan" in Spanish.
      const canonical = canonicalForm(term, occ.form);
      const p: Protection = { type: 'term', term, form: canonical, strategy: 'engine', frenchArticle, frenchDetermined: !frenchArticle && frenchDeterminedBefore(text, occ.start) };
      if (canonical === occ.form) protections.push(p);
      else spans.push({ start: occ.start, end: occ.end, replacement: canonical, protection: p });
      continue;
    }
    const token = nextToken(TOKEN_PREFIX.term);
    let start = occ.start;
    let replacement = token;
    let frenchArticle = false;
    if (term.kind !== 'person') {
      const m = FRENCH_ARTICLE_BEFORE.exec(text.slice(Math.max(0, start - 8), start));
      if (m) {
        frenchArticle = true;
        const folded = (m[2] ?? m[3])!;
        start -= folded.length;
        // du/des → de, au/aux → à: the preposition stays for the engine, the article goes with the name.
        if (m[3]) replacement = `${/^d/i.test(folded) ? matchCase(folded, 'de') : matchCase(folded, 'à')} ${token}`;
      }
    }
    const frenchDetermined = !frenchArticle && frenchDeterminedBefore(text, occ.start);
    const p: Protection = { type: 'term', term, form: occ.form, strategy: 'placeholder', token, frenchArticle, frenchDetermined };
    spans.push({ start, end: occ.end, replacement, protection: p });
  }

  spans.sort((a, b) => a.start - b.start);
  let engineText = '';
  let at = 0;
  for (const s of spans) {
    engineText += text.slice(at, s.start) + s.replacement;
    at = s.end;
    protections.push(s.protection);
  }
  engineText += text.slice(at);
  return { id, source, engineText, flaws, protections };
}

/** The glossary's own form of which `found` is another spelling (see `sourceVariants`), or `found`. */
function canonicalForm(term: GlossaryTerm, found: string): string {
  const key = formKey(found);
  if (term.forms.some((f) => formKey(f) === key)) return found;
  return term.forms.find((f) => sourceVariants(f).some((v) => formKey(v) === key)) ?? found;
}

function matchCase(model: string, word: string): string {
  return /^\p{Lu}/u.test(model) ? word[0]!.toUpperCase() + word.slice(1) : word;
}

/** Placeholder tokens in engine output, to tell them apart from real unknown words. */
export const TOKEN_PATTERN = /ZZ[GV][A-Z]+|99\d{5}/u;
