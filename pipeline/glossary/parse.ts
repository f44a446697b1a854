/**
 * glossary.yaml → Glossary. `parseGlossary` is pure and reports every problem it finds (each with
 * file:line:column of the offending node); `readGlossary` does the I/O and throws them all at once.
 *
 * Format (product spec):
 *   source: fr
 *   languages: [en, es, ca]          # default targets of `relais run`
 *   terms:
 *     - fr: Moscou                   # one source form, or a list of variants sharing the targets
 *       kind: place                  # person | place | organisation | other
 *       en: Moscow                   # or { form: Moscow, article: false }
 *       gender: f                    # optional, French grammar of the source form: m | f
 *       number: sg                   # optional: sg | pl
 *
 * Decisions:
 *  - `source` may be omitted (it defaults to `fr`, the only source relais supports for now);
 *    `languages` may be omitted (no default targets: `relais run` then needs `--to`). `terms` is required.
 *  - When the YAML itself is broken, only the syntax errors are reported: the shape of a half-parsed
 *    document would produce misleading follow-up errors.
 *  - Stored forms (source and target) are NFC, trimmed, with inner whitespace collapsed to one space.
 *  - Duplicates (GLOSSARY_DUPLICATE_TERM): two source forms whose comparison keys are equal — NFC,
 *    whitespace collapsed, ' ’ ‘ ʼ unified, ‐ ‑ unified (`formKey`), i.e. two forms that match exactly the
 *    same texts — whether in two terms or twice in one term's list.
 *  - Conflicts (GLOSSARY_CONFLICTING_TARGETS):
 *     a) a language key given twice in one term (`en: Kyiv` … `en: Kiev`), whatever the values;
 *     b) two source forms of DIFFERENT terms that differ only in letter case ("OTAN" / "Otan") while the
 *        terms' targets differ for some language (a different form or article, or one term has an
 *        explicit target and the other keeps the source form). Case variants are almost always the same
 *        name written two ways; if the targets agree they are harmless, otherwise the translation would
 *        depend on how the article happened to capitalise the name. Variants of ONE term share targets,
 *        so they never conflict. Reported once per pair of terms, at the later form.
 *  - Term keys: `fr`, `kind`, `gender`, `number`, or a language code. A key close to a field name
 *    (`kindd`, `gendre`) is GLOSSARY_UNKNOWN_KEY with a "did you mean"; a key shaped like a language
 *    code (`en_US`, `xx`, `EN`) is GLOSSARY_UNKNOWN_LANGUAGE with the right form as hint.
 *  - `hash` = sha256 of a canonical JSON of source, languages and terms (terms sorted by id, targets by
 *    language; places excluded), so comments, whitespace, key order and term order do not change it.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Pair } from 'yaml';
import type { Glossary, GlossaryTerm, Lang, TargetForm, TermKind } from '../artifacts.js';
import { RelaisError, RelaisErrors, type ErrorCode, type Place } from '../errors.js';
import { KNOWN_LANGUAGES, canonicalTag } from '../languages.js';
import { formKey } from './match.js';
import { findInvalidUtf8, iconvCommand } from '../stages/ingest/decode-text.js';

/** BCP 47 shape relais accepts: language, optional script, optional region (en, sr-Latn, pt-BR, es-419). */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/;

/** Languages a glossary may name (the CLI's list plus the ones the spec guarantees). */
export const GLOSSARY_LANGUAGES: ReadonlySet<string> = new Set([
  ...KNOWN_LANGUAGES,
  ...['fr', 'en', 'es', 'ca', 'eo', 'oc', 'pt', 'it', 'de', 'en-US', 'en-GB', 'pt-BR', 'pt-PT'],
]);

const SUPPORTED_SOURCES = new Set(['fr']);
const KINDS: readonly TermKind[] = ['person', 'place', 'organisation', 'other'];
const TOP_KEYS = ['source', 'languages', 'terms'] as const;
const TERM_FIELDS = ['kind', 'gender', 'number'] as const;
const TARGET_KEYS = ['form', 'article'] as const;
const FORMAT_HINT = 'A term looks like:  - fr: Moscou / kind: place / en: Moscow / es: Moscú';

