/**
 * `relais export` and `relais import`: a job's review state as XLIFF 2.1 or TMX 1.4b for CAT tools
 * (OmegaT, Trados, memoQ), and their reviewed files back into the job's decisions.
 *
 * An import is all or nothing by default: if any unit is refused (unknown id, a source that is not the
 * job's, a wrong language), nothing is recorded and every problem is listed with its line. With
 * `applyValid` the valid units are recorded anyway.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Lang } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { JobStore, jobGlossaryFile } from '../job/job-store.js';
import { readGlossary } from '../glossary/parse.js';
import { withQaChecks } from './qa-checks.js';
import { RELAIS_VERSION } from '../paths.js';
import { tmxDate } from '../stages/align/build-tmx.js';
import { decodeArticle } from '../stages/ingest/decode-text.js';
import { loadReviewArticle } from './build-review.js';
import { DecisionStore } from './decision-store.js';
import { planImport, type BilingualDocument, type ImportPlan, sameLanguage } from './plan-import.js';
import type { ReviewArticle, SegmentState } from './review-model.js';
import { buildReviewTmx, parseTmx } from './tmx.js';
import { buildXliff, parseXliff } from './xliff.js';

export type ExchangeFormat = 'xliff' | 'tmx';

function reviewArticles(job: JobStore, decisions: DecisionStore, lang: Lang): ReviewArticle[] {
  const m = job.readManifest();
  if (!m.targets.includes(lang)) {
    const use = `Use --lang ${m.targets.join(' or --lang ')}`;
    throw new RelaisError('LANGUAGE_UNSUPPORTED', `the job has no ${lang} translation (its languages: ${m.targets.join(', ')})`, {
      hint: lang === m.sourceLang ? `${lang} is the job's source language, published as written. ${use}.` : `${use}, or run the job with --to ${lang} first.`,
    });
  }
  return m.sources.map(({ namespace }) => loadReviewArticle(job, decisions, namespace, lang));
}

/** Every article of the job in one file, for one target language. */
export function exportReview(o: {
  jobDir: string; format: ExchangeFormat; lang: Lang;
  /** Only these articles (namespaces); all by default. */
  articles?: readonly string[];
  /** Only segments in these review states; all by default. */
  states?: readonly SegmentState[];
}): string {
  const job = new JobStore(o.jobDir);
  const m = job.readManifest(); // before the decision store, which would create its database in a mistyped --job
  const decisions = new DecisionStore(job.dir);
  try {
    // QA notes on the text a reviewer would publish (an edit can break a name), as the review page shows
    // them; with the job's glossary, when it is still there.
    const used = jobGlossaryFile(job.dir);
    const glossary = used ? readGlossary(used.file) : undefined;
    let articles = reviewArticles(job, decisions, o.lang);
    if (o.articles) {
      const known = new Set(articles.map((a) => a.namespace));
      const unknown = o.articles.filter((ns) => !known.has(ns));
      if (unknown.length > 0) throw new RelaisError('OPTION_INVALID', `the job has no article ${unknown.map((n) => `"${n}"`).join(', ')}`, { hint: `Its articles: ${[...known].join(', ')}.` });
      articles = articles.filter((a) => o.articles!.includes(a.namespace));
    }
    if (o.states) articles = articles.map((a) => ({ ...a, segments: a.segments.filter((s) => o.states!.includes(s.state)) }));
    articles = articles.map((a) => (glossary ? withQaChecks(a, glossary) : a));
    if (o.format === 'xliff') return buildXliff(articles, { sourceLang: m.sourceLang, targetLang: o.lang });
    return buildReviewTmx(articles, { toolVersion: RELAIS_VERSION, creationDate: tmxDate(new Date()), engine: { id: m.engine, version: '' } });
  } finally {
    decisions.close();
  }
}

/**
 * An XML file's text: UTF-8 (checked as strictly as an article), or UTF-16 with its byte-order mark,
 * as Trados and some memoQ setups write TMX; its declaration then says UTF-16, which was true of the bytes.
 */
