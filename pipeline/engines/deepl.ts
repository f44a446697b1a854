/**
 * DeepL as a relais engine, through deepl-node's `DeepLClient` (one client, keep-alive connections).
 *
 *   const engine = new DeepLEngine({ authKey, sourceLang: 'fr', glossary });
 *   await engine.prepare(['en', 'es']);          // glossary + language checks, before any translation
 *   const results = await engine.translate('fr', 'en', segments);
 *
 * - Requests go through one p-queue (`concurrency`, `intervalCap`/`interval`) shared by every call.
 * - `translate` cuts the segments into requests of at most 50 texts and `maxBytes` of encoded body
 *   (see deepl-batch.ts), sends them with `split_sentences=0` and the paragraphs as `context`, and maps
 *   the answers back in order. Empty texts are not sent and come back as ''.
 * - relais codes become DeepL codes (`en` → `en-US`, `pt` → `pt-BR`, configurable); results keep the
 *   relais code the caller used.
 * - Faults: deepl-node retries 429/5xx/timeouts itself (`clientAttempts`); what outlives that makes
 *   every request of this engine pause (`retryDelayMs`, doubling) and try again, at most `maxRetries`
 *   times, then the engine stops with ENGINE_RATE_LIMITED or ENGINE_UNAVAILABLE. 456 → ENGINE_QUOTA and
 *   403 → ENGINE_AUTH are never retried. These four stop the engine for good: later calls fail at once
 *   without a request, so a job stops cleanly instead of burning quota or retries.
 * - Finished work is never lost to a fault: a failed `translate` throws `EngineStoppedError`, whose
 *   `completed` holds every result of the requests that finished (in-flight requests are awaited, queued
 *   ones are dropped), and each finished request is also announced as a `batch` event as it lands.
 * - The key is in no message, event or error this engine makes: deepl-node's messages are redacted and
 *   its error objects (which wrap axios' request, headers included) are never attached as `cause`.
 */
import PQueue from 'p-queue';
import type * as deepl from 'deepl-node';
import { deeplNode } from './deepl-node-lazy.js';
import type { Glossary } from '../artifacts.js';
import { RelaisError, type ErrorCode } from '../errors.js';
import { EngineStoppedError, type Engine, type EngineInfo, type EngineResult, type EngineSegment, type Lang } from './engine.js';

export { EngineStoppedError, completedBefore } from './engine.js';
import {
  DEEPL_DEFAULT_MAX_BYTES,
  DEEPL_MAX_TEXTS,
  countBilledCharacters,
  fixedParamsLength,
  planBatches,
  type BatchLimits,
  type ContextScope,
  type PlannedBatch,
} from './deepl-batch.js';
import { classifyDeepLError, redact, type Fault } from './deepl-faults.js';
import { baseLanguage, buildGlossaryDictionaries, glossaryName, isRelaisGlossaryName, type GlossaryDictionary } from './deepl-glossary.js';

/**
 * Languages DeepL translates between, as deepl-node 1.28 types them (`CommonLanguageCode`): the classic
 * 30 and the newer ones (ca, eo, oc, …). DeepL refuses the bare targets `en` and `pt`.
 */
const DEEPL_COMMON = [
  'ace', 'af', 'an', 'ar', 'as', 'ay', 'az', 'ba', 'be', 'bg', 'bho', 'bn', 'br', 'bs', 'ca', 'ceb', 'ckb',
  'cs', 'cy', 'da', 'de', 'el', 'eo', 'es', 'et', 'eu', 'fa', 'fi', 'fr', 'ga', 'gl', 'gn', 'gom', 'gu',
  'ha', 'he', 'hi', 'hr', 'ht', 'hu', 'hy', 'id', 'ig', 'is', 'it', 'ja', 'jv', 'ka', 'kk', 'kmr', 'ko',
  'ky', 'la', 'lb', 'lmo', 'ln', 'lt', 'lv', 'mai', 'mg', 'mi', 'mk', 'ml', 'mn', 'mr', 'ms', 'mt', 'my',
  'nb', 'ne', 'nl', 'oc', 'om', 'pa', 'pag', 'pam', 'pl', 'prs', 'ps', 'qu', 'ro', 'ru', 'sa', 'scn', 'sk',
  'sl', 'sq', 'sr', 'st', 'su', 'sv', 'sw', 'ta', 'te', 'tg', 'th', 'tk', 'tl', 'tn', 'tr', 'ts', 'tt', 'uk',
  'ur', 'uz', 'vi', 'wo', 'xh', 'yi', 'yue', 'zh', 'zu',
];
const DEEPL_SOURCES: ReadonlySet<string> = new Set([...DEEPL_COMMON, 'en', 'pt']);
const DEEPL_TARGETS: ReadonlySet<string> = new Set([...DEEPL_COMMON, 'en-GB', 'en-US', 'es-419', 'pt-BR', 'pt-PT', 'zh-HANS', 'zh-HANT']);

