/**
 * DeepLEngine through the real deepl-node against a DeepL-compatible server on 127.0.0.1 (no network).
 * deepl-node's own retries wait at least 1 s each and cannot be shortened, so most engines here use
 * `clientAttempts: 1` and relais' own retries with millisecond pauses; one test keeps deepl-node's.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DeepLEngine, EngineStoppedError, completedBefore, type DeepLEngineOptions, type DeepLEvent } from '../../pipeline/engines/deepl.js';
import { formEncodedLength, planBatches } from '../../pipeline/engines/deepl-batch.js';
import { buildGlossaryDictionaries, glossaryName } from '../../pipeline/engines/deepl-glossary.js';
import type { EngineSegment } from '../../pipeline/engines/engine.js';
import { parseGlossary } from '../../pipeline/glossary/parse.js';
import { segmentSentences, splitParagraphs } from '../../pipeline/stages/segment/segment-text.js';
import type { Glossary } from '../../pipeline/artifacts.js';
import { RelaisError } from '../../pipeline/errors.js';
import { startFakeDeepL, type FakeDeepL } from '../helpers/fake-deepl-server.js';

const KEY = 'f63c02c5-f056-4d3b-9ab1-7c3e2a9d1b0e:fx';

/** Every error and event of every test, checked for the key at the end. */
const seen: unknown[] = [];

let server: FakeDeepL;
const engines: DeepLEngine[] = [];
let events: DeepLEvent[] = [];

beforeEach(async () => {
  server = await startFakeDeepL({ authKey: KEY });
  events = [];
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  seen.push(...events);
  await server.close();
});

function engine(options: Partial<DeepLEngineOptions> = {}): DeepLEngine {
  const e = new DeepLEngine({
    authKey: KEY,
    serverUrl: server.url,
    sourceLang: 'fr',
    clientAttempts: 1,
    retryDelayMs: 5,
    timeoutMs: 200,
    onEvent: (ev) => events.push(ev),
    ...options,
  });
  engines.push(e);
  return e;
}

async function failure(p: Promise<unknown>): Promise<EngineStoppedError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EngineStoppedError);
  seen.push(e);
  return e as EngineStoppedError;
}

function sentences(n: number, paragraphSize = 4): EngineSegment[] {
  const out: EngineSegment[] = [];
  for (let p = 0; out.length < n; p++) {
    const texts = Array.from({ length: paragraphSize }, (_, i) => `Phrase ${p * paragraphSize + i} du paragraphe ${p}, à Moscou.`);
    for (const t of texts) if (out.length < n) out.push({ id: `s${out.length}`, text: t, context: texts.join(' ') });
  }
  return out;
}

const GLOSSARY_YAML = `
source: fr
languages: [en, es]
terms:
  - fr: [Moscou, Moskva]
    kind: place
    en: Moscow
    es: Moscú
  - fr: OTAN
    kind: organisation
    en: NATO
    es: OTAN
  - fr: Blinken
    kind: person
`;

function glossaryFrom(yaml: string): Glossary {
  const { glossary, errors } = parseGlossary(yaml, 'glossary.yaml');
  expect(errors).toEqual([]);
  return glossary!;
}

