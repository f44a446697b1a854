/**
 * The translate stage: every translatable segment of an article into every target language, through
 * one engine, with the glossary enforced. Finished segments go to the job's journal as they finish, so
 * a killed run loses at most the batches in flight and a re-run asks the engine only for what is missing.
 */
import PQueue from 'p-queue';
import type {
  Glossary, Lang, ProgressEvent, QaFlag, Segment, SegmentedArticle, TranslatedArticle, TranslatedSegment, UnknownWord,
} from '../../artifacts.js';
import { completedBefore, type Engine, type EngineResult, type EngineSegment } from '../../engines/engine.js';
import { sha256 } from '../../job/hash.js';
import { findTermOccurrences } from '../../glossary/match.js';
import { targetFor } from '../../glossary/target-for.js';
import type { JobStore } from '../../job/job-store.js';
import { logEngineRequest } from '../../job/engine-request-log.js';
import type { MemoryStore } from '../../memory/translation-memory.js';
import { prepareSegment, type PreparedSegment } from './protect.js';
import { restoreSegment, type Renderings } from './restore.js';
import { decodeXml, escapeXml, fromXmlOutput, toXmlEngineText } from './xml-tags.js';

/** Bump when protect/restore change what they produce: cached translations are then redone. */
export const TRANSLATE_RULES_VERSION = 'translate-rules-12';

export interface TranslateStageOptions {
  store: JobStore;
  segmented: SegmentedArticle;
  glossary: Glossary;
  engine: Engine;
  targets: readonly Lang[];
  onProgress?: (e: ProgressEvent) => void;
  /** Segments per engine request. @default 16 */
  batchSize?: number;
  /** Engine requests in flight per language. @default 8 */
  concurrency?: number;
  /**
   * Characters billed per language, added to as requests finish — so that a run stopped by a fault
   * (quota, key) still knows what it cost. @default a fresh object, returned as `billedCharacters`
   */
  billing?: Record<Lang, number>;
  /** Finished segments of earlier jobs, reused without the engine; this run's are added to it. */
  memory?: MemoryStore;
}

export interface TranslateStageResult {
  articles: TranslatedArticle[];
  /** Segments sent to the engine in this run, per target language (0 everywhere = nothing to redo). */
  engineSegments: Record<Lang, number>;
  /** Wall time spent on each language (languages served by one request, like en and its es pivot, share it). */
  msByLang: Record<Lang, number>;
  /** Characters billed in this run per language (paid engines only; retries and name probes included). */
  billedCharacters: Record<Lang, number>;
  /** Segments taken from the translation memory instead of the engine, per language. */
  memoryHits: Record<Lang, number>;
}

export function cacheKeyFor(segment: Segment, sourceLang: Lang, target: Lang, engine: Engine, glossary: Glossary): string {
  return cacheKeyer(sourceLang, target, engine, glossary)(segment);
}

/**
 * `cacheKeyFor` with everything but the segment fixed: the JSON of the fixed part is made once (the
 * same bytes as `JSON.stringify` of the whole array).
 */
export function cacheKeyer(sourceLang: Lang, target: Lang, engine: Engine, glossary: Glossary): (segment: Segment) => string {
  const head = JSON.stringify([TRANSLATE_RULES_VERSION, engine.info.id, engine.info.version, sourceLang, target]).slice(0, -1);
  const termJson = new Map<string, string>();
  return (segment) => {
    // The glossary counts through the terms this sentence holds, as this language writes them: adding
    // or fixing a name, or a language, translates again only the sentences that name appears in.
    let terms = '';
    let ids = termIdsOf.get(segment);
    if (!ids || ids.glossary !== glossary) termIdsOf.set(segment, (ids = { glossary, ids: termIdsIn(segment.text, glossary) }));
    for (const id of ids.ids) {
      let json = termJson.get(id);
      if (json === undefined) termJson.set(id, (json = termKeyJson(glossary, id, target)));
      terms += terms === '' ? json : `,${json}`;
    }
    return sha256(`${head},${JSON.stringify(segment.text)},[${terms}]]`);
  };
}