const DEFAULT_TARGET_CODES: Readonly<Record<Lang, string>> = { en: 'en-US', pt: 'pt-BR' };

/** Codes that mean "stop the job, keep what finished, resume later". */
export const ENGINE_STOP_CODES: ReadonlySet<ErrorCode> = new Set(['ENGINE_QUOTA', 'ENGINE_AUTH', 'ENGINE_RATE_LIMITED', 'ENGINE_UNAVAILABLE']);

export interface DeepLEngineOptions {
  /** The DeepL API key (`DEEPL_AUTH_KEY`). Free keys end in `:fx`. Never logged, never in an error. */
  authKey: string;
  /**
   * DeepL server (`DEEPL_SERVER_URL`), e.g. a test server on 127.0.0.1.
   * @default deepl-node's choice: https://api-free.deepl.com for `:fx` keys, https://api.deepl.com otherwise
   */
  serverUrl?: string;
  /** Language of the articles; the glossary is used only when translating from it. */
  sourceLang: Lang;
  /** glossary.yaml; becomes one DeepL multilingual glossary (see `prepare`). */
  glossary?: Glossary;
  /** Requests in flight at once, for all calls together. @default 4 */
  concurrency?: number;
  /** Requests started per `interval` ms. @default Infinity (no cap) */
  intervalCap?: number;
  /** Window of `intervalCap`, ms. @default 1000 when `intervalCap` is set */
  interval?: number;
  /** Pauses-and-retries relais adds after deepl-node gave up on a 429, 5xx or timeout. @default 4 */
  maxRetries?: number;
  /** First pause before such a retry, ms; doubles on each retry (+0–25 % jitter). @default 2000 */
  retryDelayMs?: number;
  /** Longest such pause, ms. @default 60000 */
  retryMaxDelayMs?: number;
  /**
   * Attempts deepl-node makes per request before giving up (its `maxRetries`, which counts attempts:
   * 5 = at most 4 retries, waiting 1 s × 1.6ⁿ — a wait that cannot be shortened, so tests use 1).
   * @default 5
   */
  clientAttempts?: number;
  /** deepl-node's timeout per attempt (`minTimeout`), ms. It never goes below about 1 s. @default 10000 */
  timeoutMs?: number;
  /** DeepL target code for a relais code. @default { en: 'en-US', pt: 'pt-BR' } @example { en: 'en-GB' } */
  targetCodes?: Record<Lang, string>;
  /** What goes into `context` (see deepl-batch.ts). @default 'batch' */
  contextScope?: ContextScope;
  /** Texts per request, 1–50. @default 50 */
  maxTexts?: number;
  /** Encoded body bytes per request (DeepL refuses more than 128 KiB). @default 102400 */
  maxBytes?: number;
  /** Passed to DeepL as `tag_handling` (needed for `ignoreTags`). */
  tagHandling?: 'xml' | 'html';
  /** Tags whose content DeepL must leave alone, e.g. `['x']` for `<x>Blinken</x>`. */
  ignoreTags?: string[];
  /** Delete the other `relais-<hash>` glossaries of the account once the current one exists. @default true */
  deleteStaleGlossaries?: boolean;
  /** Progress and outcomes, for the CLI or a job journal. Events never contain the key. */
  onEvent?: (event: DeepLEvent) => void;
  /**
   * Awaited before every HTTP request (retries included), after the local queue let it through: a
   * limit shared with other processes, e.g. the queue workers' Redis rate limit.
   */
  beforeRequest?: () => Promise<void>;
}

