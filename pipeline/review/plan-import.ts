/**
 * The units of a bilingual file a reviewer brings back (XLIFF or TMX, already parsed) + the job's review
 * view → what importing it would change. Pure: the CLI saves `updates` as decisions (adding `updatedAt`
 * and `by`) and prints `errors` and `warnings`.
 *
 * Rules, per unit:
 * - It is found by its id in the article its `<file>` names; a unit whose article is not in the job is
 *   looked up by id in every article (a CAT tool may rename `original`). A unit with no id (a TMX from
 *   another tool) is found by its source text.
 * - Refused, each with its own error and no change: an id the job does not know, a source text that is
 *   not the job's (the article changed since the export, or the CAT tool edited the source), a unit
 *   repeating one already imported, and units in another language pair — reported once per pair, not
 *   once per unit, since a file in the wrong language is one mistake.
 * - The state it gets: XLIFF `final` → approved; `reviewed` → edited (the mirror of the export, which
 *   writes edited as reviewed: a CAT tool's "reviewed" is a first check, `final` is the sign-off);
 *   `translated` or no state (TMX, or a tool that drops states) → edited when the text changed,
 *   otherwise nothing changes — a file cannot take a decision back to "machine", so a decided segment
 *   marked `translated` keeps its decision, with a warning; `initial` → rejected if the text is the one
 *   exported, edited if the reviewer wrote something.
 * - Texts are compared as `comparableText` makes them: Unicode NFC, runs of XML white space as one
 *   space, no leading or trailing white space, and characters XML cannot carry as U+FFFD. CAT tools
 *   re-flow white space and macOS tools may write NFD; neither is an edit. A change only in such white
 *   space is therefore not imported. An imported text is stored in NFC, like everything ingest reads.
 * - An empty or missing target imports nothing (warning): it is what a tool writes for a segment nobody
 *   translated, not a reviewer's wish to publish nothing.
 *
 * An export followed by an import of the same file, unedited, has no updates, errors or warnings.
 */
import type { Lang } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { seenMark, type Decision, type ReviewArticle, type ReviewSegment, type SegmentState } from './review-model.js';

/** XLIFF 2 segment states (XLIFF 1.2 states are mapped to these when parsed). */
export type XliffState = 'initial' | 'translated' | 'reviewed' | 'final';

export const XLIFF_STATES: readonly XliffState[] = ['initial', 'translated', 'reviewed', 'final'];

export type ImportErrorCode =
  | 'IMPORT_UNKNOWN_ID' // no segment of the job has the unit's id
  | 'IMPORT_UNKNOWN_SOURCE' // (units without id) no segment has this source text
  | 'IMPORT_AMBIGUOUS_ID' // several articles have a segment with this id and the file does not say which
  | 'IMPORT_SOURCE_CHANGED' // the unit's source is not the job's source for that id
  | 'IMPORT_WRONG_LANGUAGE' // the file's language pair is not the one imported
  | 'IMPORT_DUPLICATE_UNIT'; // a second unit for a segment already imported from this file

export type ImportWarningCode =
  | 'IMPORT_INLINE_MARKUP' // the target had inline codes; only their text was kept
  | 'IMPORT_JOINED_SEGMENTS' // the CAT tool split the unit into several segments; they were joined
  | 'IMPORT_NO_TARGET' // no (or an empty) target: nothing imported
  | 'IMPORT_NO_SOURCE' // no (or an empty) source: a sentence the translation added, nothing imported
  | 'IMPORT_DECISION_KEPT' // the file says "translated" for a decided segment, or has the machine text unedited; the decision is kept
  | 'IMPORT_STALE' // the unit's target is the machine translation it was exported with, which is no longer this job's
  | 'IMPORT_CONFLICT' // the segment was decided in relais after the file was exported: its newer decision is kept
  | 'IMPORT_LANGUAGE_AMBIGUOUS'; // (TMX) several target languages in a unit and none chosen

/** One unit of an imported file, whatever its format. */
export interface ImportUnit {
  /** The article: XLIFF 2 `<file id>`, XLIFF 1.2 `<file original>`, TMX: the part of `tuid` before the first ".". */
  namespace: string | undefined;
  /** The segment id; undefined for a TMX `<tu>` without a relais `tuid` (matched by source text). */
  id: string | undefined;
  source: string;
  /** undefined when the unit has no target at all. */
  target: string | undefined;
  /** undefined when the file says nothing (no `state` attribute, TMX). */
  state: XliffState | undefined;
  /**
   * The machine translation the unit was exported with (relais' XLIFF note `relais:machine-translation`,
   * TMX prop `x-relais-machine`); undefined in files relais did not write.
   */
  machine?: string;
  /** What the segment was in relais when the unit was exported (seenMark; XLIFF note `relais:seen`, TMX prop `x-relais-seen`). */
  seen?: string;
  /** The languages of the unit's `<file>` (XLIFF 1.2 has them per file) or `<tuv>`s. */
  srcLang: Lang | undefined;
  trgLang: Lang | undefined;
  /** 1-based line of the unit's element (`<unit>`, `<trans-unit>`, `<tu>`). */
  line: number;
  /** What the parser had to do to the unit (inline markup dropped, segments joined). */
  warnings: Array<{ code: ImportWarningCode; message: string }>;
}