describe('batching', () => {
  test('120 segments → 3 requests of ≤ 50 texts, results in order, sizes exactly as planned', async () => {
    const segs = sentences(120);
    const out = await engine().translate('fr', 'en', segs);
    const reqs = server.translateRequests();
    expect(reqs.map((r) => r.params.text!.length)).toEqual([50, 50, 20]);
    expect(out.map((r) => r.id)).toEqual(segs.map((s) => s.id));
    expect(out.map((r) => r.text)).toEqual(segs.map((s) => `[EN-US] ${s.text}`));
    expect(out.every((r, i) => r.billedCharacters === [...segs[i]!.text].length)).toBe(true);
    // What the engine measured is what went over the wire.
    const planned = events.flatMap((e) => (e.type === 'request' ? [e.bytes] : []));
    expect(reqs.map((r) => r.bodyBytes).sort()).toEqual(planned.sort());
    expect(reqs.every((r) => r.contentType?.startsWith('application/x-www-form-urlencoded'))).toBe(true);
  });

  test('multibyte text is measured encoded: each request stays under the byte budget', async () => {
    // 60 texts of ~1,500 characters of accents and « »: ~20 KB each once percent-encoded.
    const long = 'À l’été, « Été » éèêë àâä ôö ùûü ç œ — déjà très français. '.repeat(25);
    const segs = Array.from({ length: 60 }, (_, i) => ({ id: `m${i}`, text: `${i} ${long}` }));
    const maxBytes = 100 * 1024;
    const out = await engine({ contextScope: 'none' }).translate('fr', 'es', segs);
    const reqs = server.translateRequests();
    expect(out.map((r) => r.text)).toEqual(segs.map((s) => `[ES] ${s.text}`));
    expect(Math.max(...reqs.map((r) => r.bodyBytes))).toBeLessThanOrEqual(maxBytes);
    expect(Math.max(...reqs.map((r) => r.params.text!.length))).toBeLessThan(50);
    // Not counted as characters: the UTF-8 text alone would fit twice as many per request.
    const utf8 = Buffer.byteLength(segs[0]!.text);
    expect(Math.floor(maxBytes / utf8)).toBeGreaterThan(reqs[0]!.params.text!.length * 1.5);
  });

  test('formEncodedLength agrees with URLSearchParams on awkward text', () => {
    for (const s of ['a b+c&d=é', '« Kyiv » 😀 ‘’ \n\t', 'Ωmega\u{1F600}\uD800x', '*-._~!']) {
      expect(formEncodedLength(s)).toBe(new URLSearchParams([['', s]]).toString().length - 1);
    }
  });

  test('empty texts are not sent and come back empty', async () => {
    const out = await engine().translate('fr', 'en', [
      { id: 'a', text: '' },
      { id: 'b', text: 'Bonjour.' },
      { id: 'c', text: '' },
    ]);
    expect(out).toEqual([
      { id: 'a', text: '', unknownWords: [], billedCharacters: 0 },
      { id: 'b', text: '[EN-US] Bonjour.', unknownWords: [], billedCharacters: 8 },
      { id: 'c', text: '', unknownWords: [], billedCharacters: 0 },
    ]);
    expect(server.translateRequests().map((r) => r.params.text)).toEqual([['Bonjour.']]);
    await engine().translate('fr', 'en', [{ id: 'z', text: '' }]);
    expect(server.translateRequests()).toHaveLength(1);
  });

  test('split_sentences=0 and the paragraphs as context', async () => {
    const segs = sentences(8, 4);
    await engine().translate('fr', 'en', segs);
    const [req] = server.translateRequests();
    expect(req!.params.split_sentences).toEqual(['0']);
    expect(req!.params.context).toEqual([`${segs[0]!.context}\n${segs[4]!.context}`]);
  });

  test("contextScope 'paragraph': one paragraph per request, its own context", async () => {
    const segs = sentences(12, 4);
    await engine({ contextScope: 'paragraph' }).translate('fr', 'en', segs);
    const reqs = server.translateRequests();
    expect(reqs.map((r) => r.params.context)).toEqual([[segs[0]!.context], [segs[4]!.context], [segs[8]!.context]]);
    expect(reqs.map((r) => r.params.text!.length)).toEqual([4, 4, 4]);
  });

  test('estimate() predicts the requests and characters of translate()', async () => {
    const segs = sentences(130);
    const e = engine();
    const est = e.estimate(segs, ['en', 'es']);
    await e.translate('fr', 'en', segs);
    await e.translate('fr', 'es', segs);
    expect(est.requests).toBe(server.translateRequests().length);
    expect(est.characters).toBe(server.billedCharacters);
    expect(await e.usage()).toEqual({ characterCount: server.billedCharacters, characterLimit: 500_000 });
  });
});