export type DeepLEvent =
  /** A request is about to be sent; `bytes` is the exact form-encoded body size. */
  | { type: 'request'; target: Lang; texts: number; bytes: number }
  /** A request finished: save these results now if a fault may follow. */
  | { type: 'batch'; target: Lang; results: EngineResult[]; billedCharacters: number }
  /** A 429/5xx/timeout outlived deepl-node's retries: every request waits `delayMs`, then this one is tried again. */
  | { type: 'retry'; what: string; attempt: number; delayMs: number; status: number | undefined; reason: string }
  | { type: 'glossary'; action: 'reused' | 'created' | 'deleted'; name: string; id: string; languages: string[] }
  /** The engine stopped for good; the same error is thrown to every caller. */
  | { type: 'stopped'; code: ErrorCode; message: string };

export interface DeepLUsage {
  /** Characters billed in this billing period. */
  characterCount: number;
  /** The period's character limit (`Infinity` when DeepL reports none). */
  characterLimit: number;
}

export interface DeepLEstimate {
  /** Characters DeepL will bill, all targets together. */
  characters: number;
  /** Requests `translate` will send, all targets together (without retries). */
  requests: number;
  perTarget: Record<Lang, { characters: number; requests: number }>;
}

export interface DeepLGlossaryInfo {
  id: string;
  name: string;
  /** Base target codes with a dictionary. */
  languages: string[];
}

interface GlossaryState {
  info: DeepLGlossaryInfo | undefined;
  /** Base targets with entries that DeepL cannot use as a glossary pair. */
  refused: Set<string>;
}

/** Thrown inside the queue for a request that should not go out any more. */
class Skipped extends Error {}
/** A 413, to be answered by splitting the batch. */
class TooLarge extends Error {}

export class DeepLEngine implements Engine {
  readonly info: EngineInfo;
  /** `xml` when names travel as `<x>` elements DeepL ignores (tagHandling xml, ignoreTags including x). */
  readonly protection: 'tokens' | 'xml';
  /** One request's worth of texts. */
  readonly batchSize: number;
  private readonly client: deepl.DeepLClient;
  private readonly queue: PQueue;
  private readonly authKey: string;
  private readonly sourceLang: Lang;
  private readonly glossary: Glossary | undefined;
  private readonly targetCodes: Record<Lang, string>;
  private readonly limits: BatchLimits;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly tagHandling: 'xml' | 'html' | undefined;
  private readonly ignoreTags: string[] | undefined;
  private readonly deleteStaleGlossaries: boolean;
  private readonly emit: (event: DeepLEvent) => void;
  private readonly beforeRequest: (() => Promise<void>) | undefined;
  private glossaryReady: Promise<GlossaryState> | undefined;
  /** No request starts before this time (ms since epoch): the shared pause after a 429/5xx. */
  private resumeAt = 0;
  private stopped: RelaisError | undefined;
  private closed = false;
  /** The server, for messages: DEEPL_SERVER_URL or the one deepl-node picks for the key. */
  private readonly serverLabel: string;

