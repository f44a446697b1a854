/**
 * A DeepL-compatible HTTP server on 127.0.0.1 for tests: the endpoints deepl-node calls, with the real
 * API's JSON shapes, deterministic "translations" and scripted faults. It records every request.
 *
 *   const server = await startFakeDeepL({ authKey: 'test-key:fx' });
 *   new DeepLEngine({ authKey: 'test-key:fx', serverUrl: server.url, sourceLang: 'fr' });
 *   server.failNext('/v2/translate', { status: 429 }, { status: 429 });   // then OK
 *   await server.close();
 *
 * Translation of a text into T: `[T] text`, with the glossary's entries applied (whole words, longest
 * first) and, under `tag_handling`, the content of `ignore_tags` elements left untouched.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';

export type ScriptedFault =
  /** Answer with this status and DeepL's JSON error body. `echoAuth` puts the request's Authorization header in the body (a hostile server, for redaction tests). */
  | { status: number; echoAuth?: boolean }
  /** Never answer: the client has to time out. */
  | { hang: true };

export interface RecordedRequest {
  method: string;
  path: string;
  /** Size of the request body as received, in bytes. */
  bodyBytes: number;
  contentType: string | undefined;
  /** Body (form or JSON) and query parameters; repeated keys keep every value, in order. */
  params: Record<string, string[]>;
  /** Whether the Authorization header carried the right key. */
  authorized: boolean;
  /** Status answered; undefined while hanging. */
  status: number | undefined;
  /** Date.now() when the request arrived, and when its answer was handed to the client's socket (undefined: never, e.g. the client died first). */
  receivedAt: number;
  answeredAt?: number;
}

export interface StoredGlossary {
  glossary_id: string;
  name: string;
  creation_time: string;
  dictionaries: Array<{ source_lang: string; target_lang: string; entries: Array<[string, string]> }>;
}

export interface FakeDeepLOptions {
  /** The only key accepted (`Authorization: DeepL-Auth-Key <key>`). */
  authKey: string;
  /** Glossary language pairs served. @default fr → en, es, ca, de, it, pt, nl and their reverses */
  glossaryPairs?: Array<[string, string]>;
  /** `character_limit` of /v2/usage. @default 500000 */
  characterLimit?: number;
  /** Milliseconds before each /v2/translate answer (a real server's latency, for benchmarks). @default 0 */
  latencyMs?: number;
}

/** How the server misbehaves with ignored tags (a neural engine sometimes does). */
export type TagMangling =
  /** Drop the tags, keep their content. */
  | 'drop-tags'
  /** Drop tags and content. */
  | 'drop-elements'
  /** Change the content of the element (an inflected name). */
  | 'alter-content';

export interface FakeDeepL {
  /** e.g. http://127.0.0.1:41234 — give it to deepl-node as `serverUrl`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly glossaries: Map<string, StoredGlossary>;
  /** Characters billed so far (`character_count`). */
  billedCharacters: number;
  /** The next requests whose path starts with `pathPrefix` fail like this, one fault per request, in order. */
  failNext(pathPrefix: string, ...faults: ScriptedFault[]): void;
  /**
   * From now on /v2/translate answers 456 to any request that would take billing past `characters`.
   * /v2/usage reports `reportedLimit` as the limit (default: `characters`) — a larger value makes the
   * quota run out mid-run, as when another user of the account spends it meanwhile.
   */
  quotaAfter(characters: number, reportedLimit?: number): void;
  /** Answer 403 to everything (a revoked key). */
  rejectKey(on: boolean): void;
  /** The next `times` translated texts that hold an ignored tag are mangled this way (undefined: stop). */
  mangleTags(mode: TagMangling | undefined, times?: number): void;
  /** Requests to /v2/translate only. */
  translateRequests(): RecordedRequest[];
  /** Put a glossary in the account as if an earlier run (or someone else) had made it. */
  addGlossary(name: string, dictionaries: StoredGlossary['dictionaries']): StoredGlossary;
  close(): Promise<void>;
}

