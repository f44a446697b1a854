/**
 * Real Apertium, no mocks. The reference is always the `apertium` wrapper script run on a file
 * (it cannot read a piped stdin from Node), compared byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ApertiumEngine, stripMarks } from '../../pipeline/engines/apertium.js';
import { ApertiumPipeline, deformat, reformat } from '../../pipeline/engines/apertium-process.js';
import { RelaisError } from '../../pipeline/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'relais-apertium-'));
let fileNo = 0;
function tempFile(text: string): string {
  const file = join(dir, `in-${fileNo++}.txt`);
  writeFileSync(file, text);
  return file;
}
/** `apertium <mode> FILE`, marks kept (the wrapper's default). */
function wrapper(mode: string, text: string): string {
  return execFileSync('apertium', [mode, tempFile(text)], { encoding: 'utf8' });
}

const seedParagraphs = readFileSync(new URL('../../seeds/haut-diplomate-americain.fr.txt', import.meta.url), 'utf8')
  .split(/\n\s*\n/)
  .map((p) => p.trim())
  .filter((p) => p !== '');

const NASTY: Array<[string, string]> = [
  ['stream syntax', '[brackets] ^caret$ back\\slash <tag> @at {brace} / slash ~tilde'],
  ['tabs', 'Le chat\tdort.\t\tLe chien\t'],
  ['several lines', 'Première ligne.\nDeuxième ligne\n\nTroisième.\n'],
  ['CRLF', 'Une ligne.\r\nUne autre.\r\n\r\nFin'],
  ['emoji', 'Le chat 😀 dort 🇫🇷 bien.'],
  ['empty', ''],
  ['only spaces', '   '],
  ['double spaces and tildes', 'Le  chat ~ dort~bien.  '],
  ['superblank-looking text', 'a.[] [\n] .[] \\[x\\]'],
];

const pipelines: ApertiumPipeline[] = [];
function pipeline(mode: string, options: ConstructorParameters<typeof ApertiumPipeline>[1] = {}): ApertiumPipeline {
  const p = new ApertiumPipeline(mode, options);
  pipelines.push(p);
  return p;
}
const engine = new ApertiumEngine();

