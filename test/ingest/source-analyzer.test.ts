/** The source language's Apertium analyzer as a second opinion on paragraphs franc calls foreign: real lt-proc. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { detectLanguage } from '../../pipeline/stages/ingest/detect-language.js';
import { ingestArticle } from '../../pipeline/stages/ingest/ingest-article.js';
import { analyzerCommand, knownWordsSay, secondOpinionOn, SourceAnalyzerProcess, startSourceAnalyzer } from '../../pipeline/stages/ingest/source-analyzer.js';

const dir = mkdtempSync(join(tmpdir(), 'relais-analyzer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** French that franc calls foreign (test/fixtures/corpus): left untranslated before this opinion. */
const FRENCH_CALLED_FOREIGN = [
  'La porte cria, quelqu\'un entrait.',
  'De temps en temps, j\'essayais de me défendre.',
  'Si c\'était elle, si elle venait me relancer encore ?...',
  '« Il reviendra, il va revenir puisqu\'il écrit. »',
  'Le Premier ministre somalien, Ali Mohamed Gedi, est sorti indemne d\'un attentat à la bombe survenu mercredi à Mogadiscio.',
  'Claudio Scajola (FI) remplacera Antonio Marzano (FI) à l\'industrie.',
];
/** Apertium's own Spanish, Catalan and English of the bench corpus, the closest calls at a looser threshold. */
const FOREIGN = [
  'El porter es va inclinar i va sortir.',
  'Sois indigna de la miséricorde de Dios!»',
  'Sou indigne de la misericòrdia de Déu!»',
  'This exhibition annoyed me a lot.',
  'Veis, me divierto de sus… de sus… de sus indélicatesses.»',
  'París, capital de Francia, acoge los votantes de Francia, de Bélgica y de Suiza.',
  'IV -- LA DISCUSIÓN DEL PRESUPUESTO',
  'Senate Committee on Energy and Natural Resources).',
];