/** Why `code` is not an acceptable language code, or undefined when it is. */
export function checkLanguageCode(code: string): { message: string; hint: string } | undefined {
  if (LANGUAGE_TAG.test(code)) {
    if (GLOSSARY_LANGUAGES.has(code)) return undefined;
    return { message: `unknown language "${code}"`, hint: `Known languages: ${[...GLOSSARY_LANGUAGES].join(', ')}.` };
  }
  const suggestion = canonicalTag(code);
  if (suggestion && suggestion !== code && LANGUAGE_TAG.test(suggestion)) {
    const known = GLOSSARY_LANGUAGES.has(suggestion) ? '' : ` (and "${suggestion}" is not a language relais knows: ${[...GLOSSARY_LANGUAGES].join(', ')})`;
    return { message: `"${code}" is not a BCP 47 language code`, hint: `Did you mean "${suggestion}"? Use BCP 47 codes with a hyphen and this casing: en, en-US, pt-BR${known}.` };
  }
  return { message: `"${code}" is not a language code`, hint: `Use BCP 47 codes such as ${[...GLOSSARY_LANGUAGES].slice(0, 6).join(', ')}, en-GB.` };
}

function looksLikeLanguage(key: string): boolean {
  return /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(key) || /[./\\]/.test(key);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

function closest(key: string, candidates: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(k, c);
    if (dist < bestD) [best, bestD] = [c, dist];
  }
  const allowed = key.length <= 3 ? 1 : 2;
  return bestD <= allowed ? best : undefined;
}

/* ------------------------------------------------------------------ parsing */

interface Pos {
  line: number;
  column: number;
}

interface DraftForm {
  text: string;
  key: string;
  pos: Pos;
}

interface DraftTerm {
  index: number;
  forms: DraftForm[];
  targets: Record<Lang, TargetForm>;
  targetsComplete: boolean;
}

class Context {
  readonly errors: RelaisError[] = [];
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
    readonly doc: Document,
  ) {}

  pos(node: unknown, fallback?: unknown): Pos {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      const p = this.lines.linePos(range[0]);
      return { line: p.line, column: p.col };
    }
    if (fallback !== undefined) return this.pos(fallback);
    return { line: 1, column: 1 };
  }

  place(pos: Pos): Place {
    return { file: this.file, line: pos.line, column: pos.column };
  }

  report(code: ErrorCode, message: string, at: Pos, hint?: string): void {
    this.errors.push(new RelaisError(code, message, { place: this.place(at), ...(hint ? { hint } : {}) }));
  }

  /** Aliases (*name) stand for the node they point to. */
  deref(node: unknown): unknown {
    if (isAlias(node)) return node.resolve(this.doc) ?? node;
    return node;
  }
}

/** Position of a pair's value, or of its key when the value is empty (`en:`). */
function valuePos(ctx: Context, pair: Pair): Pos {
  const v = pair.value as { range?: [number, number, number] } | null;
  if (v?.range && !(isScalar(v) && v.value === null && v.range[0] === v.range[1])) return ctx.pos(v);
  return ctx.pos(pair.key);
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `the text "${v}"`;
    return `the ${typeof v} ${String(v)}`;
  }
  return 'something else';
}

function keyName(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) return String(k.value);
  return undefined;
}

