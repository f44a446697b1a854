/**
 * Engine output → final target text: placeholders back, glossary forms enforced, articles repaired,
 * the target language's punctuation, and the QA flags a reviewer needs. Pure.
 */
import type { Lang, QaFlag, TermStrategy, UnknownWord } from '../../artifacts.js';
import { countForm } from '../../glossary/match.js';
import { targetFor } from '../../glossary/target-for.js';
import { formatAmount, scaleWordGrammar } from './amounts.js';
import {
  apostropheOf, contractArticles, definiteArticle, determinedBefore, hasDeterminerBefore, dropRomanceArticle, elidesInCatalan, fixEnglishArticle, fixEnglishCase, fixRomanceCase,
  restoreRomanceArticle, takesArticle, withoutArticleBefore, type ArticleInfo,
} from './articles.js';
import { extractQuantities, extractTimes, formatMinutes } from './numbers.js';
import { localizePunctuation } from './punctuation.js';
import { TOKEN_PATTERN, type PreparedSegment } from './protect.js';

/** How the engine renders each source form alone (probed once per language and glossary version). */
export type Renderings = ReadonlyMap<string, readonly string[]>;

export interface RestoredSegment {
  target: string;
  termsApplied: Array<{ termId: string; form: string; strategy: TermStrategy }>;
  flags: QaFlag[];
  /** Terms left to the engine whose glossary form could not be put in: retry them as placeholders. */
  failedTerms: string[];
}