/** Each segment's term ids, found once for all its languages (a 1 MB article: 10,000 matches a language). */
const termIdsOf = new WeakMap<Segment, { glossary: Glossary; ids: string[] }>();

/** The ids of the glossary terms found in `text`, in order of first occurrence, each once. */
function termIdsIn(text: string, glossary: Glossary): string[] {
  const occurrences = findTermOccurrences(text, glossary);
  if (occurrences.length === 0) return [];
  return [...new Set(occurrences.map((o) => o.termId))];
}

/**
 * What of a term can change a translation into `target` — its forms, kind, grammar and that language's
 * form (not where it is written) — as a short digest: the key of every sentence naming it hashes it.
 */
function termKeyJson(glossary: Glossary, id: string, target: Lang): string {
  const t = glossary.terms.find((x) => x.id === id)!;
  return JSON.stringify(sha256(JSON.stringify([t.id, t.forms, t.kind, t.gender ?? null, t.number ?? null, targetFor(t, target) ?? null])).slice(0, 16));
}

/**
 * What translating `articles` into `target` would send to the engine, text for text as the requests
 * carry it (for the cost check before a paid run): the segments neither journaled in the job nor
 * found in the translation memory, in the engine's protected form (DeepL's `<x>` markup included),
 * and the glossary forms whose rendering has not been probed yet. Retries are not foreseeable.
 */
export async function textsToSend(
  store: JobStore, articles: readonly SegmentedArticle[], glossary: Glossary, engine: Engine, target: Lang, memory?: MemoryStore,
): Promise<string[]> {
  const texts: string[] = [];
  const preps: PreparedSegment[] = [];
  for (const a of articles) {
    const journal = store.readJournal(a.namespace, target);
    const keyOf = cacheKeyer(a.sourceLang, target, engine, glossary);
    let pending = a.segments.filter((s) => s.translatable).map((s) => ({ s, key: keyOf(s) })).filter((x) => !journal.has(x.key));
    if (memory && pending.length > 0) {
      const hits = await memory.getMany(pending.map((x) => x.key));
      pending = pending.filter((x, i) => hits[i]?.source !== x.s.text);
    }
    for (const { s } of pending) {
      const p = prepareSegment(s.id, s.text, glossary);
      preps.push(p);
      texts.push(engine.protection === 'xml' ? toXmlEngineText(p) : p.engineText);
    }
  }
  for (const form of missingProbes(store, engine, glossary, target, preps).missing) texts.push(engine.protection === 'xml' ? escapeXml(form) : form);
  return texts;
}