function cleanForm(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

function isEmptyText(v: unknown): boolean {
  return v === null || (typeof v === 'string' && v.trim() === '');
}

function parseSource(ctx: Context, pair: Pair): Lang | undefined {
  const v = ctx.deref(pair.value);
  const at = valuePos(ctx, pair);
  if (!isScalar(v) || typeof v.value !== 'string' || v.value.trim() === '') {
    ctx.report('GLOSSARY_SHAPE', `"source" must be a language code; got ${describe(v)}`, at, 'Write: source: fr');
    return undefined;
  }
  const code = v.value.trim();
  const bad = checkLanguageCode(code);
  if (bad) {
    ctx.report('GLOSSARY_UNKNOWN_LANGUAGE', `source language: ${bad.message}`, at, 'relais translates from French for now: write "source: fr".');
    return undefined;
  }
  if (!SUPPORTED_SOURCES.has(code)) {
    ctx.report('GLOSSARY_UNKNOWN_LANGUAGE', `source language "${code}" is not supported`, at, 'relais translates from French for now: write "source: fr".');
    return undefined;
  }
  return code;
}

function parseLanguages(ctx: Context, pair: Pair, source: Lang): Lang[] {
  const v = ctx.deref(pair.value);
  if (!isSeq(v)) {
    ctx.report('GLOSSARY_SHAPE', `"languages" must be a list of language codes; got ${describe(v)}`, valuePos(ctx, pair), 'Write: languages: [en, es, ca]');
    return [];
  }
  const out: Lang[] = [];
  const seen = new Map<string, Pos>();
  for (const raw of v.items) {
    const item = ctx.deref(raw);
    const at = ctx.pos(raw, v);
    if (!isScalar(item) || typeof item.value !== 'string') {
      ctx.report('GLOSSARY_SHAPE', `a language must be a code such as en; got ${describe(item)}`, at, 'Write: languages: [en, es, ca]');
      continue;
    }
    const code = item.value.trim();
    const bad = checkLanguageCode(code);
    if (bad) {
      ctx.report('GLOSSARY_UNKNOWN_LANGUAGE', bad.message, at, bad.hint);
      continue;
    }
    if (code === source) {
      ctx.report('GLOSSARY_SHAPE', `"${code}" is the source language, not a target`, at, 'The source text is published as written; list only target languages.');
      continue;
    }
    const first = seen.get(code);
    if (first) {
      ctx.report('GLOSSARY_SHAPE', `"${code}" is listed twice (first at ${first.line}:${first.column})`, at, 'Remove one.');
      continue;
    }
    seen.set(code, at);
    out.push(code);
  }
  return out;
}

/** C0 and C1 controls (a tab or a line break is white space, normalised), DEL, noncharacters. */
// eslint-disable-next-line no-control-regex
const CONTROL_IN_FORM = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]|\p{Noncharacter_Code_Point}/u;

/** One form (source or target) from a scalar node: text, or an error reported and undefined. */
function formFrom(ctx: Context, node: unknown, at: Pos, what: string): string | undefined {
  const v = ctx.deref(node);
  if (v === null || v === undefined || (isScalar(v) && isEmptyText(v.value))) {
    ctx.report('GLOSSARY_EMPTY_FORM', `${what} is empty`, at, what.startsWith('"fr"') ? 'Write the French form, or remove the term.' : 'Write the name, or remove the line to keep the French form unchanged.');
    return undefined;
  }
  if (!isScalar(v) || typeof v.value !== 'string') {
    const quote = isScalar(v) && v.value !== null && typeof v.value !== 'object' ? ` Quote it: "${String(v.value)}".` : '';
    ctx.report('GLOSSARY_SHAPE', `${what} must be text; got ${describe(v)}`, at, `Write the name as text.${quote}`);
    return undefined;
  }
  // A control character (a NUL from "\0" in a quoted string, U+0001…) or a noncharacter is no part of a
  // name, and would reach the published bundles (where relais' i18next markers rely on no NUL).
  const control = CONTROL_IN_FORM.exec(v.value);
  if (control) {
    const cp = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    ctx.report('GLOSSARY_SHAPE', `${what} holds the control character U+${cp}`, at, 'Remove it: a name is plain text (check the escapes in a quoted string, e.g. "\\0").');
    return undefined;
  }
  return cleanForm(v.value);
}

function parseSourceForms(ctx: Context, pair: Pair, sourceKey: string): DraftForm[] | undefined {
  const v = ctx.deref(pair.value);
  if (isSeq(v)) {
    if (v.items.length === 0) {
      ctx.report('GLOSSARY_SHAPE', `"${sourceKey}" lists no form`, valuePos(ctx, pair), `Write one form (${sourceKey}: Kiev) or several variants (${sourceKey}: [Kiev, Kyiv]).`);
      return undefined;
    }
    const forms: DraftForm[] = [];
    let ok = true;
    for (const item of v.items) {
      const at = ctx.pos(item, v);
      const text = formFrom(ctx, item, at, `"${sourceKey}" form`);
      if (text === undefined) ok = false;
      else forms.push({ text, key: formKey(text), pos: at });
    }
    return ok || forms.length > 0 ? forms : undefined;
  }
  if (isMap(v)) {
    ctx.report('GLOSSARY_SHAPE', `"${sourceKey}" must be a form or a list of forms; got a mapping`, valuePos(ctx, pair), `Write ${sourceKey}: Kiev or ${sourceKey}: [Kiev, Kyiv].`);
    return undefined;
  }
  const at = valuePos(ctx, pair);
  const text = formFrom(ctx, v, at, `"${sourceKey}"`);
  return text === undefined ? undefined : [{ text, key: formKey(text), pos: at }];
}