const DEFAULT_PAIRS: Array<[string, string]> = ['en', 'es', 'ca', 'de', 'it', 'pt', 'nl'].flatMap((t): Array<[string, string]> => [['fr', t], [t, 'fr']]);
const ERROR_MESSAGES: Record<number, string> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  413: 'Request Entity Too Large',
  429: 'Too many requests',
  456: 'Quota exceeded',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

export async function startFakeDeepL(options: FakeDeepLOptions): Promise<FakeDeepL> {
  const requests: RecordedRequest[] = [];
  const glossaries = new Map<string, StoredGlossary>();
  const faults: Array<{ prefix: string; fault: ScriptedFault }> = [];
  const pairs = options.glossaryPairs ?? DEFAULT_PAIRS;
  const characterLimit = options.characterLimit ?? 500_000;
  let quota: number | undefined;
  let reportedQuota: number | undefined;
  let keyRejected = false;
  let mangling: { mode: TagMangling; left: number } | undefined;
  const mangle = (out: string, ignore: readonly string[]): string => {
    if (!mangling || mangling.left <= 0 || ignore.length === 0) return out;
    const names = ignore.map(escapeRegExp).join('|');
    const element = new RegExp(`<(${names})(\\s[^>]*)?>([\\s\\S]*?)</\\1>`, 'g');
    if (!element.test(out)) return out;
    mangling.left--;
    element.lastIndex = 0;
    return out.replace(element, (whole, _n: string, _a: string, inner: string) =>
      mangling!.mode === 'drop-tags' ? inner : mangling!.mode === 'drop-elements' ? '' : whole.replace(`>${inner}<`, `>${inner}s<`));
  };
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  const state = {
    billedCharacters: 0,
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        handle(req, res, body);
      } catch (e) {
        send(res, 500, { message: `fake server bug: ${(e as Error).message}` });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = req.headers['content-type'];
    const params: Record<string, string[]> = {};
    const add = (k: string, v: string) => (params[k] ??= []).push(v);
    for (const [k, v] of url.searchParams) add(k, v);
    const text = body.toString('utf8');
    if (contentType?.startsWith('application/json') && text) {
      for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
        for (const x of Array.isArray(v) ? v : [v]) add(k, typeof x === 'string' ? x : JSON.stringify(x));
      }
    } else if (text) {
      for (const [k, v] of new URLSearchParams(text)) add(k, v);
    }
    const authorized = req.headers.authorization === `DeepL-Auth-Key ${options.authKey}`;
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, bodyBytes: body.length, contentType, params, authorized, status: undefined, receivedAt: Date.now() };
    requests.push(record);
    res.on('finish', () => (record.answeredAt = Date.now()));
    const reply = (status: number, json?: unknown) => {
      record.status = status;
      send(res, status, json);
    };

    const at = faults.findIndex((f) => url.pathname.startsWith(f.prefix));
    if (at >= 0) {
      const [{ fault }] = faults.splice(at, 1) as [{ prefix: string; fault: ScriptedFault }];
      if ('hang' in fault) {
        hanging.add(res);
        return;
      }
      if (fault.echoAuth) {
        record.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'text/plain' });
        res.end(`upstream failure for request with authorization ${req.headers.authorization ?? ''}`);
        return;
      }
      return reply(fault.status, { message: ERROR_MESSAGES[fault.status] ?? 'Error' });
    }
    if (!authorized || keyRejected) return reply(403, { message: 'Forbidden' });

    const one = (k: string) => params[k]?.[0];
    const route = `${req.method} ${url.pathname}`;
    let m: RegExpExecArray | null;

    if (route === 'POST /v2/translate') {
      const texts = params.text ?? [];
      const target = one('target_lang');
      const source = one('source_lang');
      if (texts.length === 0 || !target) return reply(400, { message: "Parameter 'text' and 'target_lang' are required" });
      if (texts.length > 50) return reply(413, { message: 'Too many texts' });
      if (body.length > 128 * 1024) return reply(413, { message: 'Request Entity Too Large' });
      if (/^(en|pt)$/i.test(target)) return reply(400, { message: "Value for 'target_lang' not supported." });
      let entries: Array<[string, string]> = [];
      const glossaryId = one('glossary_id');
      if (glossaryId) {
        if (!source) return reply(400, { message: "Use of a glossary requires the 'source_lang' parameter to be specified" });
        const g = glossaries.get(glossaryId);
        if (!g) return reply(404, { message: 'Glossary not found' });
        const dict = g.dictionaries.find((d) => d.source_lang === base(source) && d.target_lang === base(target));
        if (!dict) return reply(400, { message: `No dictionary found for language pair ${base(source)}-${base(target)}` });
        entries = dict.entries;
      }
      const chars = texts.reduce((n, t) => n + [...t].length, 0);
      if (quota !== undefined && state.billedCharacters + chars > quota) return reply(456, { message: 'Quota exceeded' });
      state.billedCharacters += chars;
      const ignore = one('tag_handling') ? (one('ignore_tags') ?? '').split(',').filter(Boolean) : [];
      const answer = {
        translations: texts.map((t) => ({
          detected_source_language: (source ?? 'fr').toUpperCase(),
          text: `[${target.toUpperCase()}] ${mangle(translateText(t, entries, ignore), ignore)}`,
          ...(one('show_billed_characters') === '1' ? { billed_characters: [...t].length } : {}),
        })),
      };
      if (options.latencyMs) {
        setTimeout(() => reply(200, answer), options.latencyMs);
        return;
      }
      return reply(200, answer);
    }
    if (route === 'GET /v2/usage') return reply(200, { character_count: state.billedCharacters, character_limit: reportedQuota ?? quota ?? characterLimit });
    if (route === 'GET /v2/glossary-language-pairs') return reply(200, { supported_languages: pairs.map(([s, t]) => ({ source_lang: s, target_lang: t })) });
    if (route === 'GET /v3/glossaries') return reply(200, { glossaries: [...glossaries.values()].map(info) });
    if (route === 'POST /v3/glossaries') {
      const name = one('name');
      if (!name) return reply(400, { message: "Parameter 'name' is required" });
      const dictionaries: StoredGlossary['dictionaries'] = [];
      for (let i = 0; params[`dictionaries[${i}].source_lang`]; i++) {
        const s = one(`dictionaries[${i}].source_lang`)!;
        const t = one(`dictionaries[${i}].target_lang`)!;
        if (!pairs.some(([a, b]) => a === base(s) && b === base(t))) return reply(400, { message: `Unsupported glossary language pair ${s}-${t}` });
        dictionaries.push({ source_lang: base(s), target_lang: base(t), entries: parseEntries(one(`dictionaries[${i}].entries`) ?? '', one(`dictionaries[${i}].entries_format`) ?? 'tsv') });
      }
      if (dictionaries.length === 0) return reply(400, { message: 'At least one dictionary is required' });
      return reply(201, info(store(name, dictionaries)));
    }
    if ((m = /^\/v3\/glossaries\/([^/]+)$/.exec(url.pathname))) {
      const g = glossaries.get(m[1]!);
      if (!g) return reply(404, { message: 'Glossary not found' });
      if (req.method === 'GET') return reply(200, info(g));
      if (req.method === 'DELETE') {
        glossaries.delete(g.glossary_id);
        return reply(204);
      }
      if (req.method === 'PATCH') {
        const name = one('name');
        if (name) g.name = name;
        for (let i = 0; params[`dictionaries[${i}].source_lang`]; i++) {
          const d = upsertDictionary(g, one(`dictionaries[${i}].source_lang`)!, one(`dictionaries[${i}].target_lang`)!);
          const merged = new Map(d.entries);
          for (const [s, t] of parseEntries(one(`dictionaries[${i}].entries`) ?? '', one(`dictionaries[${i}].entries_format`) ?? 'tsv')) merged.set(s, t);
          d.entries = [...merged];
        }
        return reply(200, info(g));
      }
    }
    if ((m = /^\/v3\/glossaries\/([^/]+)\/entries$/.exec(url.pathname)) && req.method === 'GET') {
      const g = glossaries.get(m[1]!);
      const d = g?.dictionaries.find((x) => x.source_lang === base(one('source_lang') ?? '') && x.target_lang === base(one('target_lang') ?? ''));
      if (!g || !d) return reply(404, { message: 'Glossary dictionary not found' });
      return reply(200, { dictionaries: [{ source_lang: d.source_lang, target_lang: d.target_lang, entries: d.entries.map(([s, t]) => `${s}\t${t}`).join('\n'), entries_format: 'tsv' }] });
    }
    if ((m = /^\/v3\/glossaries\/([^/]+)\/dictionaries$/.exec(url.pathname))) {
      const g = glossaries.get(m[1]!);
      if (!g) return reply(404, { message: 'Glossary not found' });
      if (req.method === 'PUT') {
        const d = upsertDictionary(g, one('source_lang') ?? '', one('target_lang') ?? '');
        d.entries = parseEntries(one('entries') ?? '', one('entries_format') ?? 'tsv');
        return reply(200, { source_lang: d.source_lang, target_lang: d.target_lang, entry_count: d.entries.length });
      }
      if (req.method === 'DELETE') {
        g.dictionaries = g.dictionaries.filter((x) => !(x.source_lang === base(one('source_lang') ?? '') && x.target_lang === base(one('target_lang') ?? '')));
        return reply(204);
      }
    }
    return reply(404, { message: 'Not found' });
  }

  function store(name: string, dictionaries: StoredGlossary['dictionaries']): StoredGlossary {
    const g: StoredGlossary = { glossary_id: randomUUID(), name, creation_time: new Date().toISOString(), dictionaries };
    glossaries.set(g.glossary_id, g);
    return g;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    glossaries,
    get billedCharacters() {
      return state.billedCharacters;
    },
    set billedCharacters(n: number) {
      state.billedCharacters = n;
    },
    failNext(prefix, ...list) {
      for (const fault of list) faults.push({ prefix, fault });
    },
    quotaAfter(characters, reportedLimit) {
      quota = characters;
      reportedQuota = reportedLimit;
    },
    rejectKey(on) {
      keyRejected = on;
    },
    mangleTags(mode, times = Number.POSITIVE_INFINITY) {
      mangling = mode === undefined ? undefined : { mode, left: times };
    },
    translateRequests: () => requests.filter((r) => r.path === '/v2/translate'),
    addGlossary: (name, dictionaries) => store(name, dictionaries),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, json?: unknown): void {
  if (res.destroyed) return;
  if (json === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const payload = JSON.stringify(json);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function info(g: StoredGlossary) {
  return {
    glossary_id: g.glossary_id,
    name: g.name,
    creation_time: g.creation_time,
    dictionaries: g.dictionaries.map((d) => ({ source_lang: d.source_lang, target_lang: d.target_lang, entry_count: d.entries.length })),
  };
}

function upsertDictionary(g: StoredGlossary, source: string, target: string) {
  let d = g.dictionaries.find((x) => x.source_lang === base(source) && x.target_lang === base(target));
  if (!d) g.dictionaries.push((d = { source_lang: base(source), target_lang: base(target), entries: [] }));
  return d;
}

function base(code: string): string {
  return code.split('-')[0]!.toLowerCase();
}

function parseEntries(text: string, format: string): Array<[string, string]> {
  const sep = format === 'csv' ? ',' : '\t';
  return text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .map((l) => {
      const [s, t] = l.split(sep);
      return [s ?? '', t ?? ''];
    });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Apply glossary entries to the text outside ignored elements. */
function translateText(text: string, entries: ReadonlyArray<[string, string]>, ignoreTags: readonly string[]): string {
  const apply = (part: string) => {
    if (entries.length === 0) return part;
    const sorted = [...entries].sort((a, b) => b[0].length - a[0].length);
    const map = new Map(sorted);
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(${sorted.map(([s]) => escapeRegExp(s)).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
    return part.replace(re, (hit) => map.get(hit) ?? hit);
  };
  if (ignoreTags.length === 0) return apply(text);
  const names = ignoreTags.map(escapeRegExp).join('|');
  const re = new RegExp(`<(${names})(\\s[^>]*)?>[\\s\\S]*?</\\1>`, 'g');
  let out = '';
  let last = 0;
  for (const hit of text.matchAll(re)) {
    out += apply(text.slice(last, hit.index)) + hit[0];
    last = hit.index + hit[0].length;
  }
  return out + apply(text.slice(last));
}