afterAll(async () => {
  await Promise.all([...pipelines.map((p) => p.close()), engine.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('deformat / reformat (apertium-destxt / apertium-retxt)', () => {
  test.each(NASTY)('%s: same stream as apertium-destxt, and back to the same text', (_name, text) => {
    const stream = deformat(text);
    expect(stream).toBe(execFileSync('apertium-destxt', [tempFile(text)], { encoding: 'utf8' }));
    expect(reformat(stream)).toBe(text);
    expect(reformat(stream)).toBe(execFileSync('apertium-retxt', { input: stream, encoding: 'utf8' }));
  });

  test('NUL cannot end a block early', () => {
    expect(deformat('a\0b')).toBe('ab.[]');
  });
});

describe('ApertiumPipeline', () => {
  test.each(NASTY)('%s: byte-identical to `apertium fr-es FILE`', async (_name, text) => {
    expect(await pipeline('fr-es').translate(text)).toBe(wrapper('fr-es', text));
  });

  test(`every seed paragraph (${seedParagraphs.length}) is byte-identical to \`apertium fr-es FILE\``, async () => {
    const p = pipeline('fr-es');
    const got = await Promise.all(seedParagraphs.map((t) => p.translate(t)));
    expect(got).toEqual(seedParagraphs.map((t) => wrapper('fr-es', t)));
  });

  test('fr→en chain equals `apertium fr-es` then `apertium spa-eng` on every seed paragraph', async () => {
    const frEs = pipeline('fr-es');
    const spaEng = pipeline('spa-eng');
    const got = await Promise.all(seedParagraphs.map(async (t) => spaEng.translate(await frEs.translate(t))));
    expect(got).toEqual(seedParagraphs.map((t) => wrapper('spa-eng', wrapper('fr-es', t))));
  });

  test('500 blocks in flight come back in order', async () => {
    const p = pipeline('fr-es', { maxInFlight: 500 });
    const texts = Array.from({ length: 500 }, (_, i) => `Le numéro ${i} est rouge.`);
    const got = await Promise.all(texts.map((t) => p.translate(t)));
    expect(got).toEqual(texts.map((_, i) => `El número ${i} es rojo.`));
    expect(p.blocksSent).toBe(500);
  });

  test('blocks go into the chain in batches (one write each), in order, and a lone request is not held back', async () => {
    const p = pipeline('fr-es'); // 64 in flight: refilled 16 at a time
    const texts = Array.from({ length: 320 }, (_, i) => `La maison ${i} est grande.`);
    const got = await Promise.all(texts.map((t) => p.translate(t)));
    expect(got).toEqual(texts.map((_, i) => `La casa ${i} es grande.`));
    expect(p.stats.blocksSent).toBe(320);
    // 64 at first, then 16 at a time: (320 − 64) / 16 = 16 more.
    expect(p.stats.batchesSent).toBeLessThanOrEqual(1 + 16 + 2);
    // Alone, a request is sent at once (not kept for a batch that never fills).
    const before = p.stats.batchesSent;
    expect(await p.translate('Oui.')).toBe('Sí.');
    expect(p.stats.batchesSent).toBe(before + 1);
  });

  test('the child killed in the middle of a batch: every request still resolves correctly', async () => {
    const p = pipeline('fr-es');
    const texts = Array.from({ length: 300 }, (_, i) => `Le chat ${i} dort dans la maison.`);
    const pending = texts.map((t) => p.translate(t));
    await pending[10]; // the child is running and has answered part of the batch
    const pid = p.pid!;
    process.kill(-pid, 'SIGKILL');
    const got = await Promise.all(pending);
    expect(got).toEqual(texts.map((_, i) => `El gato ${i} duerme en la casa.`));
    expect(p.restarts).toBe(1);
    expect(p.pid).not.toBe(pid);
    expect(p.blocksSent).toBeGreaterThan(300); // the blocks in flight were sent again
  });

  test('a pipeline that always dies rejects with ENGINE_FAILED naming the mode and its stderr', async () => {
    const modesDir = join(dir, 'modes');
    mkdirSync(modesDir, { recursive: true });
    writeFileSync(join(modesDir, 'broken.mode'), "lt-proc '/nonexistent/broken.automorf.bin' | lt-proc $1 '/nonexistent/x.bin'\n");
    const p = pipeline('broken', { modesDir });
    const err = await p.translate('Bonjour.').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelaisError);
    expect((err as RelaisError).code).toBe('ENGINE_FAILED');
    expect((err as RelaisError).message).toMatch(/broken/);
    expect((err as RelaisError).message).toMatch(/nonexistent/);
    expect(p.restarts).toBe(3);
  });

  test('close() is safe twice and later requests are refused', async () => {
    const p = pipeline('fr-es');
    expect(await p.translate('Oui.')).toBe('Sí.');
    await Promise.all([p.close(), p.close()]);
    await expect(p.translate('Non.')).rejects.toThrow(/closed/);
  });

  test('close() when idle ends the chain at once: its programs exit while the caller goes on with synchronous work', async () => {
    // A run closes the engine after its last translation, then saves its artifacts synchronously for
    // ~0.4 s; fra-cat's programs need ~0.2 s to exit. They must not wait for the event loop to start.
    const p = pipeline('fra-cat');
    expect(await p.translate('Oui.')).toBe('Sí.');
    const pids = p.pids;
    expect(pids.length).toBe(3); // before the tagger, the tagger's shell, after it
    const closed = p.close();
    /** Exited and not reaped yet (Node reaps only when its event loop runs): zombie. */
    const state = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const until = Date.now() + 10_000;
    while (pids.some((pid) => state(pid) !== 'Z') && Date.now() < until) Atomics.wait(pause, 0, 0, 10); // synchronous: no event loop
    expect(pids.map(state)).toEqual(pids.map(() => 'Z'));
    await closed;
  });

  test('an aborted request rejects; the others still get their own answers', async () => {
    const p = pipeline('fr-es');
    const ac = new AbortController();
    const a = p.translate('Le chat.');
    const b = p.translate('Le chien.', ac.signal);
    const c = p.translate('La maison.');
    ac.abort(new Error('stop'));
    await expect(b).rejects.toThrow('stop');
    expect([await a, await c]).toEqual(['El gato.', 'La casa.']);
  });

  test.each([
    ['fr-es', 'apertium-fr-es'],
    ['fra-cat', 'apertium-fra-cat'],
    ['spa-eng', 'apertium-eng-spa'],
    ['fr-eo', 'apertium-eo-fr'],
    ['fra-oci', 'apertium-oci-fra'],
  ])('missing mode %s → ENGINE_MISSING with `%s` in the hint', (mode, pkg) => {
    let err: unknown;
    try {
      new ApertiumPipeline(mode, { modesDir: join(dir, 'no-modes-here') });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RelaisError);
    expect((err as RelaisError).code).toBe('ENGINE_MISSING');
    expect((err as RelaisError).message).toContain(mode);
    expect((err as RelaisError).hint).toContain(`apt-get install apertium ${pkg}`);
  });
});

describe('ApertiumEngine', () => {
  test('info.version names the engine build and the language data', () => {
    expect(engine.info.id).toBe('apertium');
    expect(engine.info.version).toMatch(/(^|;)apertium=3\./);
    expect(engine.info.version).toMatch(/apertium-fr-es=\d/);
    expect(engine.info.version).toMatch(/apertium-eng-spa=\d/);
  });

  test.each([
    ['fr', 'es', true],
    ['fr', 'ca', true],
    ['fr', 'eo', true],
    ['fr', 'oc', true],
    ['fr', 'en', true],
    ['fr', 'en-GB', true],
    ['fr', 'de', false],
    // Back to French, for the review's round-trip risk (pipeline/review/round-trip.ts).
    ['es', 'fr', true],
    ['ca', 'fr', true],
    ['oc', 'fr', true],
    ['en', 'fr', true],
    ['eo', 'fr', false], // apertium-eo-fr ships fr→eo only
    ['de', 'fr', false],
  ])('supports(%s, %s) = %s', (s, t, ok) => {
    expect(engine.supports(s, t)).toBe(ok);
  });

  test('pivotOf: en goes through es, the others are direct', () => {
    expect(engine.pivotOf('fr', 'en')).toBe('es');
    expect(engine.pivotOf('fr', 'es')).toBeUndefined();
  });

  test('unknown words are reported with their marks and removed from the text', async () => {
    const [r] = await engine.translate('fr', 'es', [{ id: 's1', text: 'Antony Blinken exclut les pourparlers.' }]);
    expect(r!.id).toBe('s1');
    expect(r!.text).toBe('Antony Blinken excluye los pourparlers.');
    expect(r!.unknownWords).toEqual([
      { word: 'Antony', mark: '*', stage: 'fr-es' },
      { word: 'Blinken', mark: '*', stage: 'fr-es' },
      { word: 'pourparlers', mark: '*', stage: 'fr-es' },
    ]);
    expect(r!.pivots).toBeUndefined();
  });

  test('fr→en: marks of both hops, clean Spanish pivot reusable for the second hop', async () => {
    const seg = { id: 'p', text: 'Antony Blinken exclut les pourparlers.' };
    const [en] = await engine.translate('fr', 'en', [seg]);
    const [es] = await engine.translate('fr', 'es', [seg]);
    expect(en!.pivots).toEqual({ es: es!.text });
    expect(en!.text).not.toMatch(/[*#@]/);
    expect(en!.unknownWords).toEqual(
      expect.arrayContaining([
        { word: 'Blinken', mark: '*', stage: 'fr-es' },
        { word: 'Blinken', mark: '*', stage: 'spa-eng' },
        { word: 'pourparlers', mark: '*', stage: 'spa-eng' },
      ]),
    );
    const [fromPivot] = await engine.translateFromPivot('es', 'en', [{ id: 'p', text: es!.text }]);
    expect(fromPivot!.text).toBe(en!.text);
    expect(fromPivot!.unknownWords).toEqual(en!.unknownWords.filter((w) => w.stage === 'spa-eng'));
    // One pipeline per mode, shared by both requests.
    expect([...engine.pipelinesByMode().keys()].sort()).toEqual(['fr-es', 'spa-eng']);
  });

  test('fr→en of the seed equals the two wrapper hops with marks removed between them', async () => {
    const segs = seedParagraphs.slice(0, 6).map((text, i) => ({ id: String(i), text }));
    const got = await engine.translate('fr', 'en', segs);
    got.forEach((r, i) => {
      const es = stripMarks(wrapper('fr-es', segs[i]!.text), segs[i]!.text, 'fr-es').clean;
      expect(r.pivots!.es).toBe(es);
      expect(r.text).toBe(stripMarks(wrapper('spa-eng', es), es, 'spa-eng').clean);
    });
  });

  test('warm starts the chain of every mode a target goes through, sends nothing, and the first block is answered as usual', async () => {
    const warm = new ApertiumEngine();
    try {
      warm.warm('fr', ['en', 'ca', 'xx']);
      const modes = warm.pipelinesByMode();
      expect([...modes.keys()].sort()).toEqual(['fr-es', 'fra-cat', 'spa-eng']);
      for (const p of modes.values()) {
        expect(p.pids.length).toBeGreaterThan(0);
        expect(p.blocksSent).toBe(0);
      }
      const [r] = await warm.translate('fr', 'en', [{ id: 'w', text: 'La paix est proche.' }]);
      expect(r!.text).toBe((await engine.translate('fr', 'en', [{ id: 'w', text: 'La paix est proche.' }]))[0]!.text);
    } finally {
      await warm.close();
    }
    expect([...warm.pipelinesByMode().values()]).toEqual([]);
    warm.warm('fr', ['es']); // closed: nothing starts
    expect(warm.pipelinesByMode().size).toBe(0);
  });

  test('times and tokens Apertium splits after a number come back without its mark ("14h30", "4x4")', async () => {
    for (const lang of ['en', 'es', 'ca']) {
      const [r] = await engine.translate('fr', lang, [{ id: 't', text: 'Appelez avant 14h30. Le 4x4 part à 9h, de 8h à 18h, 20h15.' }]);
      expect(r!.text).not.toMatch(/\d[*#@]/u);
      expect(r!.text).toMatch(/14h30/u);
    }
  });

  test('marks that were in the source (hashtag, handle, e-mail) are kept', async () => {
    const text = 'Écrivez à contact@exemple.fr ou à @Blinken avec #paix.';
    const [r] = await engine.translate('fr', 'es', [{ id: 'x', text }]);
    expect(r!.text).toContain('@Blinken');
    expect(r!.text).toContain('#paz'); // translated, its # kept
    expect(r!.text).toContain('contact@exemple.fr');
    expect(r!.unknownWords).toEqual([{ word: 'Blinken', mark: '*', stage: 'fr-es' }]);
  });

  test.each([
    ['*Blinken', 'Blinken', '', [{ word: 'Blinken', mark: '*', stage: 's' }]],
    ['**Blinken dijo', 'Blinken dijo', '', [{ word: 'Blinken', mark: '*', stage: 's' }]],
    ['#tentante y @obus', 'tentante y obus', '', [{ word: 'tentante', mark: '#', stage: 's' }, { word: 'obus', mark: '@', stage: 's' }]],
    ['a@b.es #paz', 'a@b.es #paz', 'a@b.fr #paz', []],
    ['@*Blinken', '@Blinken', '@Blinken', [{ word: 'Blinken', mark: '*', stage: 's' }]],
    ['con #paz', 'con #paz', 'avec #paix', []],
    ['#tentar y paz', 'tentar y paz', 'tentante et paix', [{ word: 'tentar', mark: '#', stage: 's' }]],
    ['@Blinken con #*Blinken', '@Blinken con #Blinken', '@Blinken avec #Blinken', [{ word: 'Blinken', mark: '*', stage: 's' }]],
    // A number, then the unknown rest of the token: "14h30", "4x4".
    ['a las 14*h30 en el 4*x4', 'a las 14h30 en el 4x4', 'à 14h30 dans le 4x4', [{ word: 'h30', mark: '*', stage: 's' }, { word: 'x4', mark: '*', stage: 's' }]],
    // The source's own "2*3" stays.
    ['2*3 = 6', '2*3 = 6', '2*3 = 6', []],
  ])('stripMarks(%j)', (output, clean, input, unknown) => {
    expect(stripMarks(output, input, 's')).toEqual({ clean, unknown });
  });

  test('unsupported route → LANGUAGE_UNSUPPORTED', async () => {
    await expect(engine.translate('fr', 'de', [{ id: 'a', text: 'x' }])).rejects.toMatchObject({ code: 'LANGUAGE_UNSUPPORTED' });
  });
});