/** A parsed XLIFF or TMX file. */
export interface BilingualDocument {
  format: 'xliff' | 'tmx';
  /** `2.1`, `2.0`, `1.2`, `1.4`… as the file says. */
  version: string;
  /** The document's languages (for XLIFF 1.2: those of its first `<file>`). */
  srcLang: Lang | undefined;
  trgLang: Lang | undefined;
  /** The tool that wrote it, when the file says (XLIFF 1.2 `<tool>`, TMX `creationtool`): for `Decision.by`. */
  tool?: string;
  units: ImportUnit[];
}

export interface ImportProblem<C extends string> {
  code: C;
  message: string;
  /** Line of the unit in the imported file. */
  line: number;
  unitId: string | undefined;
  namespace: string | undefined;
  hint?: string;
}

/** A decision to record: a `Decision` without `updatedAt`/`by`, plus where it came from. */
export interface ImportUpdate extends Omit<Decision, 'updatedAt' | 'by' | 'state'> {
  state: Exclude<SegmentState, 'machine' | 'needs-review'>;
  unitId: string | undefined;
  line: number;
  /** The segment before the import. */
  previous: { state: SegmentState; text: string };
}

export interface ImportPlan {
  updates: ImportUpdate[];
  errors: Array<ImportProblem<ImportErrorCode>>;
  warnings: Array<ImportProblem<ImportWarningCode>>;
  /** Segments a unit matched that need no change. */
  unchanged: number;
  /** Units not imported because their target is the machine text of another job or an earlier run (IMPORT_STALE). */
  stale: number;
  /** Units not imported because their segment was decided in relais after the file was exported (IMPORT_CONFLICT). */
  conflicts: number;
}

interface Target {
  article: ReviewArticle;
  segment: ReviewSegment;
}