  constructor(options: DeepLEngineOptions) {
    if (typeof options.authKey !== 'string' || options.authKey.trim() === '') {
      throw new RelaisError('ENGINE_AUTH', 'no DeepL key was given', { hint: 'Set DEEPL_AUTH_KEY to your DeepL API key (Account → API keys; Free keys end in :fx).' });
    }
    this.authKey = options.authKey;
    this.serverLabel = options.serverUrl ?? (options.authKey.endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com');
    const concurrency = checkInteger('concurrency', options.concurrency ?? 4, 1);
    const intervalCap = options.intervalCap === undefined || options.intervalCap === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : checkInteger('intervalCap', options.intervalCap, 1);
    const interval = checkInteger('interval', options.interval ?? (intervalCap === Number.POSITIVE_INFINITY ? 0 : 1000), 0);
    this.maxRetries = checkInteger('maxRetries', options.maxRetries ?? 4, 0);
    this.retryDelayMs = checkInteger('retryDelayMs', options.retryDelayMs ?? 2000, 0);
    this.retryMaxDelayMs = checkInteger('retryMaxDelayMs', options.retryMaxDelayMs ?? 60_000, 0);
    const clientAttempts = checkInteger('clientAttempts', options.clientAttempts ?? 5, 1);
    const timeoutMs = checkInteger('timeoutMs', options.timeoutMs ?? 10_000, 1);
    this.limits = {
      maxTexts: checkInteger('maxTexts', options.maxTexts ?? DEEPL_MAX_TEXTS, 1, DEEPL_MAX_TEXTS),
      maxBytes: checkInteger('maxBytes', options.maxBytes ?? DEEPL_DEFAULT_MAX_BYTES, 1024, 128 * 1024),
      contextScope: options.contextScope ?? 'batch',
    };
    if (!['batch', 'paragraph', 'none'].includes(this.limits.contextScope)) {
      throw new RelaisError('OPTION_INVALID', `Expected \`contextScope\` to be one of batch, paragraph, none, got \`${String(this.limits.contextScope)}\``);
    }
    this.targetCodes = { ...DEFAULT_TARGET_CODES, ...options.targetCodes };
    for (const [lang, code] of Object.entries(this.targetCodes)) {
      if (!DEEPL_TARGETS.has(standardizeCode(code))) {
        throw new RelaisError('OPTION_INVALID', `DeepL has no target "${code}" (asked for ${lang})`, { hint: 'Use a code DeepL translates into (en, en-GB, pt-PT, es, ca, de…), or --engine apertium.' });
      }
    }
    this.sourceLang = options.sourceLang;
    this.glossary = options.glossary;
    this.tagHandling = options.tagHandling;
    this.ignoreTags = options.ignoreTags && options.ignoreTags.length > 0 ? [...options.ignoreTags] : undefined;
    if (this.ignoreTags && !this.tagHandling) {
      throw new RelaisError('OPTION_INVALID', '`ignoreTags` needs `tagHandling` (xml or html): DeepL ignores tags only when it parses them');
    }
    this.deleteStaleGlossaries = options.deleteStaleGlossaries ?? true;
    this.protection = this.tagHandling === 'xml' && this.ignoreTags?.includes('x') ? 'xml' : 'tokens';
    this.batchSize = this.limits.maxTexts;
    const onEvent = options.onEvent;
    this.emit = onEvent ? (e) => onEvent(e) : () => {};
    this.beforeRequest = options.beforeRequest;

    this.client = new (deeplNode().DeepLClient)(this.authKey, {
      ...(options.serverUrl === undefined ? {} : { serverUrl: options.serverUrl }),
      maxRetries: clientAttempts,
      minTimeout: timeoutMs,
      sendPlatformInfo: false,
      appInfo: { appName: 'relais', appVersion: '0.1' },
    });
    this.queue = new PQueue({ concurrency, intervalCap, interval });

    // Only what changes DeepL's output: a new deepl-node must not invalidate (and re-bill) the cache.
    const codes = Object.entries(this.targetCodes).sort().map(([l, c]) => `${l}=${c}`).join(',');
    const tags = this.tagHandling ? ` tags=${this.tagHandling}:${(this.ignoreTags ?? []).join('+')}` : '';
    this.info = { id: 'deepl', version: `deepl-api-v2 split=off context=${this.limits.contextScope} ${codes}${tags}` };
  }

  supports(source: Lang, target: Lang): boolean {
    const code = this.deeplTarget(target);
    return DEEPL_SOURCES.has(baseLanguage(source)) && code !== undefined && baseLanguage(source) !== baseLanguage(target);
  }

  /**
   * Call once before translating, with every target of the run. Checks that DeepL serves each target,
   * turns the glossary into one DeepL multilingual glossary (reused while glossary.yaml is unchanged;
   * the other `relais-<hash>` glossaries are deleted), and checks that DeepL accepts a glossary for
   * each target that has glossary entries. Throws LANGUAGE_UNSUPPORTED before any translation request
   * when a target cannot be served. `translate` calls it by itself for its target if you did not.
   */
  async prepare(targets: readonly Lang[]): Promise<DeepLGlossaryInfo | undefined> {
    this.throwIfStopped();
    for (const t of targets) {
      if (!this.supports(this.sourceLang, t)) {
        throw new RelaisError('LANGUAGE_UNSUPPORTED', `DeepL cannot translate ${this.sourceLang} → ${t}`, {
          hint: `DeepL needs a regional code for some targets (relais maps ${Object.entries(this.targetCodes).map(([l, c]) => `${l} → ${c}`).join(', ')}). Use --engine apertium for the others.`,
        });
      }
    }
    const state = await this.glossaryState();
    const refused = targets.filter((t) => state.refused.has(baseLanguage(t)));
    if (refused.length > 0) {
      throw new RelaisError('LANGUAGE_UNSUPPORTED', `DeepL has no glossaries for ${refused.map((t) => `${baseLanguage(this.sourceLang)} → ${baseLanguage(t)}`).join(', ')}, and glossary.yaml has names for ${refused.length === 1 ? 'it' : 'them'}`, {
        hint: `Translate ${refused.join(', ')} with another engine (--engine apertium), or remove the ${refused.join('/')} forms from glossary.yaml to translate without the glossary.`,
      });
    }
    return state.info;
  }

  async translate(source: Lang, target: Lang, segments: readonly EngineSegment[], signal?: AbortSignal): Promise<EngineResult[]> {
    signal?.throwIfAborted();
    const results: Array<EngineResult | undefined> = segments.map((s) => (s.text === '' ? { id: s.id, text: '', unknownWords: [], billedCharacters: 0 } : undefined));
    const finished = () => results.filter((r): r is EngineResult => r !== undefined);
    let glossaryId: string | undefined;
    try {
      this.throwIfStopped();
      if (!this.supports(source, target)) {
        throw new RelaisError('LANGUAGE_UNSUPPORTED', `DeepL cannot translate ${source} → ${target}`, { hint: 'Use a code DeepL translates into (en, en-GB, pt-PT, es, ca, de…), or --engine apertium.' });
      }
      if (baseLanguage(source) === baseLanguage(this.glossary?.source ?? this.sourceLang)) {
        const info = await this.prepare([target]);
        if (info?.languages.includes(baseLanguage(target))) glossaryId = info.id;
      }
    } catch (e) {
      throw new EngineStoppedError(asRelaisError(e, this.authKey), []);
    }

    const code = this.deeplTarget(target)!;
    const fixed = this.fixedParams(source, code, glossaryId);
    const batches = planBatches(segments, fixedParamsLength(fixed), this.limits);
    let failure: unknown;
    const cancelled = () => failure !== undefined || this.stopped !== undefined || signal?.aborted === true;

    await Promise.all(
      batches.map(async (batch) => {
        try {
          const texts = await this.sendBatch(batch, segments, source, target, code, glossaryId, fixed, cancelled, signal);
          const done: EngineResult[] = batch.indexes.map((i, j) => {
            const r = texts[j]!;
            return { id: segments[i]!.id, text: r.text, unknownWords: [], billedCharacters: r.billedCharacters ?? countBilledCharacters([segments[i]!.text]) };
          });
          batch.indexes.forEach((i, j) => (results[i] = done[j]));
          this.emit({ type: 'batch', target, results: done, billedCharacters: done.reduce((n, r) => n + (r.billedCharacters ?? 0), 0) });
        } catch (e) {
          // An abort surfaces below as the signal's reason, not as a fault of this batch.
          if (!(e instanceof Skipped) && !signal?.aborted) failure ??= e;
        }
      }),
    );

    // Another call may have stopped the engine (or close() came) while this one's requests were queued.
    if (failure === undefined && results.includes(undefined) && !signal?.aborted) {
      try {
        this.throwIfStopped();
      } catch (e) {
        failure = e;
      }
    }
    if (failure !== undefined) throw new EngineStoppedError(asRelaisError(failure, this.authKey), finished());
    signal?.throwIfAborted();
    return results as EngineResult[];
  }

  /** Characters billed and the limit of this billing period (`GET /v2/usage`). */
  async usage(): Promise<DeepLUsage> {
    this.throwIfStopped();
    const u = await this.call('usage', () => this.client.getUsage());
    return { characterCount: u.character?.count ?? 0, characterLimit: u.character?.limit ?? Number.POSITIVE_INFINITY };
  }

  /** What translating `segments` into `targets` will cost, without a request: compare with `usage()`. */
  estimate(segments: readonly EngineSegment[], targets: readonly Lang[]): DeepLEstimate {
    const characters = countBilledCharacters(segments.map((s) => s.text));
    const perTarget: DeepLEstimate['perTarget'] = {};
    for (const t of targets) {
      const code = this.deeplTarget(t) ?? t;
      // A glossary id is a UUID: count one so the estimate matches the real requests.
      const glossaryId = this.glossary ? '00000000-0000-0000-0000-000000000000' : undefined;
      const fixed = fixedParamsLength(this.fixedParams(this.sourceLang, code, glossaryId));
      perTarget[t] = { characters, requests: planBatches(segments, fixed, this.limits).length };
    }
    const all = Object.values(perTarget);
    return { characters: all.reduce((n, p) => n + p.characters, 0), requests: all.reduce((n, p) => n + p.requests, 0), perTarget };
  }

  /** `estimate` for texts alone (the Engine interface's cost check). */
  estimateCost(texts: readonly string[], targets: readonly Lang[]): { characters: number; requests: number } {
    const { characters, requests } = this.estimate(texts.map((text, i) => ({ id: String(i), text })), targets);
    return { characters, requests };
  }

  /** Queued requests are dropped (their `translate` calls fail with ENGINE_FAILED), in-flight ones awaited. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.onIdle();
  }

  /* ------------------------------------------------------------------ requests */

  /** One planned request, split in two (recursively) if DeepL answers 413. */
  private async sendBatch(
    batch: PlannedBatch, segments: readonly EngineSegment[], source: Lang, target: Lang, code: string,
    glossaryId: string | undefined, fixed: Record<string, string>, cancelled: () => boolean, signal: AbortSignal | undefined,
  ): Promise<deepl.TextResult[]> {
    try {
      return await this.call(`translate → ${target}`, () => {
        this.emit({ type: 'request', target, texts: batch.texts.length, bytes: batch.bytes });
        return this.client.translateText(batch.texts, standardizeCode(source) as deepl.SourceLanguageCode, code as deepl.TargetLanguageCode, {
          splitSentences: 'off',
          ...(batch.context === undefined ? {} : { context: batch.context }),
          ...(glossaryId === undefined ? {} : { glossary: glossaryId }),
          ...(this.tagHandling === undefined ? {} : { tagHandling: this.tagHandling }),
          ...(this.ignoreTags === undefined ? {} : { ignoreTags: this.ignoreTags }),
        });
      }, cancelled, signal, true);
    } catch (e) {
      if (!(e instanceof TooLarge)) throw e;
      if (batch.texts.length === 1) {
        throw new RelaisError('ENGINE_FAILED', `DeepL refused a segment of ${batch.bytes} bytes as too large (HTTP 413)`, { hint: 'Split that paragraph into shorter sentences, or lower the DeepL maxBytes setting.' });
      }
      const half = Math.ceil(batch.texts.length / 2);
      const inputs = batch.indexes.map((i) => segments[i]!);
      const parts = planBatches(inputs, fixedParamsLength(fixed), { ...this.limits, maxTexts: half });
      const out: deepl.TextResult[] = [];
      for (const part of parts) {
        const sub = { ...part, indexes: part.indexes.map((k) => batch.indexes[k]!) };
        out.push(...(await this.sendBatch(sub, segments, source, target, code, glossaryId, fixed, cancelled, signal)));
      }
      return out;
    }
  }

  /**
   * One API call through the queue, with relais' pause-and-retry on top of deepl-node's retries.
   * Quota, key and exhausted retries stop the engine; other faults throw ENGINE_FAILED.
   */
  private async call<T>(what: string, fn: () => Promise<T>, cancelled: () => boolean = () => false, signal?: AbortSignal, splittable = false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.waitForResume(signal);
      if (cancelled()) throw new Skipped();
      this.throwIfStopped();
      let fault: Fault;
      try {
        return await this.queue.add(async () => {
          if (cancelled() || this.stopped || this.closed) throw new Skipped();
          if (this.beforeRequest) {
            await this.beforeRequest();
            if (cancelled() || this.stopped || this.closed) throw new Skipped();
          }
          return fn();
        });
      } catch (e) {
        if (e instanceof Skipped) {
          this.throwIfStopped();
          throw e;
        }
        fault = classifyDeepLError(e, this.authKey);
      }
      switch (fault.kind) {
        case 'quota':
          throw this.stop(new RelaisError('ENGINE_QUOTA', `DeepL's character quota for this billing period is used up (HTTP 456, while: ${what})`, {
            hint: 'Every finished segment is saved. Run the same `relais run` again once the quota is renewed or raised (DeepL account → Usage); check the cost first with --max-chars.',
          }));
        case 'auth':
          throw this.stop(new RelaisError('ENGINE_AUTH', `DeepL refused the key (HTTP 403, while: ${what})`, {
            hint: 'Check DEEPL_AUTH_KEY (Free keys end in :fx and are sent to api-free.deepl.com; set DEEPL_SERVER_URL only for another server). Finished segments are saved; run again with the right key to resume.',
          }));
        case 'unreachable':
          throw this.stop(new RelaisError('ENGINE_UNAVAILABLE', `cannot reach DeepL at ${this.serverLabel} (${fault.detail}, while: ${what})`, {
            hint: 'Check the network connection, and DEEPL_SERVER_URL if it is set (unset it to use DeepL itself). Finished segments are saved; run again to resume.',
          }));
        case 'too-large':
          if (splittable) throw new TooLarge();
          throw new RelaisError('ENGINE_FAILED', `DeepL refused a request as too large (HTTP 413, while: ${what})`);
        case 'failed':
          throw new RelaisError('ENGINE_FAILED', `DeepL refused the request (${what}): ${fault.detail}`, { hint: 'This is not a temporary fault; please report it with the message above.' });
        case 'rate-limited':
        case 'unavailable': {
          if (attempt > this.maxRetries) {
            const limited = fault.kind === 'rate-limited';
            throw this.stop(new RelaisError(limited ? 'ENGINE_RATE_LIMITED' : 'ENGINE_UNAVAILABLE', `DeepL ${limited ? 'kept answering "too many requests" (HTTP 429)' : `did not answer (${fault.status ? `HTTP ${fault.status}` : fault.detail})`} after ${attempt} tries with pauses (while: ${what})`, {
              hint: `Every finished segment is saved; run the same \`relais run\` again later to resume.${limited ? ' Send fewer requests at once: a lower --deepl-concurrency, or a cap with --deepl-rate N (requests per second).' : ''}`,
            }));
          }
          const delayMs = Math.min(this.retryMaxDelayMs, this.retryDelayMs * 2 ** (attempt - 1)) * (1 + Math.random() * 0.25);
          this.resumeAt = Math.max(this.resumeAt, Date.now() + delayMs);
          this.emit({ type: 'retry', what, attempt, delayMs: Math.round(delayMs), status: fault.status, reason: fault.detail });
          break;
        }
      }
    }
  }