describe('language codes', () => {
  test.for([
    { name: 'en → en-US by default', target: 'en', options: {}, sent: 'en-US' },
    { name: 'en → en-GB when configured', target: 'en', options: { targetCodes: { en: 'en-GB' } }, sent: 'en-GB' },
    { name: 'pt → pt-BR', target: 'pt', options: {}, sent: 'pt-BR' },
    { name: 'en-GB as asked', target: 'en-GB', options: {}, sent: 'en-GB' },
    { name: 'es unchanged', target: 'es', options: {}, sent: 'es' },
  ])('$name', async ({ target, options, sent }) => {
    const [r] = await engine(options).translate('fr', target, [{ id: 'x', text: 'Bonjour.' }]);
    expect(server.translateRequests()[0]!.params.target_lang).toEqual([sent]);
    expect(r).toMatchObject({ id: 'x', text: `[${sent.toUpperCase()}] Bonjour.` });
  });

  test('supports() and the version (part of cache keys) reflect the mapping', () => {
    const e = engine({ targetCodes: { en: 'en-GB' } });
    expect(e.supports('fr', 'en')).toBe(true);
    expect(e.supports('fr', 'ca')).toBe(true);
    expect(e.supports('fr', 'fr')).toBe(false);
    expect(e.supports('fr', 'xx')).toBe(false);
    expect(e.info.version).toContain('en=en-GB');
    expect(e.info.version).not.toBe(engine().info.version);
  });

  test('bad options are refused with the option named', () => {
    expect(() => engine({ concurrency: 0 })).toThrow(expect.objectContaining({ code: 'OPTION_INVALID', message: 'Expected `concurrency` to be an integer from 1 and up, got `0` (number)' }));
    expect(() => engine({ maxTexts: 51 })).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
    expect(() => engine({ targetCodes: { en: 'en-AU' } })).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
    expect(() => engine({ authKey: '' })).toThrow(expect.objectContaining({ code: 'ENGINE_AUTH' }));
  });
});