export function restoreSegment(
  prepared: PreparedSegment,
  engineText: string,
  lang: Lang,
  renderings: Renderings,
  unknownWords: readonly UnknownWord[],
  options: {
    /**
     * Repair the grammar around names (articles, contractions, capitals) and apply the target's
     * punctuation. Off for engines whose output is not a language (pseudo-localization): there is no
     * grammar to repair, and its brackets must stay as they are. @default true
     */
    grammar?: boolean;
  } = {},
): RestoredSegment {
  const grammar = options.grammar ?? true;
  let out = engineText;
  const flags: QaFlag[] = [...prepared.flaws];
  const termsApplied: RestoredSegment['termsApplied'] = [];
  const failedTerms: string[] = [];

  // 1. Placeholders back, with the article the target language wants.
  for (const p of prepared.protections) {
    if (p.type === 'term' && p.strategy === 'engine') continue;
    const token = p.token;
    let at = out.indexOf(token);
    if (at < 0) {
      const what = p.type === 'term' ? p.form : p.type === 'amount' ? p.amount.text : p.text;
      flags.push({ code: 'TERM_UNVERIFIED', message: `the engine lost the placeholder of "${what.length > 40 ? `${what.slice(0, 40)}…` : what}"`, subject: what });
      continue;
    }
    let replacement: string;
    /** A bare name (no article) starting with a vowel, which Catalan "de" elides before. */
    let elidable = false;
    if (p.type === 'verbatim') {
      replacement = p.text;
      if (p.kind === undefined || p.kind === 'long-word') flags.push({ code: 'LONG_WORD_KEPT', message: `"${p.text.slice(0, 30)}…" (${[...p.text].length} characters without a space) is too long to be a word; it was kept as written, not translated`, subject: p.text.slice(0, 30) });
    } else if (p.type === 'amount') {
      replacement = formatAmount(p.amount, lang);
      // "d’euros" in a sentence written with ' ("l'hospital") takes its apostrophe.
      if (replacement.includes('’')) replacement = replacement.replaceAll('’', apostropheOf(out));
      // Spanish puts the article before a percentage after a preposition, as Apertium does when it sees
      // the "%" the token hides: "ha bajado al 7,1 %", "del 3 % al 4 %", "contra el 5,2 %".
      if (grammar && p.amount.percent && lang.split('-')[0] === 'es') {
        const before = out.slice(0, at);
        const prep = SPANISH_PREPOSITION_BEFORE.exec(before);
        if (prep) {
          const word = prep[1]!;
          const fused = /^a$/iu.test(word) ? `${word}l` : /^de$/iu.test(word) ? `${word}l` : `${word} el`;
          out = before.slice(0, prep.index) + fused + ' ' + out.slice(at);
          at = prep.index + fused.length + 1;
        }
      }
    } else {
      const target = targetFor(p.term, lang);
      const form = target?.form ?? p.form;
      // No article of its own where the name ends a noun phrase that has one: French "les puissants
      // États-Unis", or the engine's "the restless ZZGA".
      // Nor where the French article stayed outside the placeholder ("la « Fédération de Russie »"): the
      // engine translated it ("la «ZZGA»").
      const determined = p.frenchDetermined || determinedBefore(out.slice(0, at), lang) || (!p.frenchArticle && hasDeterminerBefore(out.slice(0, at), lang));
      const article = grammar && p.term.kind !== 'person' && !determined && takesArticle(lang, target, p.term.kind, p.frenchArticle)
        ? definiteArticle(lang, form, { ...(p.term.gender ? { gender: p.term.gender } : {}), ...(p.term.number ? { number: p.term.number } : {}) })
        : '';
      replacement = article + form;
      elidable = grammar && article === '' && ELIDING.has(lang.split('-')[0]!) && elidesInCatalan(form);
      // The French article went into the placeholder, so an article the engine put before it is its own:
      // gone where the glossary says the name never takes one ("La Russie dit" → "Rusia dice", not "El Rusia").
      if (grammar && target?.article === false && p.term.kind !== 'person') {
        const before = out.slice(0, at);
        const trimmed = withoutArticleBefore(before, form, lang);
        if (trimmed !== before) {
          out = trimmed + out.slice(at);
          at = trimmed.length;
        }
      }
      termsApplied.push({ termId: p.term.id, form, strategy: target ? 'placeholder' : 'kept' });
    }
    let start = at;
    let end = at + token.length;
    // The spaces protect put around a tag glued to a word go again.
    if (p.type === 'verbatim' && p.padded) {
      if (p.padded.before && out[start - 1] === ' ') start--;
      if (p.padded.after && out[end] === ' ') end++;
    }
    // The engine wrote "de ZZGA" because the token starts with a consonant; Catalan and Occitan elide de
    // before a vowel ("d’Ucraïna", "d’Antony Blinken"), Occitan que too ("qu'Antony"). With an article it
    // stays: de l’OTAN, de la, de el → del.
    const de = elidable ? (lang.startsWith('oc') ? /(?<![\p{L}\p{N}\p{M}])([Dd]|[Qq]u)e $/u : /(?<![\p{L}\p{N}\p{M}])([Dd])e $/u).exec(out.slice(0, at)) : null;
    if (de) {
      start = de.index;
      replacement = `${de[1]}${apostropheOf(out)}${replacement}`;
    } else if (p.type !== 'verbatim' && atSentenceStart(out, at)) {
      // (What is kept as written keeps its case: "a) pour…" is no "A)".)
      replacement = replacement[0]!.toUpperCase() + replacement.slice(1);
    }
    // "at 6:15 p.m." ending the sentence takes its full stop: not "p.m..".
    if (replacement.endsWith('.') && out[end] === '.') end++;
    out = out.slice(0, start) + replacement + out.slice(end);
  }

  // 2. Names left to the engine: keep its rendering if it is the glossary's, else rewrite it.
  const needed = new Map<string, { form: string; source: string[]; count: number; termId: string; target?: { form: string; article?: boolean }; kind: string; frenchArticle: boolean; determined: boolean; info: ArticleInfo }>();
  for (const p of prepared.protections) {
    if (p.type !== 'term' || p.strategy !== 'engine') continue;
    const target = targetFor(p.term, lang);
    // A place, organisation or other name the glossary gives no form for in this language is the
    // engine's to translate (Esperanto "Usono", Occitan "Ucraïna"); only people's names keep their
    // French spelling where the glossary is silent.
    if (!target && p.term.kind !== 'person') continue;
    const form = target?.form ?? p.form;
    const info: ArticleInfo = { ...(p.term.gender ? { gender: p.term.gender } : {}), ...(p.term.number ? { number: p.term.number } : {}) };
    const entry = needed.get(form) ?? { form, source: [], count: 0, termId: p.term.id, ...(target ? { target } : {}), kind: p.term.kind, frenchArticle: false, determined: true, info };
    entry.count++;
    entry.frenchArticle ||= p.frenchArticle;
    entry.determined &&= p.frenchDetermined;
    entry.source.push(p.form);
    needed.set(form, entry);
  }
  for (const n of needed.values()) {
    let strategy: TermStrategy = n.target ? 'engine' : 'kept';
    // A target form the French itself holds in another name ("West" of "West Point", copied by the
    // engine) is not the term's rendering: those occurrences do not count.
    const copied = n.source.includes(n.form) ? 0 : countForm(prepared.source, n.form);
    const found = () => countForm(out, n.form) - copied;
    if (found() < n.count) {
      for (const candidate of candidatesFor(n.source, renderings)) {
        if (candidate === n.form || found() >= n.count) continue;
        const replaced = replaceWholeWord(out, candidate, n.form);
        if (replaced !== out) {
          out = replaced;
          strategy = 'rewrite';
        }
      }
    }
    // The French name left as it is beside the glossary form the engine wrote for another word ("The
    // Occident and the West" for "L'Occident et l'Ouest"): the name is still untranslated.
    if (n.target) {
      for (const f of new Set(n.source)) {
        if (f === n.form || countForm(n.form, f) > 0 || countForm(out, f) === 0) continue;
        const replaced = replaceWholeWord(out, f, n.form);
        if (replaced !== out) {
          out = replaced;
          strategy = 'rewrite';
        }
      }
    }
    if (found() < n.count) {
      failedTerms.push(n.termId);
      continue;
    }
    if (!grammar) {
      // Nothing to repair in a pseudo-translation.
    } else if (lang.split('-')[0] === 'en') {
      // Only what the glossary states: with `article` omitted the engine decides (AP writes both "Donbas"
      // and "the Donbas"), so "of the Donbas" must not lose its article to the news-style default.
      // A name ending a French noun phrase that has its determiner ("cette grande Fédération") gets none.
      if (n.target?.article !== undefined && !(n.target.article && n.determined)) out = fixEnglishArticle(out, n.form, n.target.article, prepared.source);
    } else if (n.target && n.kind !== 'person' && !n.determined && takesArticle(lang, n.target, n.kind, n.frenchArticle)) {
      const repaired = restoreRomanceArticle(out, n.form, lang, n.info, prepared.source);
      if (repaired !== out) {
        out = repaired;
        flags.push({ code: 'ARTICLE_RESTORED', message: `the engine dropped the article before "${n.form}"; relais put it back`, subject: n.form });
      }
    }
    for (let i = 0; i < n.count; i++) termsApplied.push({ termId: n.termId, form: n.form, strategy });
  }

  if (grammar && lang.split('-')[0] !== 'en') {
    // A name the glossary says never takes an article loses the one the engine gave it ("por el Occidente").
    const never = new Map<string, ArticleInfo>();
    for (const p of prepared.protections) {
      if (p.type === 'term' && p.term.kind !== 'person' && targetFor(p.term, lang)?.article === false) {
        never.set(targetFor(p.term, lang)!.form, { ...(p.term.gender ? { gender: p.term.gender } : {}), ...(p.term.number ? { number: p.term.number } : {}) });
      }
    }
    for (const [form, info] of never) out = dropRomanceArticle(out, form, lang, info);
  }
  if (grammar && prepared.protections.some((p) => p.type === 'amount' && p.amount.scale !== undefined)) out = scaleWordGrammar(out, lang);
  if (grammar) out = requoteNames(out, prepared, lang);
  if (grammar) {
    const requoted = requoteMoved(out, prepared.source);
    out = requoted.text;
    if (requoted.flag) flags.push(requoted.flag);
  }
  if (grammar) {
    out = contractArticles(out, lang);
    out = lang.split('-')[0] === 'en' ? fixEnglishCase(out) : fixRomanceCase(out, lang, prepared.source);
    out = localizePunctuation(out, lang);
    out = tidyEnds(out, prepared.source);
  }

  // One flag per word, from the first hop that did not know it: a word fr-es left as it was is, of
  // course, unknown to spa-eng after it, and a name repeated in the sentence is marked each time.
  const flagged = new Set<string>();
  for (const w of unknownWords) {
    if (TOKEN_PATTERN.test(w.word) || flagged.has(w.word)) continue;
    // fr-eo marks every number it cannot inflect ("#2024"), and acronyms it writes right ("#NATO"):
    // nothing for a reviewer to check.
    if (/^[\p{N}.,:/+-]+$/u.test(w.word) || (w.mark === '#' && /^\p{Lu}{2,}$/u.test(w.word))) continue;
    flagged.add(w.word);
    flags.push({ code: 'UNKNOWN_WORD', message: `the engine (${w.stage}) did not know "${w.word}" (${markMeaning(w.mark)})`, subject: w.word });
  }
  const numberFlag = compareNumbers(prepared.source, out, lang);
  if (numberFlag) flags.push(numberFlag);
  // (A heading of one name or one word the target writes the same — "Vents", "Zelensky." — is no
  // untranslated text: a lowercase word of the source must have stayed, as the review-time check says.)
  if (out.trim() === prepared.source.trim() && /(?<![\p{L}\p{N}])\p{Ll}{3,}/u.test(prepared.source)) {
    flags.push({ code: 'UNTRANSLATED', message: 'the target is the same as the source' });
  }
  return { target: out, termsApplied, flags, failedTerms };
}

