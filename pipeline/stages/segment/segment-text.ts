/**
 * Paragraphs → sentences. Pure except for `loadSegmentRules`, which reads the rules file once per language.
 *
 * The language knowledge (abbreviations, initials, list numbers…) lives in `rules/<lang>.json` so a user can
 * extend it without touching code; this module only knows the shape of a sentence boundary:
 *
 *   terminator   . ! ? … (any run of them: "?!", "!!", "...")
 *   closers      closing quotes and brackets that belong to the sentence just ended: » ” ’ " ' ) ]
 *                (French spacing before » / › — U+0020, U+00A0, U+202F — is part of the closer)
 *   whitespace   at least one character; no whitespace, no boundary ("12.5.2024", "example.org/a.b")
 *   next word    must start like a sentence: an uppercase letter or digit, possibly behind opening
 *                quotes/brackets/dashes. A lowercase word does not start a sentence — that is what keeps the
 *                stray full stops of real sources ("lors d'un référendum. de rejoindre") inside one sentence.
 *
 * and the rules then decide, SRX-style (see rules/fr.json `$comment`): abbreviations and `exceptions` veto a
 * candidate ("no break"); `breaks` add boundaries the shape above refuses — a lowercase "à" that lost its
 * capital, two sentences glued without a space ("classiques.Enfin") — and are only consulted when no
 * abbreviation or exception explains the stop.
 *
 * A single newline inside a paragraph is a hard boundary (lists, addresses, share-button menus), except
 * when the next line starts with a lowercase letter: that is hard-wrapped prose.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RelaisError } from '../../errors.js';

/**
 * One sentence of a paragraph. `start`/`end` are UTF-16 offsets into the paragraph and
 * `text === paragraph.slice(start, end)`: the sentence with the whitespace around it removed (the
 * whitespace between two sentences belongs to neither). Nothing else is removed or added.
 */
export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

/**
 * An SRX-style rule: "no break here" in `exceptions`, "break here" in `breaks`. Regular expressions are
 * JavaScript sources compiled with the `u` flag.
 */
export interface SegmentException {
  name: string;
  /** Matched against the paragraph up to and including the terminator; anchored at its end. */
  before: string;
  /**
   * Anchored at its start; absent = anything. In `exceptions` it is matched from the next word on; in
   * `breaks` from right after the terminator (closing quotes, whitespace and all), since a break rule may
   * be about what stands there.
   */
  after?: string;
  comment?: string;
  /** Only useful in a user file: switches off the built-in exception of the same name. */
  disabled?: boolean;
}

/** The data of `rules/<lang>.json` (minus `$comment` keys). Plain JSON: it is hashed into job cache keys. */
export interface SegmentRules {
  language: string;
  abbreviations: {
    /** A full stop after these never ends a sentence. */
    neverEnd: string[];
    /** A full stop after these also ends the sentence when the next word starts with a capital letter. */
    mayEnd: string[];
  };
  exceptions: SegmentException[];
  /** SRX-style "break here" rules, consulted only where no abbreviation or exception explains the stop. */
  breaks: SegmentException[];
}

/* ------------------------------------------------------------------ loading */

const baseRulesCache = new Map<string, SegmentRules>();

/**
 * The segmentation rules of a language: `rules/<lang>.json`, with `extraFile` (a user JSON file of the
 * same shape, every key optional) merged on top. Throws RelaisError('OPTION_INVALID') naming the file
 * when a file is not valid JSON or has the wrong shape, ('LANGUAGE_UNSUPPORTED') when there are no rules
 * for `lang`.
 */
export function loadSegmentRules(lang: string, extraFile?: string): SegmentRules {
  const base = loadBaseRules(lang);
  if (extraFile === undefined) return base;
  const extra = parseSegmentRules(readJsonFile(extraFile), extraFile, { partial: true });
  if (extra.language !== undefined && extra.language !== base.language) {
    throw new RelaisError('OPTION_INVALID', `${extraFile}: "language" is "${extra.language}" but the rules being extended are for "${base.language}"`, {
      place: { file: extraFile },
      hint: `Remove "language" or set it to "${base.language}".`,
    });
  }
  return mergeSegmentRules(base, extra);
}