export function planImport(
  units: readonly ImportUnit[],
  current: readonly ReviewArticle[],
  expected: { sourceLang: Lang; targetLang: Lang },
): ImportPlan {
  const byNamespace = new Map<string, Map<string, Target>>();
  const byId = new Map<string, Target[]>();
  const bySource = new Map<string, Target[]>();
  for (const article of current) {
    const ids = new Map<string, Target>();
    for (const segment of article.segments) {
      const t = { article, segment };
      ids.set(segment.id, t);
      push(byId, segment.id, t);
      push(bySource, comparableText(segment.source), t);
    }
    byNamespace.set(article.namespace, ids);
  }

  const plan: ImportPlan = { updates: [], errors: [], warnings: [], unchanged: 0, stale: 0, conflicts: 0 };
  const claimed = new Map<string, number>();
  const wrongPairs = new Map<string, { first: ImportUnit; count: number }>();
  const error = (u: ImportUnit, code: ImportErrorCode, message: string, hint?: string) =>
    plan.errors.push({ code, message, line: u.line, unitId: u.id, namespace: u.namespace, ...(hint ? { hint } : {}) });
  const warn = (u: ImportUnit, code: ImportWarningCode, message: string) =>
    plan.warnings.push({ code, message, line: u.line, unitId: u.id, namespace: u.namespace });
  const articles = current.map((a) => a.namespace).join(', ') || '(none)';

  for (const u of units) {
    if (!u.srcLang || !u.trgLang || !sameLanguage(u.srcLang, expected.sourceLang) || !sameLanguage(u.trgLang, expected.targetLang)) {
      const pair = `${u.srcLang ?? ''}\u0000${u.trgLang ?? ''}`;
      const seen = wrongPairs.get(pair);
      if (seen) seen.count++;
      else wrongPairs.set(pair, { first: u, count: 1 });
      continue;
    }
    const name = u.id === undefined ? `the unit with source ${quote(u.source)}` : `unit "${u.id}"`;
    // A sentence of the translation with no source (an addition `relais align` found): nothing to bring in.
    if (u.source.trim() === '' && !bySource.has(comparableText(u.source))) {
      warn(u, 'IMPORT_NO_SOURCE', `${u.id === undefined ? 'a unit' : name} has no source sentence (a sentence the translation added): nothing imported`);
      continue;
    }

    let targets: Target[];
    if (u.id !== undefined) {
      const article = u.namespace === undefined ? undefined : byNamespace.get(u.namespace);
      if (article) {
        const t = article.get(u.id);
        if (!t) {
          error(u, 'IMPORT_UNKNOWN_ID', `${name}: article "${u.namespace}" has no segment with this id`, 'The article changed since the export (a changed sentence gets a new id): export again and redo this unit in the new file.');
          continue;
        }
        targets = [t];
      } else {
        targets = byId.get(u.id) ?? [];
        if (targets.length === 0) {
          error(
            u,
            'IMPORT_UNKNOWN_ID',
            u.namespace === undefined ? `${name}: no segment of this job has this id` : `${name}: this job has no article "${u.namespace}" and no segment with this id`,
            `Articles in this job: ${articles}. Was the file exported from another job (--job)?`,
          );
          continue;
        }
        if (targets.length > 1) {
          error(u, 'IMPORT_AMBIGUOUS_ID', `${name}: ${targets.length} articles have a segment with this id (${targets.map((t) => t.article.namespace).join(', ')}) and the file names none of them ("${u.namespace ?? ''}")`, 'Keep the <file> ids (XLIFF) or tuids (TMX) of the exported file.');
          continue;
        }
      }
      const t = targets[0]!;
      if (comparableText(u.source) !== comparableText(t.segment.source)) {
        error(u, 'IMPORT_SOURCE_CHANGED', `${name}: the source text differs from the job's: ${describeDifference(u.source, t.segment.source)}`, 'Either the article changed since the export (export again) or the CAT tool edited the source: only targets can be imported.');
        continue;
      }
    } else {
      const pool = (u.namespace !== undefined && byNamespace.has(u.namespace) ? bySource.get(comparableText(u.source))?.filter((t) => t.article.namespace === u.namespace) : bySource.get(comparableText(u.source))) ?? [];
      if (pool.length === 0) {
        error(u, 'IMPORT_UNKNOWN_SOURCE', `${name}: no segment of this job has this source text`, 'Units without a relais id are matched by their source text, which must be a sentence of the job as relais segmented it.');
        continue;
      }
      targets = pool;
    }

    let first = true;
    for (const t of targets) {
      const key = `${t.article.namespace}\u0000${t.segment.id}`;
      const earlier = claimed.get(key);
      if (earlier !== undefined) {
        error(u, 'IMPORT_DUPLICATE_UNIT', `${name}: segment "${t.segment.id}" of "${t.article.namespace}" was already imported from line ${earlier}; this unit is ignored`);
        continue;
      }
      claimed.set(key, u.line);
      if (first) for (const w of u.warnings) warn(u, w.code, `${name}: ${w.message}`);
      first = false;
      const update = decide(u, t, name, warn);
      if (update === 'stale') plan.stale++;
      else if (update === 'conflict') plan.conflicts++;
      else if (update) plan.updates.push(update);
      else plan.unchanged++;
    }
  }

  const languageErrors = [...wrongPairs.values()].map(({ first, count }): ImportProblem<ImportErrorCode> => {
    const pair = `${first.srcLang ?? '?'} → ${first.trgLang ?? '?'}`;
    const units = `${count} unit${count === 1 ? '' : 's'} not imported`;
    return {
      code: 'IMPORT_WRONG_LANGUAGE',
      message: !first.srcLang || !first.trgLang
        ? `the file does not say its ${first.srcLang ? 'target' : 'source'} language (XLIFF srcLang/trgLang, source-language/target-language, TMX xml:lang), ${expected.sourceLang} → ${expected.targetLang} expected: ${units}`
        : `the file is ${pair}, this import is ${expected.sourceLang} → ${expected.targetLang}: ${units}`,
      line: first.line,
      unitId: undefined,
      namespace: first.namespace,
      hint: first.trgLang && first.srcLang && sameLanguage(first.srcLang, expected.sourceLang) ? `Import it with --lang ${first.trgLang}.` : 'Export the file again from this job for the language you review.',
    };
  });
  plan.errors.unshift(...languageErrors);
  return plan;
}