describe('the source analyzer (lt-proc -z fr-es.automorf.bin, one process)', () => {
  const analyzer = startSourceAnalyzer('fr');
  afterAll(() => analyzer?.close());

  test('is found in the installed fr-es mode', () => {
    expect(analyzer, 'apt-get install apertium apertium-fr-es').toBeDefined();
    expect(analyzerCommand('fr')).toEqual(['lt-proc', '/usr/share/apertium/apertium-fr-es/fr-es.automorf.bin']);
  });

  test('French that franc calls foreign is French; Spanish, Catalan and English are not', async () => {
    for (const t of [...FRENCH_CALLED_FOREIGN, ...FOREIGN]) expect(detectLanguage(t, 'fr').lang, t).not.toBe('fr');
    expect(await analyzer!.ask(FRENCH_CALLED_FOREIGN)).toEqual(FRENCH_CALLED_FOREIGN.map(() => true));
    expect(await analyzer!.ask(FOREIGN)).toEqual(FOREIGN.map(() => false));
  });

  test('texts with stream syntax and line breaks keep their place (one answer per text); questions asked together are answered each in turn', async () => {
    const texts = ['Le [chat] ^dort$ / bien\nsur le <toit> {ici} @là.', 'The cat sleeps on the roof tonight.', 'Il pleut\tdepuis hier soir sur toute la ville.'];
    expect(await analyzer!.ask(texts)).toEqual([true, false, true]);
    expect(await analyzer!.ask([])).toEqual([]);
    const many = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? [FRENCH_CALLED_FOREIGN[i % 6]!, FOREIGN[i % 8]!] : [FOREIGN[i % 8]!]));
    const answers = await Promise.all(many.map((q) => analyzer!.ask(q)));
    expect(answers).toEqual(many.map((q) => q.map((t) => FRENCH_CALLED_FOREIGN.includes(t))));
  });

  test('a pasted base64 image or hash in a paragraph does not stall it: it counts as one unknown word', async () => {
    // 1.2 MB of one "word" took lt-proc over a minute; under a 10 s limit it would be killed and the
    // French question after it left without an opinion.
    const own = new SourceAnalyzerProcess(analyzerCommand('fr')!, 10_000);
    try {
      const huge = 'Lechatmangeunesouris'.repeat(60_000);
      expect(await own.ask([huge, `Il pleut depuis hier soir sur toute la ville ${'a'.repeat(200)} et le vent souffle.`, FRENCH_CALLED_FOREIGN[0]!])).toEqual([false, true, true]);
      expect(await own.ask([FRENCH_CALLED_FOREIGN[1]!])).toEqual([true]);
    } finally {
      own.close();
    }
  });

  test('a process that dies gives no opinion on what it did not answer, nor after; a missing program likewise', async () => {
    const own = startSourceAnalyzer('fr')!;
    expect(await own.ask([FRENCH_CALLED_FOREIGN[0]!])).toEqual([true]);
    const pid = (own as unknown as { child: { pid: number } }).child.pid;
    const pending = own.ask(FRENCH_CALLED_FOREIGN);
    process.kill(pid, 'SIGKILL');
    const got = await pending;
    expect(got).toHaveLength(FRENCH_CALLED_FOREIGN.length); // answered before the kill, or no opinion
    expect(await own.ask([FRENCH_CALLED_FOREIGN[1]!])).toEqual([false]);
    const missing = new SourceAnalyzerProcess(['/nonexistent/lt-proc', 'x.automorf.bin']);
    expect(await missing.ask(FRENCH_CALLED_FOREIGN)).toEqual(FRENCH_CALLED_FOREIGN.map(() => false));
    // One that never answers (`tail -z -f /dev/null`) is killed after the timeout: no opinion, no hang.
    const silent = new SourceAnalyzerProcess(['tail', '-f', '/dev/null'], 300);
    const t0 = Date.now();
    expect(await silent.ask(FRENCH_CALLED_FOREIGN)).toEqual(FRENCH_CALLED_FOREIGN.map(() => false));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    const silentPid = (silent as unknown as { child: { pid: number } }).child.pid;
    await new Promise((r) => setTimeout(r, 100));
    expect(spawnSync('kill', ['-0', String(silentPid)]).status).not.toBe(0); // killed
    expect(await silent.ask(['Encore une phrase.'])).toEqual([false]);
  });

  test('closed, the process exits once it has answered what it was asked', async () => {
    const own = startSourceAnalyzer('fr')!;
    const pending = own.ask(FRENCH_CALLED_FOREIGN);
    own.close();
    expect(await pending).toEqual(FRENCH_CALLED_FOREIGN.map(() => true));
    const pid = (own as unknown as { child: { pid: number } }).child.pid;
    await new Promise((r) => setTimeout(r, 200));
    expect(spawnSync('kill', ['-0', String(pid)]).status).not.toBe(0); // gone
  });

  test('no mode installed for the source language, or its dictionary missing: no opinion', () => {
    expect(startSourceAnalyzer('fr', join(dir, 'none'))).toBeUndefined();
    expect(startSourceAnalyzer('de')).toBeUndefined();
    const modes = join(dir, 'modes');
    mkdirSync(modes, { recursive: true });
    writeFileSync(join(modes, 'fr-es.mode'), "lt-proc '/nonexistent/fr-es.automorf.bin' | apertium-tagger -g '/x.prob'\n");
    expect(analyzerCommand('fr', modes)).toBeUndefined();
  });
});