  private async waitForResume(signal: AbortSignal | undefined): Promise<void> {
    for (let wait = this.resumeAt - Date.now(); wait > 0; wait = this.resumeAt - Date.now()) {
      await sleep(wait, signal);
    }
  }

  private stop(error: RelaisError): RelaisError {
    if (!this.stopped) {
      this.stopped = error;
      this.emit({ type: 'stopped', code: error.code, message: error.message });
    }
    return this.stopped;
  }

  private throwIfStopped(): void {
    if (this.stopped) throw this.stopped;
    if (this.closed) throw new RelaisError('ENGINE_FAILED', 'the DeepL engine was closed while translating');
  }

  /* ------------------------------------------------------------------ glossary */

  private glossaryState(): Promise<GlossaryState> {
    this.glossaryReady ??= this.setUpGlossary().catch((e: unknown) => {
      this.glossaryReady = undefined;
      throw e;
    });
    return this.glossaryReady;
  }

  private async setUpGlossary(): Promise<GlossaryState> {
    const dictionaries = this.glossary ? buildGlossaryDictionaries(this.glossary) : [];
    if (dictionaries.length === 0) return { info: undefined, refused: new Set() };

    const pairs = await this.call('glossary language pairs', () => this.client.getGlossaryLanguagePairs());
    const served = new Set(pairs.map((p) => `${baseLanguage(p.sourceLang)}>${baseLanguage(p.targetLang)}`));
    const usable = dictionaries.filter((d) => served.has(`${d.sourceLang}>${d.targetLang}`));
    const refused = new Set(dictionaries.filter((d) => !usable.includes(d)).map((d) => d.targetLang));
    if (usable.length === 0) return { info: undefined, refused };

    const name = glossaryName(usable);
    const languages = usable.map((d) => d.targetLang);
    const existing = await this.call('list glossaries', () => this.client.listMultilingualGlossaries());
    const mine = existing.find((g) => g.name === name && sameDictionaries(g, usable));
    let id: string;
    if (mine) {
      id = mine.glossaryId;
      this.emit({ type: 'glossary', action: 'reused', name, id, languages });
    } else {
      const created = await this.call('create glossary', () => this.client.createMultilingualGlossary(name, usable.map(toDeepLDictionary)));
      id = created.glossaryId;
      this.emit({ type: 'glossary', action: 'created', name, id, languages });
    }
    if (this.deleteStaleGlossaries) {
      for (const g of existing) {
        if (g.glossaryId === id || !isRelaisGlossaryName(g.name)) continue;
        try {
          await this.call('delete stale glossary', () => this.client.deleteMultilingualGlossary(g.glossaryId));
          this.emit({ type: 'glossary', action: 'deleted', name: g.name, id: g.glossaryId, languages: g.dictionaries.map((d) => d.targetLangCode) });
        } catch (e) {
          // A glossary someone else deleted meanwhile is fine; a stop (quota, key) is not.
          if (e instanceof RelaisError && ENGINE_STOP_CODES.has(e.code)) throw e;
        }
      }
    }
    return { info: { id, name, languages }, refused };
  }