/**
 * A name quoted in the source that the engine moved out of its quotation marks ("la «Russie» et" →
 * "Rusia «» y", "Russia “” and"): the name goes back inside them. Only for a name the source quotes
 * alone, and an empty pair right next to its target form.
 */
function requoteNames(text: string, prepared: PreparedSegment, lang: Lang): string {
  let out = text;
  for (const p of prepared.protections) {
    if (p.type !== 'term') continue;
    const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const quoted = new RegExp(`[«“"‘]${SPACES}*(?:l['’]|la |le |les )?${esc(p.form)}${SPACES}*[»”"’]`, 'u');
    if (!quoted.test(prepared.source)) continue;
    const form = esc(targetFor(p.term, lang)?.form ?? p.form);
    const name = `((?:(?:the|el|la|los|las|els|les) |l['’])?${form})`;
    out = out
      .replace(new RegExp(`(?<![\\p{L}\\p{N}])${name}(${SPACES}+)([«“‘])${SPACES}*([»”’])`, 'u'), (_m, n: string, _sp: string, open: string, close: string) => `${open}${n}${close}`)
      .replace(new RegExp(`([«“‘])${SPACES}*([»”’])(${SPACES}+)${name}(?![\\p{L}\\p{N}])`, 'u'), (_m, open: string, close: string, _sp: string, n: string) => `${open}${n}${close}`);
  }
  return out;
}