describe('glossary', () => {
  const glossary = glossaryFrom(GLOSSARY_YAML);

  test('one multilingual glossary, created once, reused by a second engine, applied on translate', async () => {
    const first = engine({ glossary });
    const info = await first.prepare(['en', 'es']);
    expect(info).toMatchObject({ name: glossaryName(buildGlossaryDictionaries(glossary)), languages: ['en', 'es'] });
    expect(info!.name).toMatch(/^relais-[0-9a-f]{12}$/);
    const stored = server.glossaries.get(info!.id)!;
    expect(stored.dictionaries).toEqual([
      { source_lang: 'fr', target_lang: 'en', entries: [['Moscou', 'Moscow'], ['Moskva', 'Moscow'], ['OTAN', 'NATO']] },
      { source_lang: 'fr', target_lang: 'es', entries: [['Moscou', 'Moscú'], ['Moskva', 'Moscú'], ['OTAN', 'OTAN']] },
    ]);
    const [en] = await first.translate('fr', 'en', [{ id: 'a', text: "L'OTAN à Moscou, Blinken." }]);
    expect(en!.text).toBe("[EN-US] L'NATO à Moscow, Blinken.");
    expect(server.translateRequests()[0]!.params.glossary_id).toEqual([info!.id]);

    const second = engine({ glossary });
    expect((await second.prepare(['en']))!.id).toBe(info!.id);
    await second.translate('fr', 'es', [{ id: 'b', text: 'Moskva.' }]);
    expect(server.requests.filter((r) => r.method === 'POST' && r.path === '/v3/glossaries')).toHaveLength(1);
    expect(server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'glossary').map((e) => e.type === 'glossary' && e.action)).toEqual(['created', 'reused']);
  });

  test('a changed glossary creates exactly one new glossary and deletes only the stale relais one', async () => {
    const old = await engine({ glossary }).prepare(['en']);
    const foreign = server.addGlossary('team terms', [{ source_lang: 'fr', target_lang: 'en', entries: [['chat', 'cat']] }]);
    const lookalike = server.addGlossary('relais-notes', [{ source_lang: 'fr', target_lang: 'en', entries: [['x', 'y']] }]);
    const changed = glossaryFrom(GLOSSARY_YAML.replace('en: Moscow', 'en: Moskva'));
    const fresh = await engine({ glossary: changed }).prepare(['en']);
    expect(fresh!.name).not.toBe(old!.name);
    expect(server.requests.filter((r) => r.method === 'POST' && r.path === '/v3/glossaries')).toHaveLength(2);
    expect(server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/v3/glossaries/${old!.id}`]);
    expect([...server.glossaries.keys()].sort()).toEqual([fresh!.id, foreign.glossary_id, lookalike.glossary_id].sort());
  });

  test('a pair DeepL cannot serve is an error before any translation request', async () => {
    const withEo = glossaryFrom(`${GLOSSARY_YAML.replace('es: Moscú', 'es: Moscú\n    eo: Moskvo')}`);
    const e = engine({ glossary: withEo });
    await expect(e.prepare(['en', 'eo'])).rejects.toMatchObject({ code: 'LANGUAGE_UNSUPPORTED', message: expect.stringContaining('fr → eo') });
    const err = await failure(e.translate('fr', 'eo', [{ id: 'a', text: 'Moscou.' }]));
    expect(err.code).toBe('LANGUAGE_UNSUPPORTED');
    expect(server.translateRequests()).toHaveLength(0);
    // The other targets still work, with a glossary that leaves eo out.
    await e.translate('fr', 'en', [{ id: 'a', text: 'Moscou.' }]);
    expect(server.translateRequests()).toHaveLength(1);
  });

  test('ignored tags are sent and their content left alone', async () => {
    const [r] = await engine({ glossary, tagHandling: 'xml', ignoreTags: ['x'] }).translate('fr', 'en', [{ id: 'a', text: '<x>Moscou</x> et Moscou.' }]);
    expect(r!.text).toBe('[EN-US] <x>Moscou</x> et Moscow.');
    expect(server.translateRequests()[0]!.params).toMatchObject({ tag_handling: ['xml'], ignore_tags: ['x'] });
  });
});

describe('faults', () => {
  test('a burst of 429 is waited out and every segment comes back', async () => {
    server.failNext('/v2/translate', { status: 429 }, { status: 429 }, { status: 429 });
    const segs = sentences(60);
    const out = await engine({ concurrency: 2 }).translate('fr', 'en', segs);
    expect(out.map((r) => r.text)).toEqual(segs.map((s) => `[EN-US] ${s.text}`));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(3);
    expect(server.translateRequests().filter((r) => r.status === 200)).toHaveLength(2);
  });

  test("5xx is first retried by deepl-node's own backoff", async () => {
    server.failNext('/v2/translate', { status: 503 });
    const out = await engine({ clientAttempts: 2 }).translate('fr', 'en', [{ id: 'a', text: 'Bonjour.' }]);
    expect(out[0]!.text).toBe('[EN-US] Bonjour.');
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0);
    expect(server.translateRequests().map((r) => r.status)).toEqual([503, 200]);
  });

  test('a hang times out and is retried', async () => {
    server.failNext('/v2/translate', { hang: true });
    const out = await engine().translate('fr', 'en', [{ id: 'a', text: 'Bonjour.' }]);
    expect(out[0]!.text).toBe('[EN-US] Bonjour.');
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ status: undefined, reason: expect.stringMatching(/timeout/i) });
  });

  test('5xx that outlives the retries → ENGINE_UNAVAILABLE; the engine then stops without requests', async () => {
    server.failNext('/v2/translate', ...Array.from({ length: 3 }, () => ({ status: 502 })));
    const e = engine({ maxRetries: 2 });
    const err = await failure(e.translate('fr', 'en', [{ id: 'a', text: 'Bonjour.' }]));
    expect(err).toMatchObject({ code: 'ENGINE_UNAVAILABLE', completed: [] });
    expect(err.message).toContain('HTTP 502');
    expect(server.translateRequests()).toHaveLength(3);
    await failure(e.translate('fr', 'en', [{ id: 'b', text: 'Encore.' }]));
    expect(server.translateRequests()).toHaveLength(3);
  });

  test('456 → ENGINE_QUOTA, never retried, with the finished batches handed back', async () => {
    const segs = sentences(120);
    const firstTwo = segs.slice(0, 100).reduce((n, s) => n + [...s.text].length, 0);
    server.quotaAfter(firstTwo + 10);
    const e = engine({ concurrency: 1 });
    const saved: string[] = [];
    events = [];
    const err = await failure(e.translate('fr', 'en', segs));
    expect(err.code).toBe('ENGINE_QUOTA');
    expect(err.hint).toMatch(/saved/);
    expect(err.completed.map((r) => r.id)).toEqual(segs.slice(0, 100).map((s) => s.id));
    expect(completedBefore(err)).toBe(err.completed);
    for (const ev of events) if (ev.type === 'batch') saved.push(...ev.results.map((r) => r.id));
    expect(saved).toEqual(segs.slice(0, 100).map((s) => s.id));
    expect(server.translateRequests().map((r) => r.status)).toEqual([200, 200, 456]);
    // Resuming with the same engine sends nothing more: the quota is gone.
    await failure(e.translate('fr', 'en', segs.slice(100)));
    expect(server.translateRequests()).toHaveLength(3);
    expect(events.filter((ev) => ev.type === 'stopped')).toHaveLength(1);
  });

  test('403 → ENGINE_AUTH, never retried', async () => {
    const e = engine({ authKey: 'wrong-key-0000:fx', clientAttempts: 3 });
    const err = await failure(e.translate('fr', 'en', sentences(3)));
    expect(err).toMatchObject({ code: 'ENGINE_AUTH', completed: [] });
    expect(err.hint).toContain('DEEPL_AUTH_KEY');
    expect(server.translateRequests()).toHaveLength(1);
    seen.push(await e.usage().catch((x: unknown) => x));
  });

  test('403 on the glossary set-up stops before any translation', async () => {
    server.rejectKey(true);
    const e = engine({ glossary: glossaryFrom(GLOSSARY_YAML) });
    await expect(e.prepare(['en'])).rejects.toMatchObject({ code: 'ENGINE_AUTH' });
    expect(server.translateRequests()).toHaveLength(0);
  });

  test('413 splits the batch in two', async () => {
    server.failNext('/v2/translate', { status: 413 });
    const segs = sentences(10);
    const out = await engine().translate('fr', 'en', segs);
    expect(out.map((r) => r.id)).toEqual(segs.map((s) => s.id));
    expect(server.translateRequests().map((r) => r.params.text!.length)).toEqual([10, 5, 5]);
  });

  test('an abort stops sending; what finished was announced', async () => {
    const controller = new AbortController();
    const e = engine({ concurrency: 1 });
    const done: string[] = [];
    const p = e.translate('fr', 'en', sentences(200), controller.signal);
    events = [];
    const stopOnFirst = setInterval(() => {
      for (const ev of events) if (ev.type === 'batch') done.push(...ev.results.map((r) => r.id));
      if (done.length > 0) controller.abort(new Error('user pressed ^C'));
    }, 1);
    await expect(p).rejects.toThrow('user pressed ^C');
    clearInterval(stopOnFirst);
    expect(server.translateRequests().length).toBeLessThan(4);
    expect(done.length).toBeGreaterThanOrEqual(50);
  });

  test('a server that refuses connections stops the engine at once, without pauses, and names the server', async () => {
    const e = new DeepLEngine({ authKey: KEY, serverUrl: 'http://127.0.0.1:9', sourceLang: 'fr', clientAttempts: 1, maxRetries: 4, retryDelayMs: 60_000 });
    const t0 = Date.now();
    const err = await failure(e.translate('fr', 'en', [{ id: 'a', text: 'Bonjour.' }]));
    expect(Date.now() - t0).toBeLessThan(30_000); // not 4 pauses of a minute
    expect(err.code).toBe('ENGINE_UNAVAILABLE');
    expect(err.message).toMatch(/cannot reach DeepL at http:\/\/127\.0\.0\.1:9 \(.*ECONNREFUSED/);
    expect(err.hint).toMatch(/DEEPL_SERVER_URL/);
    await e.close();
  });

  test('the key is absent from errors and events, even when the server echoes it', async () => {
    server.failNext('/v2/translate', { status: 500, echoAuth: true }, { status: 500, echoAuth: true });
    const e = engine({ maxRetries: 1 });
    const err = await failure(e.translate('fr', 'en', [{ id: 'a', text: 'Bonjour.' }]));
    expect(err.code).toBe('ENGINE_UNAVAILABLE');
    const retry = events.find((ev) => ev.type === 'retry');
    expect(retry).toMatchObject({ reason: expect.stringContaining('[redacted]') });
    expect(JSON.stringify(retry)).not.toContain(KEY);
    const stopped = new DeepLEngine({ authKey: KEY, serverUrl: 'http://127.0.0.1:9', sourceLang: 'fr', clientAttempts: 1, maxRetries: 0, timeoutMs: 100 });
    seen.push(await stopped.translate('fr', 'en', [{ id: 'a', text: 'x' }]).catch((x: unknown) => x));
  });
});

describe('seed measurements', () => {
  test('50-sentence batches of the seed article stay far under DeepL’s 128 KiB', async () => {
    const text = readFileSync(new URL('../../seeds/haut-diplomate-americain.fr.txt', import.meta.url), 'utf8');
    const segs: EngineSegment[] = [];
    for (const p of splitParagraphs(text)) for (const s of segmentSentences(p.text)) segs.push({ id: `s${segs.length}`, text: s.text, context: p.text });
    const corpus = readFileSync(new URL('../fixtures/corpus/wikinews-400.txt', import.meta.url), 'utf8');
    const wiki: EngineSegment[] = splitParagraphs(corpus).map((p, i) => ({ id: `w${i}`, text: p.text, context: p.text }));
    const fixed = 'target_lang=en-US&source_lang=fr&glossary_id=00000000-0000-0000-0000-000000000000&show_billed_characters=1&split_sentences=0'.length;
    for (const list of [segs, wiki]) {
      const batches = planBatches(list, fixed, { maxTexts: 50, maxBytes: 100 * 1024, contextScope: 'batch' });
      expect(Math.max(...batches.map((b) => b.bytes))).toBeLessThan(100 * 1024);
    }
    await engine({ glossary: glossaryFrom(readFileSync(new URL('../../glossary.yaml', import.meta.url), 'utf8')) }).translate('fr', 'en', segs);
    const planned = events.flatMap((e) => (e.type === 'request' ? [e.bytes] : []));
    expect(server.translateRequests().map((r) => r.bodyBytes)).toEqual(planned);
  });
});

afterAll(() => {
  expect(seen.length).toBeGreaterThan(10);
  for (const thing of seen) {
    const forms = [thing instanceof Error ? thing.message : '', JSON.stringify(thing) ?? '', inspect(thing, { depth: 10, showHidden: true })];
    if (thing instanceof RelaisError) forms.push(thing.format(), String(thing.hint), inspect(thing.cause, { depth: 10 }));
    for (const f of forms) expect(f).not.toContain(KEY);
  }
});