function parseTarget(ctx: Context, pair: Pair, lang: string): TargetForm | undefined {
  const v = ctx.deref(pair.value);
  const at = valuePos(ctx, pair);
  if (isMap(v)) {
    let form: string | undefined;
    let article: boolean | undefined;
    let ok = true;
    let hasForm = false;
    for (const p of v.items as Pair[]) {
      const k = keyName(p);
      const kat = ctx.pos(p.key, v);
      if (k === 'form') {
        hasForm = true;
        form = formFrom(ctx, p.value, valuePos(ctx, p), `"${lang}" form`);
        if (form === undefined) ok = false;
      } else if (k === 'article') {
        const a = ctx.deref(p.value);
        if (isScalar(a) && typeof a.value === 'boolean') article = a.value;
        else {
          ok = false;
          ctx.report('GLOSSARY_SHAPE', `"article" must be true or false; got ${describe(a)}`, valuePos(ctx, p), 'true: the name takes the definite article in this language; false: never.');
        }
      } else {
        ok = false;
        const near = k === undefined ? undefined : closest(k, TARGET_KEYS);
        ctx.report('GLOSSARY_UNKNOWN_KEY', `unknown key ${k === undefined ? describe(p.key) : `"${k}"`} in the "${lang}" entry`, kat, near ? `Did you mean "${near}"?` : 'A language entry has "form" and, optionally, "article: true|false".');
      }
    }
    if (!hasForm) {
      ctx.report('GLOSSARY_SHAPE', `the "${lang}" entry has no "form"`, at, `Write ${lang}: { form: United States, article: true }`);
      return undefined;
    }
    if (!ok || form === undefined) return undefined;
    return article === undefined ? { form } : { form, article };
  }
  if (isSeq(v)) {
    ctx.report('GLOSSARY_SHAPE', `"${lang}" must be a name or { form, article }; got a list`, at, 'Variants belong in "fr"; each target language has one form.');
    return undefined;
  }
  const form = formFrom(ctx, v, at, `"${lang}"`);
  return form === undefined ? undefined : { form };
}

function parseEnum<T extends string>(ctx: Context, pair: Pair, name: string, allowed: readonly T[], hint: string): T | undefined {
  const v = ctx.deref(pair.value);
  if (isScalar(v) && typeof v.value === 'string' && (allowed as readonly string[]).includes(v.value.trim())) return v.value.trim() as T;
  ctx.report('GLOSSARY_SHAPE', `"${name}" must be one of ${allowed.join(', ')}; got ${describe(v)}`, valuePos(ctx, pair), hint);
  return undefined;
}

function sameTarget(a: TargetForm | undefined, b: TargetForm | undefined): boolean {
  if (!a || !b) return a === b;
  return formKey(a.form) === formKey(b.form) && a.article === b.article;
}

function showTarget(t: TargetForm | undefined): string {
  if (!t) return 'none';
  return t.article === undefined ? `"${t.form}"` : `"${t.form}" (article: ${t.article})`;
}