export async function runTranslateStage(o: TranslateStageOptions): Promise<TranslateStageResult> {
  const { store, segmented, glossary, engine } = o;
  const ns = segmented.namespace;
  const src = segmented.sourceLang;
  const emit = o.onProgress ?? (() => {});
  const batchSize = o.batchSize ?? engine.batchSize ?? 16;
  const billing = o.billing ?? {};
  const engineSegments: Record<Lang, number> = Object.fromEntries(o.targets.map((l) => [l, 0]));
  const msByLang: Record<Lang, number> = Object.fromEntries(o.targets.map((l) => [l, 0]));

  const journals = new Map(o.targets.map((l) => [l, store.readJournal(ns, l)]));
  const memoryHits: Record<Lang, number> = Object.fromEntries(o.targets.map((l) => [l, 0]));
  // Each segment's key per language, made once (sha256 of its text and the run's settings).
  const keyers = new Map(o.targets.map((l) => [l, cacheKeyer(src, l, engine, glossary)]));
  const keys = new Map(o.targets.map((l) => [l, new Map<Segment, string>()]));
  const key = (s: Segment, l: Lang) => {
    const known = keys.get(l)!;
    let k = known.get(s);
    if (k === undefined) known.set(s, (k = keyers.get(l)!(s)));
    return k;
  };
  const pending = new Map<Lang, Segment[]>();
  for (const lang of o.targets) {
    const journal = journals.get(lang)!;
    const missing = segmented.segments.filter((s) => !journal.has(key(s, lang)));
    const skipped = missing.filter((s) => !s.translatable).map((s) => keepAsIs(s, key(s, lang), src));
    if (skipped.length) {
      store.appendJournal(ns, lang, skipped);
      skipped.forEach((t) => journal.set(t.cacheKey, t));
    }
    const toTranslate = missing.filter((s) => s.translatable);
    // An identical segment finished in any earlier job (same text, pair, engine, glossary, rules) is reused.
    const hits = o.memory && toTranslate.length > 0 ? await o.memory.getMany(toTranslate.map((s) => key(s, lang))) : [];
    // The key holds the text, not the position: a sentence repeated (id suffix -2, -3…) or found in
    // another article is the same translation under this segment's id.
    const remembered = toTranslate.flatMap((s, i) => {
      const hit = hits[i];
      return hit && hit.source === s.text ? [{ ...hit, id: s.id }] : [];
    });
    if (remembered.length) {
      store.appendJournal(ns, lang, remembered);
      remembered.forEach((t) => journal.set(t.cacheKey, t));
    }
    memoryHits[lang] = remembered.length;
    const fromMemory = new Set(remembered.map((t) => t.id));
    pending.set(lang, toTranslate.filter((s) => !fromMemory.has(s.id)));
  }

  // One request serves a target and the pivot it goes through (fr→es→en also yields es).
  const plans: Array<{ lang: Lang; serves: Lang[]; segments: Segment[] }> = [];
  const served = new Set<Lang>();
  for (const lang of o.targets) {
    const pivot = engine.pivotOf?.(src, lang);
    if (pivot && o.targets.includes(pivot) && !served.has(pivot)) {
      const ids = new Set(pending.get(lang)!.map((s) => s.id));
      const union = segmented.segments.filter((s) => ids.has(s.id) || pending.get(pivot)!.includes(s));
      plans.push({ lang, serves: [lang, pivot], segments: union });
      served.add(lang).add(pivot);
    }
  }
  for (const lang of o.targets) if (!served.has(lang)) plans.push({ lang, serves: [lang], segments: pending.get(lang)! });

  const prepared = new Map<string, PreparedSegment>();
  const prepare = (s: Segment) => {
    let p = prepared.get(s.id);
    if (!p) prepared.set(s.id, (p = prepareSegment(s.id, s.text, glossary)));
    return p;
  };
  const xml = engine.protection === 'xml';
  const grammar = engine.pseudo !== true;
  const engineText = (p: PreparedSegment) => (xml ? toXmlEngineText(p) : p.engineText);
  // The paragraph around each segment, for engines that use context (DeepL); others ignore it.
  const paragraphs = new Map<number, string>();
  for (const s of segmented.segments) paragraphs.set(s.paragraph, paragraphs.has(s.paragraph) ? `${paragraphs.get(s.paragraph)!} ${s.text}` : s.text);
  const request = (s: Segment, text: string): EngineSegment => ({ id: s.id, text, context: paragraphs.get(s.paragraph)! });
  const bill = (lang: Lang, n: number | undefined) => {
    if (n) billing[lang] = (billing[lang] ?? 0) + n;
  };

  // The first engine error stops every language's queue, and the stage waits for requests already in
  // flight to settle before it rejects: what they finished is journaled and its cost counted, so the
  // billing recorded for the run is what the engine billed.
  let failure: unknown;
  const queues: PQueue[] = [];
  const stopAll = (e: unknown) => {
    failure ??= e;
    for (const q of queues) q.clear();
  };
  await Promise.allSettled(
    plans.map(async (plan) => {
      if (plan.segments.length === 0) return;
      try {
        await runPlan(plan);
      } catch (e) {
        stopAll(e);
      }
    }),
  );
  if (failure !== undefined) throw failure;

  async function runPlan(plan: { lang: Lang; serves: Lang[]; segments: Segment[] }): Promise<void> {
    const t0 = Date.now();
    const total = plan.segments.length;
    for (const l of plan.serves) emit({ type: 'stage-start', stage: 'translate', namespace: ns, lang: l, total: pending.get(l)!.length });
    const renderings = new Map<Lang, Renderings>();
    for (const l of plan.serves) renderings.set(l, await probeRenderings(store, engine, glossary, src, l, plan.segments.map(prepare), (n) => bill(l, n)));

    if (failure !== undefined) return;
    let done = 0;
    const queue = new PQueue({ concurrency: o.concurrency ?? 8 });
    queues.push(queue);
    // Batches already finished stay in the journal, so the next run resumes after them. Errors are
    // caught here, never left as unhandled rejections.
    // Built once per plan: built per batch, it made finishing an article quadratic in its segments.
    const wantedBy = new Map(plan.serves.map((l) => [l, new Set(pending.get(l)!.map((s) => s.id))]));
    /** Post-edit and journal the results of one request (all of it, or what finished before a fault). */
    const finishBatch = async (batch: Segment[], results: readonly EngineResult[], salvage: boolean) => {
      const byId = new Map(results.map((r) => [r.id, r]));
      for (const l of plan.serves) {
        const wanted = wantedBy.get(l)!;
        const finished: TranslatedSegment[] = [];
        for (const seg of batch) {
          const r = byId.get(seg.id);
          if (!r || !wanted.has(seg.id)) continue;
          const { text, unknown } = textFor(r, l, plan.lang);
          // The request's cost goes to the language it was made for (a pivot comes free with it).
          const billed = l === plan.lang ? r.billedCharacters : undefined;
          try {
            finished.push(await finishSegment(seg, prepare(seg), text, unknown, l, renderings.get(l)!, key(seg, l), billed));
          } catch (e) {
            // After a fault the engine refuses follow-up requests: what cannot be finished is redone next run.
            if (!salvage) throw e;
          }
        }
        store.appendJournal(ns, l, finished);
        await o.memory?.putMany(finished);
        for (const t of finished) journals.get(l)!.set(t.cacheKey, t);
        engineSegments[l] = (engineSegments[l] ?? 0) + finished.length;
      }
    };
    for (let i = 0; i < plan.segments.length; i += batchSize) {
      const batch = plan.segments.slice(i, i + batchSize);
      queue.add(async () => {
        let results: EngineResult[];
        try {
          logEngineRequest({ namespace: ns, lang: plan.lang, serves: plan.serves, ids: batch.map((s) => s.id) });
          results = await engine.translate(src, plan.lang, batch.map((s) => request(s, engineText(prepare(s)))));
        } catch (e) {
          const partial = completedBefore(e);
          if (partial.length > 0) await finishBatch(batch, partial, true);
          throw e;
        }
        await finishBatch(batch, results, false);
        done += batch.length;
        for (const l of plan.serves) emit({ type: 'stage-progress', stage: 'translate', namespace: ns, lang: l, done, total });
      }).catch(stopAll);
    }
    await queue.onIdle();
    if (failure !== undefined) return;
    for (const l of plan.serves) {
      msByLang[l] = Date.now() - t0;
      emit({ type: 'stage-done', stage: 'translate', namespace: ns, lang: l, cached: false, ms: msByLang[l] });
    }
  }

  /** One more request for one segment (a retry), its cost counted. */
  async function translateOne(seg: Segment, lang: Lang, text: string, billed: { n: number }): Promise<EngineResult> {
    logEngineRequest({ namespace: ns, lang, serves: [lang], ids: [seg.id], retry: true });
    const [res] = await engine.translate(src, lang, [request(seg, text)]);
    billed.n += res!.billedCharacters ?? 0;
    bill(lang, res!.billedCharacters);
    return res!;
  }

  /**
   * Engine output → final segment. Under XML protection every tag is checked first, and a segment whose
   * protected name vanished is translated again without tags. A term the engine rendered in a way we
   * could not find is retried once as a placeholder.
   */
  async function finishSegment(
    seg: Segment, prep: PreparedSegment, engineOut: string, unknownIn: UnknownWord[], lang: Lang, r: Renderings, cacheKey: string, billedFirst: number | undefined,
  ): Promise<TranslatedSegment> {
    const billed = { n: billedFirst ?? 0 };
    bill(lang, billedFirst);
    const tagFlags: QaFlag[] = [];
    let text = engineOut;
    let unknown = unknownIn;
    let used = prep;
    if (xml) {
      const back = fromXmlOutput(prep, engineOut);
      tagFlags.push(...back.flags);
      text = back.text;
      if (back.lost.length > 0) {
        const plain = prepareSegment(seg.id, seg.text, glossary, { placeholders: false });
        const res = await translateOne(seg, lang, toXmlEngineText(plain), billed);
        const again = fromXmlOutput(plain, res.text);
        text = again.text;
        unknown = res.unknownWords;
        used = plain;
        const names = back.lost.map((p) => (p.type === 'term' ? p.form : p.type === 'amount' ? p.amount.text : p.text));
        tagFlags.push({ code: 'TAG_RETRIED', message: `the engine lost the protected text ${names.map((n) => `"${n}"`).join(', ')}; the segment was translated again without protection tags`, subject: names[0]! });
      }
    }
    let restored = restoreSegment(used, text, lang, r, unknown, { grammar });
    let machine = text;
    if (restored.failedTerms.length > 0 && used === prep) {
      const retry = prepareSegment(seg.id, seg.text, glossary, { forcePlaceholder: new Set(restored.failedTerms) });
      const res = await translateOne(seg, lang, engineText(retry), billed);
      const back = xml ? fromXmlOutput(retry, res.text) : { text: res.text, flags: [], lost: [] };
      if (back.lost.length === 0) {
        const second = restoreSegment(retry, back.text, lang, r, res.unknownWords, { grammar });
        if (second.failedTerms.length < restored.failedTerms.length) {
          restored = second;
          machine = back.text;
          used = retry;
          unknown = res.unknownWords;
          tagFlags.push(...back.flags);
        }
      }
    }
    const flags = [...tagFlags, ...restored.flags];
    for (const termId of restored.failedTerms) {
      const term = glossary.terms.find((t) => t.id === termId)!;
      flags.push({ code: 'TERM_UNVERIFIED', message: `"${targetFor(term, lang)?.form ?? termId}" (glossary term "${termId}") could not be verified in the ${lang} text`, subject: termId });
    }
    return {
      id: seg.id,
      source: seg.text,
      machine: readableMachine(machine, used),
      target: restored.target,
      termsApplied: restored.termsApplied,
      flags,
      unknownWords: unknown.filter((w) => !/^ZZ[GNV][A-Z]+$/.test(w.word)),
      cacheKey,
      ...(billedFirst === undefined && billed.n === 0 ? {} : { billedCharacters: billed.n }),
    };
  }

  const articles = o.targets.map((lang): TranslatedArticle => {
    const journal = journals.get(lang)!;
    return {
      kind: 'translate',
      version: 1,
      namespace: ns,
      sourceLang: src,
      targetLang: lang,
      engine: { id: engine.info.id, version: engine.info.version },
      // A sentence repeated in the article shares its cache key (and journal entry) with its first
      // occurrence: each keeps its own id, so that every key is in the bundle.
      segments: segmented.segments.map((s) => {
        const t = journal.get(key(s, lang))!;
        return t.id === s.id ? t : { ...t, id: s.id };
      }),
    };
  });
  return { articles, engineSegments, msByLang, billedCharacters: billing, memoryHits };
}