function decide(
  u: ImportUnit,
  { article, segment }: Target,
  name: string,
  warn: (u: ImportUnit, code: ImportWarningCode, message: string) => void,
): ImportUpdate | 'stale' | 'conflict' | undefined {
  const current = segment.current;
  if (u.target === undefined) {
    warn(u, 'IMPORT_NO_TARGET', `${name} has no target: nothing imported`);
    return undefined;
  }
  const changed = comparableText(u.target) !== comparableText(current);
  if (changed && comparableText(u.target) === '') {
    warn(u, 'IMPORT_NO_TARGET', `${name} has an empty target: nothing imported (to reject a translation, use the review page)`);
    return undefined;
  }
  // A target equal to the machine translation the file was exported with holds no reviewer's work.
  const unedited = u.machine !== undefined && comparableText(u.target) === comparableText(u.machine);
  if (unedited && comparableText(u.machine!) !== comparableText(segment.target)) {
    // Exported from another job, or before a run that changed the translation (a glossary fix): taking
    // it would put the old machine text back as if a reviewer had written it.
    warn(u, 'IMPORT_STALE', `${name}: its target is the machine translation of the job it was exported from, not this job's current one (another job, or an earlier run): not imported`);
    return 'stale';
  }
  if (unedited && changed && (segment.state === 'edited' || segment.state === 'approved')) {
    warn(u, 'IMPORT_DECISION_KEPT', `${name}: the file has the machine translation, unedited; relais keeps the reviewer's ${segment.state} text`);
    return undefined;
  }
  let next: ImportUpdate['state'] | undefined;
  switch (u.state) {
    case 'final':
      next = 'approved';
      break;
    case 'reviewed':
      next = 'edited';
      break;
    case 'initial':
      next = changed ? 'edited' : 'rejected';
      break;
    default:
      next = changed ? 'edited' : undefined;
  }
  if (next === undefined) {
    if (u.state === 'translated' && segment.state !== 'machine' && segment.state !== 'needs-review') {
      warn(u, 'IMPORT_DECISION_KEPT', `${name}: the file marks it "translated"; relais keeps its decision "${segment.state}" (a decision is withdrawn on the review page)`);
    }
    return undefined;
  }
  if (!changed && next === segment.state) return undefined;
  // Decided in relais after the file was exported (on the review page, or by another import): the file's
  // older unit must not replace what a reviewer chose since.
  // A new machine translation alone (a re-run) is no decision: the reviewer's edit in the file still wins.
  if (u.seen !== undefined && segment.state !== 'machine' && u.seen !== seenMark(segment)) {
    const now = current.length > 60 ? `${current.slice(0, 60)}…` : current;
    warn(u, 'IMPORT_CONFLICT', `${name} changed in relais after this file was exported (it is now ${segment.state}: "${now}"); the file's version was not imported`);
    return 'conflict';
  }
  return {
    namespace: article.namespace,
    lang: article.targetLang,
    segmentId: segment.id,
    state: next,
    text: changed ? u.target.normalize('NFC') : current,
    source: segment.source,
    machine: segment.target,
    unitId: u.id,
    line: u.line,
    previous: { state: segment.state, text: current },
  };
}

/**
 * The form two texts are compared in: NFC, XML white space runs as one space, trimmed, and what XML
 * cannot carry (C0 controls, U+FFFE/U+FFFF, lone surrogates) as U+FFFD — the TMX writer's replacement.
 */
export function comparableText(text: string): string {
  return text
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    )
    .normalize('NFC')
    .replace(/[ \t\n\r]+/g, ' ')
    .trim();
}

/**
 * Whether a file's language tag names the language relais expects: equal ignoring case and `_`/`-`
 * (`en_us` = `en-US`), or one is the other with a region (`en-US` for `en`: CAT tools often add it).
 * `en-GB` is not `en-US`.
 */
export function sameLanguage(fileLang: string, expected: Lang): boolean {
  const a = fileLang.trim().replace(/_/g, '-').toLowerCase();
  const b = expected.replace(/_/g, '-').toLowerCase();
  return a === b || a.startsWith(`${b}-`) || b.startsWith(`${a}-`);
}

/** `file:line CODE message` and the hint, as the CLI prints problems. */
export function formatImportProblem(p: ImportProblem<string>, file: string): string {
  return `${file}:${p.line} ${p.code} ${p.message}${p.hint ? `\n  → ${p.hint}` : ''}`;
}

/** An import error as a RelaisError (its code is one of ErrorCode's `IMPORT_…`), for the CLI's error path. */
export function importError(p: ImportProblem<ImportErrorCode>, file: string): RelaisError {
  return new RelaisError(p.code, p.message, { place: { file, line: p.line }, ...(p.hint ? { hint: p.hint } : {}) });
}

/** "…file text…" in the file, "…job text…" in the job, around the first difference. */
function describeDifference(fileText: string, jobText: string): string {
  const a = comparableText(fileText);
  const b = comparableText(jobText);
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  const from = Math.max(0, p - 20);
  const cut = (s: string) => `${from > 0 ? '…' : ''}${s.slice(from, p + 30)}${s.length > p + 30 ? '…' : ''}`;
  return `${JSON.stringify(cut(a))} in the file, ${JSON.stringify(cut(b))} in the job`;
}

function quote(text: string): string {
  const t = comparableText(text);
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