export function parseGlossary(text: string, file: string): { glossary: Glossary | undefined; errors: RelaisError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const ctx = new Context(file, lines, doc);

  // The first syntax error only: YAML reports one slip several times over, on the lines after it.
  for (const e of doc.errors.slice(0, 1)) {
    const p = lines.linePos(e.pos[0]);
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    ctx.report('GLOSSARY_YAML_SYNTAX', message, { line: p.line, column: p.col }, indentationHint(text, p.line) ?? 'Check the indentation and quoting around this place (YAML).');
  }
  if (ctx.errors.length > 0) return { glossary: undefined, errors: ctx.errors };

  const root = doc.contents;
  if (!isMap(root)) {
    const empty = root === null || (isScalar(root) && root.value === null);
    ctx.report('GLOSSARY_SHAPE', empty ? 'the glossary is empty' : `the glossary must be a mapping with source, languages and terms; got ${describe(root)}`, ctx.pos(root), 'Start with:  source: fr / languages: [en, es, ca] / terms: [...]');
    return { glossary: undefined, errors: ctx.errors };
  }

  // Top level: read `source` first, whatever the key order, since language checks depend on it.
  const topSeen = new Map<string, Pos>();
  const top = new Map<string, Pair>();
  for (const pair of root.items as Pair[]) {
    const k = keyName(pair);
    const at = ctx.pos(pair.key, root);
    if (k === undefined) {
      ctx.report('GLOSSARY_SHAPE', `a key must be a plain word; got ${describe(pair.key)}`, at);
      continue;
    }
    const first = topSeen.get(k);
    if (first) {
      ctx.report('GLOSSARY_SHAPE', `"${k}" is given twice (first at ${first.line}:${first.column})`, at, 'Keep one.');
      continue;
    }
    topSeen.set(k, at);
    if ((TOP_KEYS as readonly string[]).includes(k)) top.set(k, pair);
    else {
      const near = closest(k, TOP_KEYS);
      ctx.report('GLOSSARY_UNKNOWN_KEY', `unknown key "${k}"`, at, near ? `Did you mean "${near}"?` : 'The glossary has three keys: source, languages and terms.');
    }
  }
  const sourcePair = top.get('source');
  const source = sourcePair ? parseSource(ctx, sourcePair) : 'fr';
  const sourceKey = source ?? 'fr';
  const languagesPair = top.get('languages');
  const languages = languagesPair ? parseLanguages(ctx, languagesPair, sourceKey) : [];

  const terms: GlossaryTerm[] = [];
  const drafts: DraftTerm[] = [];
  const termsPair = top.get('terms');
  const termsNode = termsPair ? ctx.deref(termsPair.value) : undefined;
  if (!termsPair) {
    ctx.report('GLOSSARY_SHAPE', 'missing "terms"', ctx.pos(root), `Add the list of names:  terms: / - ${sourceKey}: Moscou / kind: place / en: Moscow`);
  } else if (!isSeq(termsNode)) {
    ctx.report('GLOSSARY_SHAPE', `"terms" must be a list of terms; got ${describe(termsNode)}`, valuePos(ctx, termsPair), FORMAT_HINT);
  } else {
    for (const [index, raw] of termsNode.items.entries()) {
      const node = ctx.deref(raw);
      const termAt = ctx.pos(raw, termsNode);
      if (!isMap(node)) {
        ctx.report('GLOSSARY_SHAPE', `a term must be a mapping (${sourceKey}, kind, one key per language); got ${describe(node)}`, termAt, FORMAT_HINT);
        continue;
      }
      const before = ctx.errors.length;
      const keysSeen = new Map<string, Pos>();
      let forms: DraftForm[] | undefined;
      let kind: TermKind | undefined;
      let gender: 'm' | 'f' | undefined;
      let number: 'sg' | 'pl' | undefined;
      const targets: Record<Lang, TargetForm> = {};
      let targetsComplete = true;
      for (const pair of node.items as Pair[]) {
        const k = keyName(pair);
        const at = ctx.pos(pair.key, node);
        if (k === undefined) {
          ctx.report('GLOSSARY_SHAPE', `a key must be a plain word; got ${describe(pair.key)}`, at, FORMAT_HINT);
          continue;
        }
        const first = keysSeen.get(k);
        if (first) {
          if (LANGUAGE_TAG.test(k) && k !== sourceKey) {
            targetsComplete = false;
            ctx.report('GLOSSARY_CONFLICTING_TARGETS', `"${k}" is given twice in this term (first at ${first.line}:${first.column})`, at, 'A term has one form per language; keep one.');
          } else {
            ctx.report('GLOSSARY_SHAPE', `"${k}" is given twice in this term (first at ${first.line}:${first.column})`, at, k === sourceKey ? `Put variants in one list: ${sourceKey}: [Kiev, Kyiv]` : 'Keep one.');
          }
          continue;
        }
        keysSeen.set(k, at);
        if (k === sourceKey) forms = parseSourceForms(ctx, pair, sourceKey);
        else if (k === 'kind') kind = parseEnum(ctx, pair, 'kind', KINDS, 'kind: person | place | organisation | other');
        else if (k === 'gender') gender = parseEnum(ctx, pair, 'gender', ['m', 'f'] as const, 'The grammatical gender of the French form: m or f.');
        else if (k === 'number') number = parseEnum(ctx, pair, 'number', ['sg', 'pl'] as const, 'The grammatical number of the French form: sg or pl.');
        else if (LANGUAGE_TAG.test(k) && GLOSSARY_LANGUAGES.has(k)) {
          const t = parseTarget(ctx, pair, k);
          if (t) targets[k] = t;
          else targetsComplete = false;
        } else {
          targetsComplete = false;
          const near = closest(k, [sourceKey, ...TERM_FIELDS]);
          const lang = !near && looksLikeLanguage(k) ? checkLanguageCode(k) : undefined;
          if (lang) ctx.report('GLOSSARY_UNKNOWN_LANGUAGE', lang.message, at, lang.hint);
          else ctx.report('GLOSSARY_UNKNOWN_KEY', `unknown key "${k}"`, at, near ? `Did you mean "${near}"?` : `A term has ${sourceKey}, kind, gender, number and one key per target language (en, es, ca…).`);
        }
      }
      if (!keysSeen.has(sourceKey)) {
        ctx.report('GLOSSARY_SHAPE', `this term has no "${sourceKey}"`, termAt, `Every term needs its source form: ${sourceKey}: Moscou`);
      }
      if (!keysSeen.has('kind')) {
        ctx.report('GLOSSARY_SHAPE', `${forms?.[0] ? `term "${forms[0].text}"` : 'this term'} has no "kind"`, termAt, 'kind: person | place | organisation | other');
      }
      // relais never gives a person's name an article: one written there would be believed and ignored.
      if (kind === 'person') {
        for (const [lang, t] of Object.entries(targets)) {
          if (t.article !== undefined) ctx.report('GLOSSARY_SHAPE', `"article" has no effect on a person ("${lang}" of ${forms?.[0] ? `"${forms[0].text}"` : 'this term'}): people's names never take one`, keysSeen.get(lang)!, `Write ${lang}: ${t.form}`);
        }
      }
      if (forms && forms.length > 0) drafts.push({ index, forms, targets, targetsComplete });
      if (ctx.errors.length === before && forms && forms.length > 0 && kind) {
        terms.push({
          id: forms[0]!.text,
          forms: forms.map((f) => f.text),
          kind,
          targets,
          ...(gender ? { gender } : {}),
          ...(number ? { number } : {}),
          place: termAt,
        });
      }
    }
  }

  checkDuplicatesAndConflicts(ctx, drafts);

  if (ctx.errors.length > 0 || source === undefined) {
    ctx.errors.sort((a, b) => (a.place?.line ?? 0) - (b.place?.line ?? 0) || (a.place?.column ?? 0) - (b.place?.column ?? 0));
    return { glossary: undefined, errors: ctx.errors };
  }
  return { glossary: { source, languages, terms, hash: glossaryHash(source, languages, terms), file }, errors: [] };
}