function loadBaseRules(lang: string): SegmentRules {
  const cached = baseRulesCache.get(lang);
  if (cached) return cached;
  // The code becomes part of a path: refuse anything that is not a plain language tag.
  if (!/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/u.test(lang)) {
    throw new RelaisError('OPTION_INVALID', `"${lang}" is not a language code`, { hint: 'Use a BCP 47 code such as fr or en.' });
  }
  const file = rulesFileFor(lang);
  if (!existsSync(file)) {
    // Named where the rules really are (the sources' rules folder, not the compiled one beside this file).
    const dir = dirname(rulesFileFor('fr'));
    throw new RelaisError('LANGUAGE_UNSUPPORTED', `no sentence segmentation rules for "${lang}" (relais has: ${availableRuleLanguages(dir).join(', ') || 'none'})`, {
      hint: `Add ${join(dir, `${lang}.json`)} (the shape of fr.json).`,
    });
  }
  const rules = deepFreeze(parseSegmentRules(readJsonFile(file), file, { partial: false }) as SegmentRules);
  baseRulesCache.set(lang, rules);
  return rules;
}

/**
 * `rules/<lang>.json` next to this module. tsc does not copy JSON into dist/, so when this runs as
 * `<root>/dist/pipeline/stages/segment/segment-text.js` the file is found in `<root>/pipeline/...`.
 */
function rulesFileFor(lang: string): string {
  const here = fileURLToPath(new URL(`./rules/${lang}.json`, import.meta.url));
  if (existsSync(here)) return here;
  const marker = `${sep}dist${sep}pipeline${sep}`;
  const at = here.lastIndexOf(marker);
  if (at < 0) return here;
  const source = `${here.slice(0, at)}${sep}pipeline${sep}${here.slice(at + marker.length)}`;
  return existsSync(source) ? source : here;
}

function availableRuleLanguages(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  } catch {
    return [];
  }
}

function readJsonFile(file: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new RelaisError('OPTION_INVALID', `cannot read segmentation rules file ${file}`, { place: { file }, cause });
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (cause) {
    throw new RelaisError('OPTION_INVALID', `${file}: not valid JSON (${(cause as Error).message})`, { place: { file }, cause });
  }
}

type PartialRules = {
  language?: string;
  abbreviations: { neverEnd: string[]; mayEnd: string[] };
  exceptions: SegmentException[];
  breaks: SegmentException[];
};

const TOP_KEYS = new Set(['language', 'abbreviations', 'exceptions', 'breaks']);
const ABBREVIATION_KEYS = new Set(['neverEnd', 'mayEnd']);
const EXCEPTION_KEYS = new Set(['name', 'before', 'after', 'comment', 'disabled']);

/**
 * Checks the shape of a rules file and returns it without `$…` comment keys. With `partial` (a user
 * file) every key is optional. Every regular expression is compiled here so a typo is reported at load
 * time with the file and the exception's name, not as a crash in the middle of a run.
 */
export function parseSegmentRules(data: unknown, file: string, options: { partial: boolean }): PartialRules {
  const fail = (what: string, hint?: string): never => {
    throw new RelaisError('OPTION_INVALID', `${file}: ${what}`, { place: { file }, ...(hint ? { hint } : {}) });
  };
  const shapeHint = 'See pipeline/stages/segment/rules/fr.json for the expected shape.';
  if (!isRecord(data)) return fail('segmentation rules must be a JSON object', shapeHint);
  for (const key of Object.keys(data)) {
    if (!key.startsWith('$') && !TOP_KEYS.has(key)) fail(`unknown key "${key}"`, `Known keys: ${[...TOP_KEYS].join(', ')} (keys starting with $ are comments).`);
  }

  const language = data['language'];
  if (language === undefined ? !options.partial : typeof language !== 'string' || language === '') {
    fail('"language" must be a non-empty string such as "fr"', shapeHint);
  }

  const abbreviations = { neverEnd: [] as string[], mayEnd: [] as string[] };
  const abbr = data['abbreviations'];
  if (abbr === undefined) {
    if (!options.partial) fail('"abbreviations" is missing', shapeHint);
  } else if (!isRecord(abbr)) {
    fail('"abbreviations" must be an object with "neverEnd" and "mayEnd" lists', shapeHint);
  } else {
    for (const key of Object.keys(abbr)) {
      if (!key.startsWith('$') && !ABBREVIATION_KEYS.has(key)) fail(`unknown key "abbreviations.${key}"`, 'Known keys: neverEnd, mayEnd.');
    }
    for (const list of ['neverEnd', 'mayEnd'] as const) {
      const value = abbr[list];
      if (value === undefined) {
        if (!options.partial) fail(`"abbreviations.${list}" is missing`, shapeHint);
        continue;
      }
      if (!Array.isArray(value)) return fail(`"abbreviations.${list}" must be a list of strings`);
      value.forEach((entry: unknown, i) => {
        if (typeof entry !== 'string' || entry.trim() === '') fail(`"abbreviations.${list}[${i}]" must be a non-empty string`);
        else abbreviations[list].push(entry.trim());
      });
    }
  }

  const exceptions: SegmentException[] = [];
  const ex = data['exceptions'];
  if (ex === undefined) {
    if (!options.partial) fail('"exceptions" is missing (use [] for none)', shapeHint);
  } else if (!Array.isArray(ex)) {
    fail('"exceptions" must be a list of {name, before, after?} objects', shapeHint);
  } else {
    ex.forEach((item: unknown, i) => exceptions.push(parseException(item, `exceptions[${i}]`, fail)));
  }

  // Optional in every file: rules written before break rules existed stay valid.
  const breaks: SegmentException[] = [];
  const br = data['breaks'];
  if (br !== undefined && !Array.isArray(br)) {
    fail('"breaks" must be a list of {name, before, after?} objects', shapeHint);
  } else if (Array.isArray(br)) {
    br.forEach((item: unknown, i) => breaks.push(parseException(item, `breaks[${i}]`, fail)));
  }

  return { ...(typeof language === 'string' ? { language } : {}), abbreviations, exceptions, breaks };
}

