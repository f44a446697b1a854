/**
 * Finding glossary names in a text, and counting target forms in a translation. Pure.
 *
 * Rules (shared by `findTermOccurrences` and `countForm`):
 *  - Case-sensitive on the form as written; text and forms are compared in Unicode NFC (offsets are
 *    still reported in the caller's text, even when it is not NFC). In the source, two spellings of a
 *    form are found too (`sourceVariants`): "Otan" for OTAN, "Etats-Unis" for États-Unis.
 *  - Whole words only. Letters, digits and combining marks (\p{L}\p{N}\p{M}) are word characters;
 *    everything else — spaces, punctuation, the apostrophes ' and ’, hyphens — is a boundary. So
 *    `l’OTAN`, `d’Allemagne` and `Moscou-Kiev` (both names) match, and so does `anti-OTAN` (the name is
 *    still the name: it must be translated as the glossary says). `pro-russes` does not match a term
 *    `Russe`: matching is case-sensitive and whole-word, so `russes` is neither `Russe` nor `Russes`.
 *    A boundary is only required where the form itself begins/ends with a word character.
 *  - Typographic variants are one character: ' ’ ‘ ʼ are the same apostrophe and ‐ ‑ are '-'; a space
 *    in a form matches any run of whitespace in the text (space, NBSP U+00A0, NNBSP U+202F…).
 *  - Leftmost, then longest match wins, and matches never overlap: "Fédération de Russie" is one
 *    occurrence (not "Russie"), "Antony Blinken" one (not "Blinken").
 *
 * Speed: `buildMatcher` indexes every form by its first word (or first character when the form starts
 * with punctuation). Matching walks the words of the text once and only tries the forms that start
 * with that word, longest first: cost ~ words in text × forms sharing a first word, independent of the
 * glossary size. A matcher is built once per glossary (cached) and once per counted form (cached).
 */
import type { Glossary, GlossaryTerm, TermOccurrence } from '../artifacts.js';

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const FIRST_WORD = /^[\p{L}\p{N}\p{M}]+/u;
const WORD_RUN_AT = /[\p{L}\p{N}\p{M}]+/uy;
const APOSTROPHES = /[\u2018\u2019\u02BC]/g;
const HYPHENS = /[\u2010\u2011]/g;
const WHITESPACE_RUN = /\s+/gu;

/**
 * The comparison form of a glossary form: NFC, trimmed, inner whitespace collapsed to one space,
 * apostrophes and hyphens unified. Two forms with the same key match exactly the same texts.
 */
export function formKey(form: string): string {
  return form.normalize('NFC').trim().replace(WHITESPACE_RUN, ' ').replace(APOSTROPHES, "'").replace(HYPHENS, '-');
}

/** Same-length (per UTF-16 unit) canonicalisation of a text, so offsets are kept. */
function canonText(text: string): string {
  return text.replace(APOSTROPHES, "'").replace(HYPHENS, '-');
}

function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 0x80) return false;
  return /\s/u.test(String.fromCharCode(code));
}

function isWordAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const cp = s.codePointAt(i)!;
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** Is the code point that ends just before index `i` a word character? */
function isWordBefore(s: string, i: number): boolean {
  if (i <= 0) return false;
  let j = i - 1;
  const c = s.charCodeAt(j);
  if (c >= 0xdc00 && c <= 0xdfff && j > 0) {
    const h = s.charCodeAt(j - 1);
    if (h >= 0xd800 && h <= 0xdbff) j--;
  }
  return isWordAt(s, j);
}

interface Entry {
  key: string;
  termId: string;
  /** Whether the form begins/ends with a word character (then a boundary is required there). */
  wordStart: boolean;
  wordEnd: boolean;
  order: number;
}

export interface TermMatcher {
  /** Number of distinct forms indexed. */
  readonly size: number;
  /** Occurrences in `text`, sorted by start, non-overlapping, longest first at a position. */
  find(text: string): TermOccurrence[];
}

/**
 * The ways newsrooms also write a source form: an acronym of three or more capitals in title case
 * ("Otan", "Onu": AFP, Le Monde, Libération), and a leading accented capital without its accent
 * ("Etats-Unis", "Elysée": AFP's and many CMSs' spelling). Only for finding names in the source: a
 * target form is counted as the glossary writes it.
 */
export function sourceVariants(form: string): string[] {
  const out: string[] = [];
  if (/^\p{Lu}{3,}$/u.test(form)) out.push(form[0] + form.slice(1).toLowerCase());
  const bare = form[0]!.normalize('NFD').replace(/\p{M}+/gu, '');
  if (/^\p{Lu}$/u.test(bare) && bare !== form[0]) out.push(bare + form.slice(1));
  return out;
}