describe('knownWordsSay', () => {
  test('counts lowercase words only: names and capitals say nothing', () => {
    expect(knownWordsSay('^Ali/*Ali$ ^Gedi/*Gedi$ ^est/être<vbser>$ ^sorti/sortir<vblex>$ ^indemne/indemne<adj>$')).toBe(true);
    expect(knownWordsSay('^IV/*IV$ ^LA/le<det>$ ^DISCUSIÓN/*DISCUSIÓN$ ^DEL/*DEL$')).toBe(false); // no lowercase word
    expect(knownWordsSay('^sorti/sortir<vblex>$')).toBe(false); // one word says nothing
    expect(knownWordsSay('^est/être<vbser>$ ^sorti/sortir<vblex>$')).toBe(true); // two, both known ("Premier paragraphe. Deuxième phrase.")
    expect(knownWordsSay('^est/être<vbser>$ ^párrafo/*párrafo$')).toBe(false);
  });
  test('at most 10 % of them unknown', () => {
    const known = (n: number) => Array.from({ length: n }, () => '^mot/mot<n>$').join(' ');
    expect(knownWordsSay(`${known(9)} ^xyz/*xyz$`)).toBe(true); // 1 in 10
    expect(knownWordsSay(`${known(8)} ^xyz/*xyz$`)).toBe(false); // 1 in 9
    expect(knownWordsSay('^a\\/b/*a\\/b$ ^mot/mot<n>$ ^mot/mot<n>$ ^mot/mot<n>$')).toBe(false); // an escaped slash is part of the word
  });
});

describe('what a French paragraph that franc calls foreign is judged on', () => {
  const analyzer = startSourceAnalyzer('fr');
  afterAll(() => analyzer?.close());
  const article = (texts: string[]) => ingestArticle({ file: 'a.txt', namespace: 'a', sourceHash: 'x', sourceLang: 'fr', text: `Titre\n\n${texts.join('\n\n')}\n` });

  test('a French sentence quoting another language is French; a quotation alone, or an English paragraph, is not; a list of names is the source language', async () => {
    const texts = [
      'Il a déclaré en anglais : « We will never give up. »',
      '« We will never give up », a-t-il lancé.',
      'Premier paragraphe. Deuxième phrase.',
      'Kiev, Moscou, Berlin, Washington.',
      'Vladimir Poutine, Volodymyr Zelensky, Olaf Scholz.',
      '« We shall fight on the beaches, we shall fight on the landing grounds. »',
      'The president said that the war would end soon, according to sources in Washington.',
    ];
    const a = article(texts);
    await secondOpinionOn(a, new Map(), (t) => analyzer!.ask(t));
    expect(a.paragraphs.map((p) => p.text)).toEqual(texts);
    expect(a.paragraphs.map((p) => p.lang)).toEqual(['fr', 'fr', 'fr', 'fr', 'fr', 'en', 'en']);
  });
});

describe('ingestArticle with the analyzer', () => {
  test('franc\'s foreign paragraphs are asked about once, together; known paragraphs are not asked again', async () => {
    const asked: string[][] = [];
    const real = startSourceAnalyzer('fr')!;
    const ask = (texts: readonly string[]) => (asked.push([...texts]), real.ask(texts));
    const text = `Titre\n\n${FRENCH_CALLED_FOREIGN[0]}\n\nLe président a parlé hier devant les journalistes réunis à Paris.\n\nThe president said yesterday that the talks would continue next week in Geneva.`;
    const a = ingestArticle({ text, file: 'a.txt', namespace: 'a', sourceHash: 'h', sourceLang: 'fr' });
    expect(a.paragraphs[0]!.lang).not.toBe('fr'); // franc's verdict
    await secondOpinionOn(a, new Map(), ask);
    expect(a.paragraphs.map((p) => [p.lang, p.langConfidence])).toEqual([['fr', 1], ['fr', 1], ['en', 1]]);
    expect(asked).toEqual([[FRENCH_CALLED_FOREIGN[0], 'The president said yesterday that the talks would continue next week in Geneva.']]);
    const detected = new Map(a.paragraphs.map((p) => [p.text, { lang: p.lang, langConfidence: p.langConfidence }]));
    const again = ingestArticle({ text, file: 'a.txt', namespace: 'a', sourceHash: 'h', sourceLang: 'fr', detected });
    await secondOpinionOn(again, detected, ask);
    expect(again.paragraphs).toEqual(a.paragraphs);
    expect(asked).toHaveLength(1);
    real.close();
  });
});