function parseException(item: unknown, where: string, fail: (what: string, hint?: string) => never): SegmentException {
  if (!isRecord(item)) return fail(`"${where}" must be an object {name, before, after?}`);
  for (const key of Object.keys(item)) {
    if (!key.startsWith('$') && !EXCEPTION_KEYS.has(key)) fail(`unknown key "${where}.${key}"`, `Known keys: ${[...EXCEPTION_KEYS].join(', ')}.`);
  }
  const { name, before, after, comment, disabled } = item;
  if (typeof name !== 'string' || name === '') return fail(`"${where}.name" must be a non-empty string`);
  const label = `${where.startsWith('breaks') ? 'break rule' : 'exception'} "${name}"`;
  if (disabled !== undefined && typeof disabled !== 'boolean') fail(`${label}: "disabled" must be true or false`);
  if (comment !== undefined && typeof comment !== 'string') fail(`${label}: "comment" must be a string`);
  if (disabled !== true && (typeof before !== 'string' || before === '')) fail(`${label}: "before" must be a non-empty regular expression`);
  if (before !== undefined && typeof before !== 'string') fail(`${label}: "before" must be a string`);
  if (after !== undefined && typeof after !== 'string') fail(`${label}: "after" must be a string`);
  for (const [key, source] of [['before', before], ['after', after]] as const) {
    if (typeof source !== 'string') continue;
    try {
      new RegExp(source, 'u');
    } catch (cause) {
      fail(`${label}: "${key}" is not a valid regular expression: ${(cause as Error).message}`, 'Backslashes must be doubled in JSON ("\\\\p{Lu}").');
    }
  }
  return {
    name,
    before: typeof before === 'string' ? before : '',
    ...(typeof after === 'string' ? { after } : {}),
    ...(typeof comment === 'string' ? { comment } : {}),
    ...(disabled === true ? { disabled } : {}),
  };
}

/**
 * `extra` on top of `base`: abbreviations are added, and an entry the user file lists moves to the list it
 * is listed in; an exception (or break rule) replaces the built-in one with the same name.
 */
