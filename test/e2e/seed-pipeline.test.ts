/**
 * The whole path on the real seed with the real Apertium: what a newsroom gets from `npm start`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { readGlossary } from '../../pipeline/glossary/parse.js';
import { countForm, findTermOccurrences } from '../../pipeline/glossary/match.js';
import { publishJob, runJob, readTranslation, type RunSummary } from '../../pipeline/run-job.js';
import { DecisionStore } from '../../pipeline/review/decision-store.js';
import type { LocalesManifest } from '../../pipeline/review/publish-reviewed.js';
import { JobStore } from '../../pipeline/job/job-store.js';
import type { TranslatedArticle } from '../../pipeline/artifacts.js';
import i18next from 'i18next';
import { i18nextReadOptions } from '../../pipeline/i18next-options.js';
import { CountingEngine } from '../helpers/counting-engine.js';
import { ROOT, SEED, scratchProject } from '../helpers/cli.js';
import { validateTmx } from '../helpers/xmllint.js';

const NS = 'haut-diplomate-americain';
const LANGS = ['en', 'es', 'ca'] as const;
let dir: string;
let summary: RunSummary;
let engine: CountingEngine;
const bundle = (lang: string) => JSON.parse(readFileSync(join(dir, 'locales', lang, `${NS}.json`), 'utf8')) as Record<string, string>;
const glossary = readGlossary(join(ROOT, 'glossary.yaml'));
let translations: Record<string, TranslatedArticle>;

beforeAll(async () => {
  dir = scratchProject('relais-e2e-');
  engine = new CountingEngine(new ApertiumEngine());
  summary = await runJob({ files: [SEED], targets: [...LANGS], engine, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') });
  expect(engine.warmed).toEqual([{ source: 'fr', targets: [...LANGS] }]); // a new article: the engine starts while it is ingested
  const store = new JobStore(join(dir, 'job'));
  translations = Object.fromEntries(LANGS.map((l) => [l, readTranslation(store, NS, l)!]));
}, 240_000);
afterAll(() => engine.close());

describe('npm start on the seed', () => {
  test('publishes fr, en, es, ca bundles with the same keys', () => {
    const keys = Object.keys(bundle('fr'));
    expect(keys.length).toBe(15); // the title and the 14 sentences of the body
    for (const l of LANGS) expect(Object.keys(bundle(l))).toEqual(keys);
    expect(summary.published).toHaveLength(4);
  });

  test('the French bundle holds the title and every sentence of the body as written, and no page furniture', () => {
    const fr = Object.values(bundle('fr'));
    const seed = readFileSync(SEED, 'utf8');
    const body = seed.slice(0, seed.indexOf('\nFacebook')).split('\n').slice(3).join(' ').replace(/\s+/g, ' ').trim();
    expect(fr[0]).toBe('Un haut diplomate américain exclut les pourparlers Moscou-Kiev');
    expect(fr.slice(1).join(' ')).toBe(body);
    expect(fr.filter((t) => t === fr[0])).toHaveLength(1); // the repeated title is not there twice
    for (const l of ['fr', ...LANGS]) expect(JSON.stringify(bundle(l))).not.toMatch(/Facebook|Twitter|Akismet|Leave a Comment/);
    expect(fr.join(' ')).toContain('lors d’un référendum. de rejoindre'); // the source keeps its flaws
  });

  test.for(LANGS)('%s: every glossary occurrence is rendered as the glossary says', (lang) => {
    const misses: string[] = [];
    for (const s of translations[lang]!.segments) {
      const byForm = new Map<string, number>();
      for (const o of findTermOccurrences(s.source, glossary)) {
        const term = glossary.terms.find((t) => t.id === o.termId)!;
        const form = term.targets[lang]?.form ?? o.form;
        byForm.set(form, (byForm.get(form) ?? 0) + 1);
      }
      for (const [form, n] of byForm) if (countForm(s.target, form) < n) misses.push(`${form} ×${n} in: ${s.target}`);
    }
    expect(misses).toEqual([]);
  });

  test('English: no article before names that take none, amounts and quotes the English way', () => {
    const en = Object.values(bundle('en')).join('\n');
    expect(en).not.toMatch(/\bthe (Russia|Ukraine|NATO|Germany|Moscow|Kyiv)\b/i);
    expect(en).toContain('$2.6 billion');
    expect(en).toContain('$31.7 billion');
    expect(en).not.toMatch(/[«»]/);
    expect(en).not.toMatch(/\d,\d/);
    expect(en).not.toMatch(/ [:;?!]/);
  });

  test('Spanish and Catalan: amounts in millions, no French spacing', () => {
    const es = Object.values(bundle('es')).join('\n');
    expect(es).toContain('2600 millones de dólares');
    expect(es).not.toMatch(/millardos/);
    expect(es).not.toMatch(/« | »/);
    const ca = Object.values(bundle('ca')).join('\n');
    expect(ca).not.toMatch(/« | »/);
  });

  test('unknown-word marks are removed and kept as QA flags; stray full stops are flagged and not carried over', () => {
    for (const l of LANGS) {
      const t = translations[l]!;
      expect(Object.values(bundle(l)).join('\n')).not.toMatch(/(?<![\p{L}\p{N}])[*#@](?=[\p{L}\p{N}])/u);
      expect(t.segments.filter((s) => s.flags.some((f) => f.code === 'SOURCE_STRAY_STOP'))).toHaveLength(2);
      const stray = t.segments.find((s) => s.source.includes('référendum. de'))!;
      expect(stray.target).not.toMatch(/\. [\p{Ll}\p{Lu}]\p{L}* (la|the|a) (Federación|Russian|Federació)/u);
    }
    const unknown = translations.es!.segments.flatMap((s) => s.flags.filter((f) => f.code === 'UNKNOWN_WORD').map((f) => f.subject));
    expect(unknown).toContain('pourparlers');
  });

  test('TMX per language validates against the official TMX 1.4b DTD', () => {
    for (const l of LANGS) {
      const file = join(dir, 'job', 'articles', NS, 'align', `${l}.tmx`);
      const v = validateTmx(file);
      expect(v.output).toBe('');
      expect(v.ok).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('<seg>Un haut diplomate américain exclut les pourparlers Moscou-Kiev</seg>');
    }
  });

  test('the review page has source and target side by side with glossary terms marked', () => {
    const html = readFileSync(join(dir, 'job', 'articles', NS, 'align', 'en.html'), 'utf8');
    expect(html).toContain('<mark class="term" title="glossary: Moscou">Moscou</mark>');
    expect(html).toContain('>Moscow</mark>');
    expect(existsSync(join(dir, 'job', 'articles', NS, 'align', 'ca.html'))).toBe(true);
  });

  test('every published bundle read through i18next returns exactly the stored text', async () => {
    const resources = Object.fromEntries(['fr', ...LANGS].map((l) => [l, { [NS]: bundle(l) }]));
    for (const lng of ['fr', ...LANGS]) {
      const i18n = i18next.createInstance();
      await i18n.init({ ...i18nextReadOptions, lng, ns: [NS], defaultNS: NS, resources });
      for (const [key, value] of Object.entries(bundle(lng))) expect(i18n.t(key)).toBe(value);
    }
  });

  test('re-running the unchanged job does no engine work and publishes the same bytes', async () => {
    const before = Object.fromEntries(['fr', ...LANGS].map((l) => [l, readFileSync(join(dir, 'locales', l, `${NS}.json`), 'utf8')]));
    const apertium = new ApertiumEngine();
    const again = new CountingEngine(apertium);
    const second = await runJob({ files: [SEED], targets: [...LANGS], engine: again, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') });
    // Nothing changed: no Apertium program was even started (warm-up is for new or changed articles).
    expect(again.warmed).toEqual([]);
    expect(apertium.pipelinesByMode().size).toBe(0);
    await again.close();
    expect(again.segmentsSent()).toBe(0);
    expect(second.languages.map((l) => l.translatedNow)).toEqual([0, 0, 0]);
    for (const l of ['fr', ...LANGS]) expect(readFileSync(join(dir, 'locales', l, `${NS}.json`), 'utf8')).toBe(before[l]);
  });

  test('the bundles and manifest a run publishes from what it holds equal what `publish` makes from the job folder, reviewers\' decisions included', async () => {
    const es = translations.es!;
    const [a, b, c] = es.segments.slice(1, 4);
    const decisions = new DecisionStore(join(dir, 'job'));
    const now = new Date().toISOString();
    decisions.save([
      { namespace: NS, lang: 'es', segmentId: a!.id, state: 'approved', text: a!.target, source: a!.source, machine: a!.target, updatedAt: now, by: 'ana' },
      { namespace: NS, lang: 'es', segmentId: b!.id, state: 'edited', text: 'Texto de Ana.', source: b!.source, machine: b!.target, updatedAt: now, by: 'ana' },
      { namespace: NS, lang: 'es', segmentId: c!.id, state: 'rejected', text: c!.target, source: c!.source, machine: c!.target, updatedAt: now, by: 'ana' },
    ]);
    decisions.close();
    const files = ['manifest.json', ...['fr', ...LANGS].map((l) => `${l}/${NS}.json`)];
    const read = () => Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, 'locales', f), 'utf8')]));
    const again = new CountingEngine(new ApertiumEngine());
    await runJob({ files: [SEED], targets: [...LANGS], engine: again, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') });
    await again.close();
    const fromRun = read();
    expect(JSON.parse(fromRun[`es/${NS}.json`]!)[b!.id]).toBe('Texto de Ana.');
    const manifest = JSON.parse(fromRun['manifest.json']!) as LocalesManifest;
    expect(manifest.bundles.es![NS]!.counts).toEqual({ machine: es.segments.length - 3, approved: 1, edited: 1, rejected: 1 });
    expect(manifest.bundles.fr![NS]!.keys).toBe(es.segments.length);
    publishJob({ jobDir: join(dir, 'job'), localesDir: join(dir, 'locales') });
    expect(read()).toEqual(fromRun);
  });

  test('the Spanish pass is shared with English (fr→es is not run twice)', () => {
    // Glossary-rendering probes (short term forms, ids `probe…`) go to every language; segments do not.
    const segmentTexts = (target: string) => engine.calls.filter((c) => c.target === target && !c.ids.some((id) => id.startsWith('probe'))).flatMap((c) => c.texts);
    expect(segmentTexts('en').length).toBeGreaterThanOrEqual(15);
    expect(segmentTexts('es').length).toBeLessThan(5); // only single-segment retries, if any
  });
});