  /* ------------------------------------------------------------------ codes */

  /** The DeepL target code for a relais code, or undefined if DeepL has none. */
  private deeplTarget(target: Lang): string | undefined {
    const code = standardizeCode(this.targetCodes[target] ?? target);
    return DEEPL_TARGETS.has(code) ? code : undefined;
  }

  /** Every parameter deepl-node sends besides texts and context, as it writes them. */
  private fixedParams(source: Lang, code: string, glossaryId: string | undefined): Record<string, string> {
    return {
      target_lang: code,
      source_lang: standardizeCode(source),
      ...(glossaryId === undefined ? {} : { glossary_id: glossaryId }),
      show_billed_characters: '1',
      split_sentences: '0',
      ...(this.tagHandling === undefined ? {} : { tag_handling: this.tagHandling }),
      ...(this.ignoreTags === undefined ? {} : { ignore_tags: this.ignoreTags.join(',') }),
    };
  }
}

/* ------------------------------------------------------------------ helpers */

function toDeepLDictionary(d: GlossaryDictionary): deepl.MultilingualGlossaryDictionaryEntries {
  return { sourceLangCode: d.sourceLang, targetLangCode: d.targetLang, entries: new (deeplNode().GlossaryEntries)({ entries: Object.fromEntries(d.entries) }) };
}