const SPACES = '[ \\u00A0\\u202F]';

const QUOTE_OPEN = '«“‘"';
const QUOTE_CLOSE = '»”’"';
const WORD = '[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}\'’-]*';

/**
 * Quotation marks the engine emptied: Apertium moves a quoted phrase as a chunk and leaves its marks
 * behind ("« la Russie éternelle »" → "la Rusia eterna «»", "the eternal Russia “”"). Where the source's
 * pair at the same rank holds words and the target's is empty, as many words as the source quoted go
 * back inside from just before it; when they cannot be found (a clause boundary in between), the pair
 * is flagged instead of published silently.
 */
const QUOTE_PAIR = new RegExp(`[${QUOTE_OPEN}]([^${QUOTE_OPEN}${QUOTE_CLOSE}]*)[${QUOTE_CLOSE}]`, 'gu');
const EMPTY_QUOTES = new RegExp(`[${QUOTE_OPEN}]${SPACES}*[${QUOTE_CLOSE}]`, 'u');

function requoteMoved(text: string, source: string): { text: string; flag?: QaFlag } {
  if (!EMPTY_QUOTES.test(text)) return { text };
  const pairs = (t: string) => [...t.matchAll(QUOTE_PAIR)];
  const target = pairs(text);
  if (!target.some((m) => m[1]!.trim() === '')) return { text };
  const quoted = pairs(source);
  if (quoted.length !== target.length) return { text, flag: emptyQuoteFlag() };
  let out = text;
  // From the last pair back, so that earlier offsets stay right.
  for (let i = target.length - 1; i >= 0; i--) {
    const m = target[i]!;
    const words = quoted[i]![1]!.match(new RegExp(WORD, 'gu'))?.length ?? 0;
    if (m[1]!.trim() !== '' || words === 0) continue;
    const before = out.slice(0, m.index);
    const moved = new RegExp(`((?:${WORD}${SPACES}+){${words - 1}}${WORD})${SPACES}*$`, 'u').exec(before);
    // The source has words before its quotation: so must the target, once the quoted ones went back.
    const wordsBefore = (t: string) => t.match(new RegExp(WORD, 'gu'))?.length ?? 0;
    if (!moved || (wordsBefore(source.slice(0, quoted[i]!.index)) > 0 && wordsBefore(before.slice(0, moved.index)) === 0)) return { text, flag: emptyQuoteFlag() };
    const open = m[0][0]!;
    const close = m[0][m[0].length - 1]!;
    out = `${before.slice(0, moved.index)}${open}${moved[1]}${close}${out.slice(m.index + m[0].length)}`;
  }
  return { text: out };
}

