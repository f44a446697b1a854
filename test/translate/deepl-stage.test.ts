/**
 * The translate stage with DeepL (deepl-node against a DeepL-compatible server on 127.0.0.1): names
 * travel as ignored <x> elements and every element is checked when the text comes back; a request that
 * finished before a fault is saved even when its batch as a whole failed; each request carries the
 * paragraphs of its segments as context.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Glossary, SegmentedArticle, TranslatedSegment } from '../../pipeline/artifacts.js';
import { DeepLEngine, type DeepLEngineOptions } from '../../pipeline/engines/deepl.js';
import { readGlossary } from '../../pipeline/glossary/parse.js';
import { JobStore } from '../../pipeline/job/job-store.js';
import { ingestArticle } from '../../pipeline/stages/ingest/ingest-article.js';
import { segmentArticle } from '../../pipeline/stages/segment/segment-article.js';
import { runTranslateStage } from '../../pipeline/stages/translate/translate-stage.js';
import { ROOT, SEED } from '../helpers/cli.js';
import { startFakeDeepL, type FakeDeepL } from '../helpers/fake-deepl-server.js';

const KEY = 'stage-test-key:fx';
const glossary: Glossary = readGlossary(join(ROOT, 'glossary.yaml'));
const CORPUS = join(import.meta.dirname, '../fixtures/corpus/wikinews-400.txt');

function segmentedFrom(text: string, namespace: string): SegmentedArticle {
  const ingested = ingestArticle({ text, file: `${namespace}.txt`, namespace, sourceHash: namespace, sourceLang: 'fr', notes: [] });
  return segmentArticle(ingested);
}
const seed = segmentedFrom(readFileSync(SEED, 'utf8'), 'seed');

let server: FakeDeepL;
let engine: DeepLEngine;
beforeEach(async () => {
  server = await startFakeDeepL({ authKey: KEY });
});
afterEach(async () => {
  await engine?.close();
  await server.close();
});

function deepl(options: Partial<DeepLEngineOptions> = {}): DeepLEngine {
  engine = new DeepLEngine({ authKey: KEY, serverUrl: server.url, sourceLang: 'fr', glossary, tagHandling: 'xml', ignoreTags: ['x'], clientAttempts: 1, ...options });
  return engine;
}

async function translateSeed(lang = 'en') {
  const store = new JobStore(mkdtempSync(join(tmpdir(), 'relais-deepl-stage-')));
  const { articles, billedCharacters } = await runTranslateStage({ store, segmented: seed, glossary, engine, targets: [lang] });
  return { segments: articles[0]!.segments, billedCharacters };
}

const withBlinken = (segments: TranslatedSegment[]) => segments.filter((s) => s.source.includes('Blinken'));

describe('names as ignored XML elements', () => {
  test('intact elements come back as the glossary form, with no flag and no tag left', async () => {
    deepl();
    const { segments } = await translateSeed();
    expect(withBlinken(segments).length).toBeGreaterThan(1);
    for (const s of withBlinken(segments)) {
      expect(s.target).toContain('Blinken');
      expect(s.flags.map((f) => f.code)).not.toContain('TAG_REPAIRED');
    }
    for (const s of segments) expect(s.target).not.toMatch(/<\/?x\b|ZZ[GN][A-Z]/);
  });

  test('a dropped tag whose text is still there is repaired and flagged', async () => {
    deepl();
    server.mangleTags('drop-tags', 1);
    const { segments } = await translateSeed();
    const flagged = segments.filter((s) => s.flags.some((f) => f.code === 'TAG_REPAIRED'));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.flags.find((f) => f.code === 'TAG_REPAIRED')!.message).toMatch(/dropped the tag around ".+" but kept the text/);
    expect(flagged[0]!.target).not.toMatch(/<\/?x\b/);
  });

  test('altered content is put back to the glossary form and flagged', async () => {
    deepl();
    server.mangleTags('alter-content', 1);
    const { segments } = await translateSeed();
    const flagged = segments.filter((s) => s.flags.some((f) => f.code === 'TAG_REPAIRED'));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.flags[0]!.message).toMatch(/changed the protected text "(.+)" to "\1s"/);
    expect(flagged[0]!.target).not.toMatch(/Blinkens|Bidens/);
  });

  test('a vanished element is retried without tags; the retry is flagged and the name is there', async () => {
    deepl();
    server.mangleTags('drop-elements', 1);
    const { segments } = await translateSeed();
    const retried = segments.filter((s) => s.flags.some((f) => f.code === 'TAG_RETRIED'));
    expect(retried).toHaveLength(1);
    const seg = retried[0]!;
    // The retry went out without any <x> element, for this segment's text alone.
    const lastTexts = server.translateRequests().map((q) => q.params.text ?? []);
    const retry = lastTexts.find((texts) => texts.length === 1 && texts[0]!.includes(seg.source.slice(0, 20)));
    expect(retry).toBeDefined();
    expect(retry![0]).not.toMatch(/<x\b/);
    for (const name of ['Blinken', 'Biden'].filter((n) => seg.source.includes(n))) expect(seg.target).toContain(name);
    // The retry's characters are billed to the segment.
    expect(seg.billedCharacters).toBeGreaterThan([...seg.source].length);
  });
});

describe('requests and faults', () => {
  test('each request carries the paragraphs of its segments as context', async () => {
    deepl();
    await translateSeed('es');
    const paragraphs = new Map<number, string>();
    for (const s of seed.segments) paragraphs.set(s.paragraph, paragraphs.has(s.paragraph) ? `${paragraphs.get(s.paragraph)} ${s.text}` : s.text);
    const request = server.translateRequests().find((q) => (q.params.text ?? []).some((t) => t.includes('Blinken')))!;
    const context = request.params.context![0]!;
    for (const p of paragraphs.values()) expect(context).toContain(p);
  });

  test('a quota fault in the middle of a batch keeps the requests that finished before it', async () => {
    // Requests of 10 texts, one at a time, inside stage batches of 40: the fault comes after 2 requests.
    deepl({ maxTexts: 10, concurrency: 1 });
    const paragraphs = readFileSync(CORPUS, 'utf8').split(/\n\s*\n/).slice(0, 40);
    const article = segmentedFrom(`Dépêches\n\n${paragraphs.join('\n\n')}`, 'news');
    const store = new JobStore(mkdtempSync(join(tmpdir(), 'relais-deepl-salvage-')));
    // Probes of the glossary's forms first; then about two requests of 10 news sentences.
    await engine.prepare(['ca']);
    server.quotaAfter(server.billedCharacters + 3500, 1_000_000);
    const e = await runTranslateStage({ store, segmented: article, glossary, engine, targets: ['ca'], batchSize: 40 }).then(() => 'no error', (x: unknown) => x);
    expect(e).toMatchObject({ code: 'ENGINE_QUOTA' });
    const answered = server.translateRequests().filter((q) => q.status === 200 && (q.params.text ?? []).length === 10);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    const journal = store.readJournal('news', 'ca');
    // Every text of every answered request is saved: none will be sent (and billed) again.
    expect(journal.size).toBe(answered.length * 10);
  });
});