/** The text of a result for `lang`: its own text, or the pivot it went through (es for fr→es→en). */
function textFor(r: EngineResult, lang: Lang, requested: Lang): { text: string; unknown: UnknownWord[] } {
  if (lang === requested) return { text: r.text, unknown: r.unknownWords };
  const pivot = r.pivots?.[lang];
  if (pivot === undefined) throw new Error(`engine returned no ${lang} pivot for ${requested}`);
  return { text: pivot, unknown: r.pivotUnknownWords?.[lang] ?? [] };
}

/** The engine's output with placeholders shown as the source text they stand for, for reviewers. */
function readableMachine(text: string, prep: PreparedSegment): string {
  let out = text;
  for (const p of prep.protections) {
    if (p.type === 'amount') out = out.replace(p.token, p.amount.text);
    else if (p.type === 'verbatim') out = out.replace(p.token, p.text);
    else if (p.strategy === 'placeholder') out = out.replace(p.token, p.form);
  }
  return out;
}

function keepAsIs(s: Segment, cacheKey: string, src: Lang): TranslatedSegment {
  return {
    id: s.id,
    source: s.text,
    machine: s.text,
    target: s.text,
    termsApplied: [],
    flags: [{ code: 'NOT_SOURCE_LANGUAGE', message: `this segment looks like ${s.lang}, not ${src}; it is kept as written and not sent to a ${src} engine` }],
    unknownWords: [],
    cacheKey,
  };
}