/** Precompile the forms of a glossary (or any list of terms) for repeated matching. */
export function buildMatcher(glossary: Pick<Glossary, 'terms'> | readonly Pick<GlossaryTerm, 'id' | 'forms'>[], o: { variants?: boolean } = {}): TermMatcher {
  const terms = Array.isArray(glossary) ? (glossary as readonly Pick<GlossaryTerm, 'id' | 'forms'>[]) : (glossary as Pick<Glossary, 'terms'>).terms;
  const byWord = new Map<string, Entry[]>();
  const bySymbol = new Map<string, Entry[]>();
  const seen = new Set<string>();
  let order = 0;
  // The glossary's own forms first: a variant never takes a form another term writes that way.
  const forms = terms.flatMap((term) => term.forms.map((form) => ({ term, form })));
  if (o.variants) for (const term of terms) for (const form of term.forms) for (const v of sourceVariants(form)) forms.push({ term, form: v });
  for (const { term, form } of forms) {
    const key = formKey(form);
    if (key === '' || seen.has(key)) continue; // the parser reports duplicates; first definition wins
    seen.add(key);
    const first = FIRST_WORD.exec(key);
    const entry: Entry = { key, termId: term.id, wordStart: first !== null, wordEnd: isWordBefore(key, key.length), order: order++ };
    const map = first ? byWord : bySymbol;
    const k = first ? first[0] : key[0]!;
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(entry);
  }
  // Longest first (by comparison form; a space in a form may match a longer run, that does not change
  // the order of forms sharing a prefix), then in definition order.
  for (const list of [...byWord.values(), ...bySymbol.values()]) list.sort((a, b) => b.key.length - a.key.length || a.order - b.order);

  const size = seen.size;
  return {
    size,
    find(text: string): TermOccurrence[] {
      if (size === 0 || text === '') return [];
      const prepared = prepare(text);
      const c = prepared.text;
      const out: TermOccurrence[] = [];
      let next = 0;

      const tryList = (list: Entry[] | undefined, at: number): { end: number; entry: Entry } | undefined => {
        if (!list) return undefined;
        for (const e of list) {
          const end = matchAt(c, at, e.key);
          if (end < 0) continue;
          if (e.wordEnd && isWordAt(c, end)) continue;
          if (!e.wordStart || !isWordBefore(c, at)) return { end, entry: e };
        }
        return undefined;
      };
      const record = (at: number, hit: { end: number; entry: Entry }) => {
        const start = prepared.origStart(at);
        const end = prepared.origEnd(hit.end);
        out.push({ termId: hit.entry.termId, form: text.slice(start, end), start, end });
        next = hit.end;
      };

      if (bySymbol.size === 0) {
        WORD_RUN.lastIndex = 0;
        for (let m = WORD_RUN.exec(c); m; m = WORD_RUN.exec(c)) {
          if (m.index < next) continue;
          const hit = tryList(byWord.get(m[0]), m.index);
          if (hit) {
            record(m.index, hit);
            if (WORD_RUN.lastIndex < next) WORD_RUN.lastIndex = next;
          }
        }
        return out;
      }

      // Some forms start with punctuation: try every position.
      for (let i = 0; i < c.length; i++) {
        if (i < next) continue;
        let best = tryList(bySymbol.get(c[i]!), i);
        if (isWordAt(c, i) && !isWordBefore(c, i)) {
          WORD_RUN_AT.lastIndex = i;
          const w = WORD_RUN_AT.exec(c);
          const hit = w ? tryList(byWord.get(w[0]), i) : undefined;
          if (hit && (!best || hit.end > best.end)) best = hit;
        }
        if (best) {
          record(i, best);
          i = best.end - 1;
        }
      }
      return out;
    },
  };
}

/** End index of `key` matched at `at` in canonical text `c`, or -1. A space in `key` matches a whitespace run. */
function matchAt(c: string, at: number, key: string): number {
  let t = at;
  const n = c.length;
  for (let f = 0; f < key.length; f++) {
    const k = key.charCodeAt(f);
    if (k === 32) {
      if (t >= n || !isSpace(c.charCodeAt(t))) return -1;
      t++;
      while (t < n && isSpace(c.charCodeAt(t))) t++;
    } else {
      if (t >= n || c.charCodeAt(t) !== k) return -1;
      t++;
    }
  }
  return t;
}

interface Prepared {
  text: string;
  origStart(i: number): number;
  origEnd(i: number): number;
}

/** NFC + canonical apostrophes/hyphens, with a map back to the caller's offsets when NFC changed lengths. */
function prepare(text: string): Prepared {
  const nfc = text.normalize('NFC');
  if (nfc === text) return { text: canonText(text), origStart: (i) => i, origEnd: (i) => i };
  // Normalise one "code point + following marks" cluster at a time and remember where each came from.
  let norm = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (const m of text.matchAll(/[\s\S]\p{M}*/gu)) {
    const piece = m[0].normalize('NFC');
    const s = m.index;
    const e = s + m[0].length;
    for (let k = 0; k < piece.length; k++) {
      starts.push(s);
      ends.push(e);
    }
    norm += piece;
  }
  return {
    text: canonText(norm),
    origStart: (i) => (i >= starts.length ? text.length : starts[i]!),
    origEnd: (i) => (i <= 0 ? 0 : ends[i - 1]!),
  };
}

const glossaryMatchers = new WeakMap<readonly GlossaryTerm[], TermMatcher>();

/** Every glossary form in `text`, sorted by start (see the rules at the top of this file). */
export function findTermOccurrences(text: string, glossary: Glossary): TermOccurrence[] {
  let m = glossaryMatchers.get(glossary.terms);
  if (!m) glossaryMatchers.set(glossary.terms, (m = buildMatcher(glossary, { variants: true })));
  return m.find(text);
}

const formMatchers = new Map<string, TermMatcher>();
const FORM_CACHE_MAX = 5000;

/**
 * Whole-word, non-overlapping occurrences of one (target) form in `text`, with the same boundary,
 * apostrophe and space rules as `findTermOccurrences`. Used to check that a translation holds a name.
 */
export function countForm(text: string, form: string): number {
  let m = formMatchers.get(form);
  if (!m) {
    if (formMatchers.size >= FORM_CACHE_MAX) formMatchers.clear();
    m = buildMatcher([{ id: form, forms: [form] }]);
    formMatchers.set(form, m);
  }
  return m.find(text).length;
}