/**
 * Where a YAML slip is an indentation one, say which line and what column its neighbours use: the keys
 * of one term line up ("fr" after "- ", then "kind", "en"…). Looks at the error's line and the one after
 * it (YAML often complains on the line before the deeper one).
 */
function indentationHint(text: string, errorLine: number): string | undefined {
  const all = text.split(/\r?\n/);
  const keyCol = (l: string) => /^(\s*(?:-\s+)?)[^\s#-][^:#]*:(?:\s|$)/.exec(l)?.[1]!.length;
  for (const n of [errorLine, errorLine + 1]) {
    const line = all[n - 1];
    if (line === undefined || keyCol(line) === undefined || /^\s*-\s/.test(line)) continue;
    let m = n - 1;
    while (m > 0 && (all[m - 1]!.trim() === '' || all[m - 1]!.trim().startsWith('#'))) m--;
    const above = all[m - 1];
    if (above === undefined || keyCol(above) === undefined || /:\s*$/.test(above)) continue;
    const [here, there] = [keyCol(line)!, keyCol(above)!];
    if (here !== there) return `Line ${n} starts its key at column ${here + 1}, line ${m} at column ${there + 1}: the keys of one term line up (YAML reads the indentation). Indent line ${n} by ${there} spaces.`;
  }
  return undefined;
}

function checkDuplicatesAndConflicts(ctx: Context, drafts: DraftTerm[]): void {
  const exact = new Map<string, { form: DraftForm; term: DraftTerm }>();
  const byCase = new Map<string, Array<{ form: DraftForm; term: DraftTerm }>>();
  const reportedPairs = new Set<string>();
  for (const term of drafts) {
    for (const form of term.forms) {
      const first = exact.get(form.key);
      if (first) {
        const where = first.term === term ? ' in this list' : '';
        ctx.report('GLOSSARY_DUPLICATE_TERM', `"${form.text}" is already defined${where} at ${first.form.pos.line}:${first.form.pos.column}`, form.pos, first.term === term ? 'Remove the repeated variant.' : 'Merge the two terms, or remove one.');
        continue;
      }
      exact.set(form.key, { form, term });
      const folded = form.key.toLowerCase();
      const others = byCase.get(folded) ?? [];
      for (const other of others) {
        if (other.term === term || !other.term.targetsComplete || !term.targetsComplete) continue;
        const pairId = `${other.term.index}/${term.index}`;
        if (reportedPairs.has(pairId)) continue;
        const langs = [...new Set([...Object.keys(other.term.targets), ...Object.keys(term.targets)])].sort();
        const differing = langs.filter((l) => !sameTarget(other.term.targets[l], term.targets[l]));
        if (differing.length === 0) continue;
        reportedPairs.add(pairId);
        const detail = differing.map((l) => `${l}: ${showTarget(term.targets[l])} vs ${showTarget(other.term.targets[l])}`).join('; ');
        ctx.report(
          'GLOSSARY_CONFLICTING_TARGETS',
          `"${form.text}" and "${other.form.text}" (${other.form.pos.line}:${other.form.pos.column}) differ only in case but have different targets (${detail})`,
          form.pos,
          `Make them variants of one term (fr: [${other.form.text}, ${form.text}]) or give both the same targets.`,
        );
      }
      others.push({ form, term });
      byCase.set(folded, others);
    }
  }
}

/* ------------------------------------------------------------------ hash */

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the glossary's meaning: source, languages and terms (places, comments and order of terms excluded). */
export function glossaryHash(source: Lang, languages: readonly Lang[], terms: readonly GlossaryTerm[]): string {
  const canon = {
    source,
    languages,
    terms: [...terms]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((t) => ({ forms: t.forms, kind: t.kind, targets: t.targets, gender: t.gender, number: t.number })),
  };
  return createHash('sha256').update(canonicalJson(canon)).digest('hex');
}

/* ------------------------------------------------------------------ I/O */

/** Read and parse a glossary file. Throws RelaisError GLOSSARY_NOT_FOUND, or RelaisErrors with every problem. */
export function readGlossary(path: string): Glossary {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint = 'Create glossary.yaml at the project root (source: fr, languages: [en, es, ca], terms: [...]) or pass another file with --glossary <file>.';
    if (code === 'ENOENT') throw new RelaisError('GLOSSARY_NOT_FOUND', `no glossary at ${path}`, { place: { file: path }, hint, cause: e });
    if (code === 'EISDIR') throw new RelaisError('GLOSSARY_NOT_FOUND', `${path} is a directory, not a glossary file`, { place: { file: path }, hint, cause: e });
    throw new RelaisError('GLOSSARY_NOT_FOUND', `cannot read ${path}: ${(e as Error).message}`, { place: { file: path }, hint: 'Check the file permissions.', cause: e });
  }
  const bad = findInvalidUtf8(bytes);
  if (bad) {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const err = new RelaisError('GLOSSARY_YAML_SYNTAX', utf16 ? 'the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8' : `the file is not valid UTF-8 (byte 0x${bad.byte.toString(16).padStart(2, '0')} at byte offset ${bad.offset})`, {
      place: utf16 ? { file: path, offset: 0 } : { file: path, line: bad.line, column: bad.column, offset: bad.offset },
      hint: `Save it as UTF-8, e.g. ${iconvCommand(utf16 ? 'UTF-16' : 'WINDOWS-1252', path)}, then use that file.`,
    });
    throw new RelaisErrors([err], `${path} has 1 problem`);
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const { glossary, errors } = parseGlossary(text, path);
  if (!glossary || errors.length > 0) {
    throw new RelaisErrors(errors, `${path} has ${errors.length} problem${errors.length === 1 ? '' : 's'}`);
  }
  return glossary;
}