/**
 * How the engine renders each glossary form on its own, so that its rendering inside a sentence can
 * be found and rewritten. Cached in the job per engine version, glossary version and language.
 */
async function probeRenderings(
  store: JobStore, engine: Engine, glossary: Glossary, src: Lang, lang: Lang, preps: readonly PreparedSegment[], bill: (n: number | undefined) => void,
): Promise<Renderings> {
  const xml = engine.protection === 'xml';
  const { cached, missing, cacheName, inputHash } = missingProbes(store, engine, glossary, lang, preps);
  if (missing.length === 0) return new Map(Object.entries(cached));
  // Articles translated at once share their probes: a form another article is probing now is awaited,
  // not sent again (a paid engine would bill it twice); only the others are sent, at once.
  let inFlight = probesInFlight.get(store);
  if (!inFlight) probesInFlight.set(store, (inFlight = new Map()));
  const key = (f: string) => `${lang}\n${inputHash}\n${f}`;
  const send = missing.filter((f) => !inFlight.has(key(f)));
  if (send.length > 0) {
    const plain = (t: string) => (xml ? decodeXml(t) : t).trim();
    const request = engine.translate(src, lang, send.map((f, i) => ({ id: `probe${i}`, text: xml ? escapeXml(f) : f }))).then((results) => {
      const found: Record<string, string[]> = {};
      send.forEach((f, i) => {
        const r = results[i]!;
        bill(r.billedCharacters);
        found[f] = [plain(r.text), ...Object.values(r.pivots ?? {}).map(plain)].filter((x, k, a) => x && a.indexOf(x) === k);
      });
      // Merged into what is saved now: another article may have saved its own forms meanwhile.
      const saved = store.readArtifact<Record<string, string[]>>('_shared', cacheName, inputHash) ?? {};
      store.writeArtifact('_shared', cacheName, inputHash, { ...saved, ...found });
      return found;
    });
    const settled = request.finally(() => send.forEach((f) => inFlight.delete(key(f))));
    settled.catch(() => {}); // awaited below, by this call and the others sharing it
    for (const f of send) inFlight.set(key(f), settled.then((found) => found[f]!));
  }
  const renderings = await Promise.all(missing.map((f) => inFlight.get(key(f))!));
  missing.forEach((f, i) => (cached[f] = renderings[i]!));
  return new Map(Object.entries(cached));
}
/** Per job: the probe of each language, engine set-up and form being made now. */
const probesInFlight = new WeakMap<JobStore, Map<string, Promise<string[]>>>();

/** The glossary forms of `preps` the engine renders itself, and which of them `lang` has no probed rendering for yet. */
function missingProbes(store: JobStore, engine: Engine, glossary: Glossary, lang: Lang, preps: readonly PreparedSegment[]) {
  // Only names relais will look for in this language's output (see restoreSegment).
  const enforced = (x: PreparedSegment['protections'][number]) => x.type === 'term' && x.strategy === 'engine' && (x.term.kind === 'person' || targetFor(x.term, lang) !== undefined);
  const forms = [...new Set(preps.flatMap((p) => p.protections.flatMap((x) => (x.type === 'term' && enforced(x) ? [x.form] : []))))].sort();
  const cacheName = `renderings.${lang}.json`;
  const inputHash = sha256(JSON.stringify([engine.info, glossary.hash, TRANSLATE_RULES_VERSION]));
  const cached = store.readArtifact<Record<string, string[]>>('_shared', cacheName, inputHash) ?? {};
  return { cached, missing: forms.filter((f) => !(f in cached)), cacheName, inputHash };
}