export function mergeSegmentRules(base: SegmentRules, extra: PartialRules): SegmentRules {
  const union = (kept: string[], added: string[], movedAway: string[]) => [
    ...new Set([...kept.filter((e) => !movedAway.includes(e)), ...added]),
  ];
  const byName = (builtIn: SegmentException[], added: SegmentException[]) => {
    const out = builtIn.map((e) => added.find((x) => x.name === e.name) ?? e);
    for (const x of added) if (!builtIn.some((e) => e.name === x.name)) out.push(x);
    return out;
  };
  const exceptions = byName(base.exceptions, extra.exceptions);
  const breaks = byName(base.breaks ?? [], extra.breaks);
  return {
    language: base.language,
    abbreviations: {
      neverEnd: union(base.abbreviations.neverEnd, extra.abbreviations.neverEnd, extra.abbreviations.mayEnd),
      mayEnd: union(base.abbreviations.mayEnd, extra.abbreviations.mayEnd, extra.abbreviations.neverEnd),
    },
    exceptions,
    breaks,
  };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

/* ------------------------------------------------------------------ compiled rules */

interface CompiledRule {
  name: string;
  before: RegExp;
  after: RegExp | null;
}

interface CompiledRules {
  /** Matches the longest abbreviation ending at the end of a window; group `never` or `may` tells which list. */
  abbreviation: RegExp | null;
  exceptions: CompiledRule[];
  breaks: CompiledRule[];
}

/** Compiled once per rules object; the rules stay plain data (they are hashed and written to jobs). */
const compiledCache = new WeakMap<SegmentRules, CompiledRules>();

/** How far back an abbreviation is looked for; far longer than any entry. */
const ABBREVIATION_WINDOW = 80;

/**
 * The text before a stop that the rules' `before` patterns (anchored at its end) are tested on: the
 * last BEFORE_WINDOW characters, not the whole paragraph — a `$`-anchored pattern is tried from the
 * start of its string, so a paragraph of 40,000 sentences took 16 s. A cut window starts with U+0001,
 * which no rule matches, so that its `^` is not taken for the paragraph's start.
 */
function textBefore(text: string, end: number): string {
  return end <= BEFORE_WINDOW ? text.slice(0, end) : `\u0001${text.slice(end - BEFORE_WINDOW, end)}`;
}
const BEFORE_WINDOW = 200;

function compile(rules: SegmentRules): CompiledRules {
  const cached = compiledCache.get(rules);
  if (cached) return cached;
  const alternation = (entries: string[]) =>
    [...entries]
      .sort((a, b) => b.length - a.length)
      .map(abbreviationPattern)
      .join('|');
  const never = alternation(rules.abbreviations.neverEnd);
  const may = alternation(rules.abbreviations.mayEnd);
  const groups = [never && `(?<never>${never})`, may && `(?<may>${may})`].filter(Boolean).join('|');
  // With a `$` anchor the earliest start position that matches wins, which is the longest entry:
  // "av. J.-C." (mayEnd) beats a shorter reading of the same text.
  const abbreviation = groups ? new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])(?:${groups})$`, 'u') : null;
  const compileRules = (list: SegmentException[]): CompiledRule[] =>
    list
      .filter((e) => !e.disabled)
      .map((e) => ({
        name: e.name,
        before: new RegExp(`(?:${e.before})$`, 'u'),
        after: e.after ? new RegExp(`^(?:${e.after})`, 'u') : null,
      }));
  const out = { abbreviation, exceptions: compileRules(rules.exceptions), breaks: compileRules(rules.breaks ?? []) };
  compiledCache.set(rules, out);
  return out;
}

/** "p. ex." → /p\.\s+ex\./ ; "Dr" → /Dr\./ (the stop being tested is always part of the match). */
function abbreviationPattern(entry: string): string {
  const withStop = entry.endsWith('.') ? entry : `${entry}.`;
  return withStop
    .split(/\s+/u)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&'))
    .join('\\s+');
}

/* ------------------------------------------------------------------ paragraphs */

/**
 * Blank-line separated paragraphs. A line holding only whitespace is blank. A single newline inside a
 * paragraph is kept. `text` is the paragraph with surrounding whitespace removed; `line` is the 1-based
 * line of its first line. CRLF is accepted (it does not change line numbers) and read as LF.
 */
export function splitParagraphs(text: string): Array<{ text: string; line: number }> {
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  const out: Array<{ text: string; line: number }> = [];
  let current: string[] = [];
  let firstLine = 0;
  const flush = () => {
    if (current.length > 0) out.push({ text: current.join('\n').trim(), line: firstLine });
    current = [];
  };
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      flush();
      return;
    }
    if (current.length === 0) firstLine = i + 1;
    current.push(line);
  });
  flush();
  return out;
}

/* ------------------------------------------------------------------ sentences */

const TERMINATORS = /[.!?…‽]+/gu;
/** French spacing may separate a closing guillemet from the stop: « Non. » */
const SPACED_CLOSER = /[ \u00a0\u202f]*[»›]/uy;
const TIGHT_CLOSER = /[”’"')\]]/uy;
const GAP = /\s+/uy;
/** Opening quotes, brackets and dialogue dashes may stand before the first word of a sentence. */
const SENTENCE_START = /(?:[«“‘„‹"'(\[¿¡—–-][ \u00a0\u202f]*)*[\p{Lu}\p{Lt}\p{N}]/uy;
/** After a "may end" abbreviation only a word can start the next sentence: "le 3 sept. 2024" goes on. */
const SENTENCE_START_WORD = /(?:[«“‘„‹"'(\[¿¡—–-][ \u00a0\u202f]*)*[\p{Lu}\p{Lt}]/uy;
const LINE_CONTINUES = /[ \t\u00a0\u202f]*\p{Ll}/uy;

/** A place where a sentence could end. */
interface Candidate {
  /** The terminator run ("." "?!" "…"). */
  terminatorStart: number;
  terminatorEnd: number;
  /** After the closing quotes/brackets: where the sentence would end. */
  sentenceEnd: number;
  /** Where the next word starts (after the whitespace; `sentenceEnd` when there is none). */
  nextStart: number;
  /** Whitespace follows: only then can the shape of the next word alone make a boundary. */
  spaced: boolean;
}

/** The paragraph cut into sentences; see the module comment for what is a boundary. */
export function segmentSentences(paragraph: string, rules: SegmentRules = loadSegmentRules('fr')): SentenceSpan[] {
  const compiled = compile(rules);
  const cuts = new Set<number>();
  for (const c of breakCandidates(paragraph)) {
    if (isSentenceBreak(paragraph, c, compiled)) cuts.add(c.sentenceEnd);
  }
  for (const at of lineBreaks(paragraph)) cuts.add(at);
  return spansBetween(paragraph, [...cuts].sort((a, b) => a - b));
}

function* breakCandidates(text: string): Generator<Candidate> {
  for (const m of text.matchAll(TERMINATORS)) {
    const terminatorStart = m.index;
    const terminatorEnd = terminatorStart + m[0].length;
    const sentenceEnd = skipClosers(text, terminatorEnd);
    const gap = stickyMatch(GAP, text, sentenceEnd) ?? '';
    // The end of the paragraph is not a boundary between two sentences.
    if (sentenceEnd + gap.length >= text.length) continue;
    // No whitespace after it (a number, a URL, an e-mail address, "classiques.Enfin"): only a break rule can
    // make it a boundary.
    yield { terminatorStart, terminatorEnd, sentenceEnd, nextStart: sentenceEnd + gap.length, spaced: gap !== '' };
  }
}

function skipClosers(text: string, from: number): number {
  let at = from;
  for (;;) {
    const closer = stickyMatch(SPACED_CLOSER, text, at) ?? stickyMatch(TIGHT_CLOSER, text, at);
    if (closer === null) return at;
    at += closer.length;
  }
}

function stickyMatch(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  return re.exec(text)?.[0] ?? null;
}

/**
 * SRX order: the abbreviations and `exceptions` first (they say why a stop is not an end), then the
 * default shape (whitespace and a word that starts like a sentence), then `breaks`.
 */
function isSentenceBreak(text: string, c: Candidate, rules: CompiledRules): boolean {
  const reason = classify(text, c.terminatorStart, c.terminatorEnd, c.nextStart, rules);
  const startsLikeSentence = c.spaced && stickyMatch(SENTENCE_START, text, c.nextStart) !== null;
  if (reason === null) return startsLikeSentence || matchesBreakRule(text, c, rules);
  // "etc. Puis", "52 av. J.-C. Puis": the abbreviation's stop doubles as the sentence's full stop when
  // a capitalised word follows. A capital right after "etc." without a comma in between is, in edited
  // French, the start of a new sentence; a name continuing the sentence would come after a comma.
  // A number does not start one there: "le 3 sept. 2024", "vers 14 h. 30 minutes plus tard"…
  if (reason.kind === 'mayEnd') return startsLikeSentence && stickyMatch(SENTENCE_START_WORD, text, c.nextStart) !== null;
  return false;
}

function matchesBreakRule(text: string, c: Candidate, rules: CompiledRules): boolean {
  if (rules.breaks.length === 0) return false;
  const before = textBefore(text, c.terminatorEnd);
  const after = text.slice(c.terminatorEnd);
  return rules.breaks.some((b) => b.before.test(before) && (b.after === null || b.after.test(after)));
}

/** Why a terminator is not (necessarily) the end of a sentence: an abbreviation of either list, or an exception. */
export type StopReason = { kind: 'neverEnd' | 'mayEnd'; entry: string } | { kind: 'exception'; name: string };

/**
 * Whether the terminator at [start, end) is explained by the rules rather than being a sentence end:
 * the longest abbreviation ending with it (only for a single full stop), else the first exception whose
 * `before` and `after` both match. `nextStart` is where the following word starts. Used by the
 * segmenter and by the source-flaw finder ("etc. de" is not a stray full stop).
 */
export function classifyStop(
  text: string,
  start: number,
  end: number,
  nextStart: number,
  rules: SegmentRules = loadSegmentRules('fr'),
): StopReason | null {
  return classify(text, start, end, nextStart, compile(rules));
}

function classify(text: string, start: number, end: number, nextStart: number, compiled: CompiledRules): StopReason | null {
  if (text.slice(start, end) === '.' && compiled.abbreviation) {
    const window = text.slice(Math.max(0, end - ABBREVIATION_WINDOW), end);
    const m = compiled.abbreviation.exec(window);
    if (m?.groups?.['never'] !== undefined) return { kind: 'neverEnd', entry: m.groups['never'] };
    if (m?.groups?.['may'] !== undefined) return { kind: 'mayEnd', entry: m.groups['may'] };
  }
  const before = textBefore(text, end);
  const after = text.slice(nextStart);
  const exception = compiled.exceptions.find((e) => e.before.test(before) && (e.after === null || e.after.test(after)));
  return exception ? { kind: 'exception', name: exception.name } : null;
}

/**
 * Offsets of the newlines that end a sentence: all of them, except in hard-wrapped prose — before a
 * line starting with a lowercase letter, or where the text was wrapped: a line that ends mid-sentence
 * (a letter, a digit, a comma), is at least WRAPPED_LINE characters long, and could not have taken the
 * next line's first word within the paragraph's longest line ("… le secrétaire d'État Antony\nBlinken
 * est arrivé", wire copy wrapped at 70 columns). A heading before a longer line, a menu, a list item
 * stay apart.
 */
function lineBreaks(text: string): number[] {
  const out: number[] = [];
  if (!text.includes('\n')) return out;
  const width = Math.max(...text.split('\n').map((l) => l.trimEnd().length));
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0; lineStart = at + 1, at = text.indexOf('\n', at + 1)) {
    // A lowercase line continues the sentence, unless it is a lettered list item ("a) pour les couples").
    if (stickyMatch(LINE_CONTINUES, text, at + 1) !== null && stickyMatch(LETTERED_ITEM, text, at + 1) === null) continue;
    const line = text.slice(lineStart, at).trimEnd();
    const nextWord = /^[ \t]*(\S+)/u.exec(text.slice(at + 1, at + 80))?.[1] ?? '';
    const wrapped = line.length >= WRAPPED_LINE && line.length + 1 + nextWord.length > width;
    if (wrapped && MID_SENTENCE_END.test(line) && stickyMatch(LIST_ITEM, text, at + 1) === null) continue;
    out.push(at);
  }
  return out;
}

/** Shorter lines are never taken for wrapped prose (a menu, a list of names, a short heading). */
const WRAPPED_LINE = 40;
const MID_SENTENCE_END = /[\p{L}\p{N},]$/u;
/** A list item or a dialogue line: "- du sel", "• un", "* deux", "1. Introduction", "2) Méthode", "a) pour", "— Oui". */
const LIST_ITEM = /[ \t]*(?:[-–—•*·]|\d+[.)]|\p{Ll}\)[ \t])/uy;
/** A list item lettered in lowercase: "a) pour les couples", "b) pour les célibataires". */
const LETTERED_ITEM = /[ \t]*\p{Ll}\)[ \t]/uy;

/** Sentences between the cuts, each with its surrounding whitespace left out; empty ones dropped. */
function spansBetween(text: string, cuts: number[]): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let from = 0;
  for (const to of [...cuts, text.length]) {
    const span = trimmedSpan(text, from, to);
    if (span) spans.push(span);
    from = to;
  }
  return spans;
}

function trimmedSpan(text: string, from: number, to: number): SentenceSpan | null {
  let start = from;
  let end = to;
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  return start < end ? { text: text.slice(start, end), start, end } : null;
}