function decodeXmlFile(bytes: Buffer, file: string): string {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  if (!le && !(bytes[0] === 0xfe && bytes[1] === 0xff)) {
    // An XML declaration naming another encoding (ISO-8859-1, windows-1252: valid XML that some CAT
    // tools write) is read in that encoding, as an XML parser would.
    const declared = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/u.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
    if (declared && !/^utf-?8$/iu.test(declared)) {
      let decoder: InstanceType<typeof TextDecoder> | undefined;
      try {
        decoder = new TextDecoder(declared, { fatal: true });
      } catch {
        decoder = undefined; // an encoding Node does not know: read as UTF-8, which says what is wrong
      }
      if (decoder) {
        try {
          return decoder.decode(bytes).replace(/^(<\?xml[^>]*?encoding\s*=\s*["'])[A-Za-z0-9._-]+(["'])/u, '$1UTF-8$2');
        } catch {
          throw new RelaisError('INPUT_NOT_UTF8', `the file declares the encoding ${declared} but is not valid ${declared}`, { place: { file }, hint: 'Export it again from the CAT tool, in UTF-8.' });
        }
      }
    }
    return decodeArticle(bytes, file).text;
  }
  let text: string;
  try {
    text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes);
  } catch {
    throw new RelaisError('INPUT_NOT_UTF8', 'the file starts with a UTF-16 byte-order mark but is not valid UTF-16', { place: { file }, hint: 'Export it again from the CAT tool.' });
  }
  return text.replace(/^(<\?xml[^>]*?encoding\s*=\s*["'])utf-?16(?:le|be)?(["'])/iu, '$1UTF-8$2');
}

export interface ImportResult {
  plan: ImportPlan;
  document: BilingualDocument;
  /** Decisions recorded (0 when the import was refused). */
  recorded: number;
}

/** Read a reviewed XLIFF (2.x or 1.2) or TMX file and record its decisions. */
export function importReview(o: { jobDir: string; file: string; lang?: Lang; applyValid?: boolean; by?: string }): ImportResult {
  if (!existsSync(o.file)) throw new RelaisError('INPUT_NOT_FOUND', `no such file: ${o.file}`, { place: { file: o.file } });
  if (!statSync(o.file).isFile()) {
    throw new RelaisError('INPUT_NOT_FOUND', `not a file: ${o.file}`, { place: { file: o.file }, hint: 'Give relais import the reviewed .xlf or .tmx file.' });
  }
  const text = decodeXmlFile(readFileSync(o.file), o.file);
  const job = new JobStore(o.jobDir);
  const m = job.readManifest();
  const isTmx = /<tmx[\s>]/.test(text.slice(0, 4096));
  const document = isTmx ? parseTmx(text, o.file, { sourceLang: m.sourceLang, ...(o.lang ? { targetLang: o.lang } : {}) }) : parseXliff(text, o.file);
  const lang = o.lang ?? document.trgLang;
  if (!lang) throw new RelaisError('OPTION_INVALID', `${o.file} does not say its target language`, { place: { file: o.file }, hint: 'Give it with --lang, e.g. --lang en.' });
  // es-ES in a file for the job's es (Trados and memoQ add the region): the same language.
  const target = m.targets.find((t) => t.toLowerCase() === lang.toLowerCase()) ?? m.targets.find((t) => sameLanguage(lang, t));
  if (target === undefined) {
    throw new RelaisError('LANGUAGE_UNSUPPORTED', `the file is ${o.lang ? 'imported as' : 'in'} ${lang}; the job has no ${lang} translation (its languages: ${m.targets.join(', ')})`, {
      place: { file: o.file },
      hint: o.lang ? `Use --lang ${m.targets.join(' or --lang ')}.` : `Import the file into the job it was exported from, or export one from this job; to take it as one of this job's languages, give it: --lang ${m.targets.join(' or --lang ')}.`,
    });
  }
  const decisions = new DecisionStore(job.dir);
  try {
    const plan = planImport(document.units, reviewArticles(job, decisions, target), { sourceLang: m.sourceLang, targetLang: target });
    if (plan.errors.length > 0 && !o.applyValid) return { plan, document, recorded: 0 };
    const at = new Date().toISOString();
    decisions.save(plan.updates.map(({ unitId: _u, line: _l, previous: _p, ...d }) => ({ ...d, updatedAt: at, by: o.by ?? document.tool ?? `${document.format} import` })));
    return { plan, document, recorded: plan.updates.length };
  } finally {
    decisions.close();
  }
}