function emptyQuoteFlag(): QaFlag {
  return { code: 'PUNCTUATION_STYLE', message: 'an empty pair of quotation marks: the engine moved the quoted words out of them', subject: '«»' };
}

/**
 * No blank at either end (Apertium leaves the one of a dropped "Est-ce que"), none after an opening ¿ or ¡,
 * and a capital first letter where the source begins with one (fr-eo writes "la 3an de marto…").
 */
function tidyEnds(text: string, source: string): string {
  let out = text.trim().replace(/^([¿¡])[ \u00A0\u202F]+/u, '$1');
  // After a list marker the word keeps the source's lowercase (the engine capitalised it after the token).
  if (/^\s*(?:\p{Ll}|\d{1,3})\)\s+\p{Ll}/u.test(source)) out = out.replace(/^((?:\p{Ll}|\d{1,3})\)\s+)(\p{Lu})(?=\p{Ll})/u, (_m, marker: string, c: string) => marker + c.toLowerCase());
  const first = /^[^\p{L}\p{N}]*(\p{L})/u.exec(source);
  const at = /^[^\p{L}\p{N}]*(?=\p{Ll})/u.exec(out);
  if (first && /\p{Lu}/u.test(first[1]!) && at) out = out.slice(0, at[0].length) + out[at[0].length]!.toUpperCase() + out.slice(at[0].length + 1);
  return out;
}

function markMeaning(mark: UnknownWord['mark']): string {
  return mark === '*' ? 'unknown word' : mark === '@' ? 'missing from the bilingual dictionary' : 'could not be inflected';
}

/** What the engine may have written for a source form: its probed renderings, then the form itself. */
function candidatesFor(sourceForms: readonly string[], renderings: Renderings): string[] {
  const out: string[] = [];
  for (const s of sourceForms) {
    for (const r of renderings.get(s) ?? []) out.push(r);
    out.push(s);
  }
  // Longer first: "Federación Rusa" before "Rusa".
  return [...new Set(out)].filter((c) => c.trim() !== '').sort((a, b) => b.length - a.length);
}

/** Replace whole-word occurrences of `from` by `to`; a lowercase first letter in the text matches too. */
export function replaceWholeWord(text: string, from: string, to: string): string {
  const esc = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00A0\\u202F]+');
  const first = from[0]!;
  const head = first.toLowerCase() !== first.toUpperCase() ? `[${first.toLowerCase()}${first.toUpperCase()}]` : '';
  const pattern = head ? head + esc.slice(first === '\\' ? 2 : 1) : esc;
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])${pattern}(?![\\p{L}\\p{N}\\p{M}])`, 'gu'), to);
}

/** A Spanish preposition right before a percentage, which then takes "el" (a el → al, de el → del). */
const SPANISH_PREPOSITION_BEFORE = /(?<![\p{L}\p{N}\p{M}])(a|de|contra|con|hasta|hacia|desde|sobre) $/iu;

/** Targets that elide a preposition before a name starting with a vowel, which a placeholder hid from the engine. */
const ELIDING = new Set(['ca', 'oc']);

function atSentenceStart(text: string, at: number): boolean {
  const before = text.slice(0, at);
  // "p.m. until" is no new sentence.
  return before.trim() === '' || /(?<!\b[ap]\.m)[.!?]["”»’]?\s+$/u.test(before);
}

/** Numbers of the source that the target lacks (2,6 milliards ≡ $2.6 billion ≡ 2600 millones). */
function compareNumbers(source: string, target: string, lang: Lang): QaFlag | undefined {
  const src = extractQuantities(source, 'fr');
  const tgt = extractQuantities(target, lang);
  const missing: Array<number | string> = src.filter((n) => !tgt.some((m) => Math.abs(m - n) < 1e-9 * Math.max(1, Math.abs(n))));
  const times = extractTimes(target, lang);
  for (const t of extractTimes(source, 'fr')) if (!times.includes(t)) missing.push(formatMinutes(t));
  if (missing.length === 0) return undefined;
  return { code: 'NUMBER_MISMATCH', message: `number${missing.length > 1 ? 's' : ''} of the source not found in the target: ${missing.join(', ')}`, subject: String(missing[0]) };
}