function sameDictionaries(g: deepl.MultilingualGlossaryInfo, dictionaries: readonly GlossaryDictionary[]): boolean {
  if (g.dictionaries.length !== dictionaries.length) return false;
  return dictionaries.every((d) => g.dictionaries.some((x) => baseLanguage(x.sourceLangCode) === d.sourceLang && baseLanguage(x.targetLangCode) === d.targetLang && x.entryCount === d.entries.length));
}

/** deepl-node's casing: `EN-us` → `en-US`, `zh-hans` → `zh-HANS`. */
function standardizeCode(code: string): string {
  const [lang, region] = code.split('-', 2);
  return region === undefined ? lang!.toLowerCase() : `${lang!.toLowerCase()}-${region.toUpperCase()}`;
}

function asRelaisError(e: unknown, authKey: string): RelaisError {
  if (e instanceof RelaisError) return e;
  if (e instanceof Error && e.name === 'AbortError') return new RelaisError('ENGINE_FAILED', 'translation was cancelled');
  // Not an error we made: keep its message only, never the object (it may hold request headers).
  return new RelaisError('ENGINE_FAILED', `DeepL engine failed: ${redact(e instanceof Error ? e.message : String(e), authKey)}`);
}

/** p-queue style: "Expected `concurrency` to be a number from 1 and up, got `0` (number)". */
function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `from ${min} and up` : `from ${min} to ${max}`;
    throw new RelaisError('OPTION_INVALID', `Expected \`${name}\` to be an integer ${range}, got \`${String(value)}\` (${typeof value})`);
  }
  return value;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
