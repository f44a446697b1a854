import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { TranslatedSegment } from '../../pipeline/artifacts.js';
import { sha256, shortHash } from '../../pipeline/job/hash.js';
import { JobStore, type JobManifest } from '../../pipeline/job/job-store.js';
import { catchError } from '../helpers/catch-error.js';

function store(): JobStore {
  return new JobStore(join(mkdtempSync(join(tmpdir(), 'relais-job-')), 'job'));
}

function seg(n: number, extra: Partial<TranslatedSegment> = {}): TranslatedSegment {
  return {
    id: `id${n}`,
    source: `Phrase ${n} « à Moscou ».`,
    machine: `Sentence ${n} "in Moscow".`,
    target: `Sentence ${n} "in Moscow".`,
    termsApplied: [{ termId: 'Moscou', form: 'Moscow', strategy: 'engine' }],
    flags: [],
    unknownWords: [],
    cacheKey: `key-${n}`,
    ...extra,
  };
}

const line = (s: TranslatedSegment) => `${JSON.stringify(s)}\n`;


describe('hash', () => {
  test.for([
    { name: 'empty string', input: '', expected: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    { name: 'ascii', input: 'abc', expected: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
  ])('sha256 of $name', ({ input, expected }) => {
    expect(sha256(input)).toBe(expected);
    expect(sha256(Buffer.from(input))).toBe(expected);
    expect(shortHash(input)).toBe(expected.slice(0, 10));
  });

  test('a string is hashed as UTF-8', () => {
    expect(sha256('Moscou à l’Est')).toBe(sha256(Buffer.from('Moscou à l’Est', 'utf8')));
  });
});

describe('JobStore artifacts and input hashes', () => {
  test.for([
    { name: 'same input hash: hit', written: 'h1', asked: 'h1' as string | undefined, hit: true },
    { name: 'changed input hash: miss', written: 'h1', asked: 'h2', hit: false },
    { name: 'hash differing only in case: miss', written: 'abc', asked: 'ABC', hit: false },
    { name: 'empty hash asked against a real one: miss', written: 'h1', asked: '', hit: false },
    { name: 'no hash asked: the stored value whatever it was made from', written: 'h1', asked: undefined, hit: true },
  ])('$name', ({ written, asked, hit }) => {
    const s = store();
    const value = { kind: 'segment', segments: [{ id: 'a', text: 'Bonjour « toi »' }] };
    s.writeArtifact('article', 'segment.json', written, value);
    expect(s.readArtifact('article', 'segment.json', asked)).toEqual(hit ? value : undefined);
  });

  test('an artifact never written is a miss, with or without a hash', () => {
    const s = store();
    expect(s.readArtifact('article', 'segment.json', 'h1')).toBeUndefined();
    expect(s.readArtifact('article', 'segment.json')).toBeUndefined();
  });

  test('rewriting with a new input hash: the old hash misses, the new one hits', () => {
    const s = store();
    s.writeArtifact('article', 'translate/en.json', 'old', { v: 1 });
    s.writeArtifact('article', 'translate/en.json', 'new', { v: 2 });
    expect(s.readArtifact('article', 'translate/en.json', 'old')).toBeUndefined();
    expect(s.readArtifact('article', 'translate/en.json', 'new')).toEqual({ v: 2 });
    expect(JSON.parse(readFileSync(s.artifactPath('article', 'translate/en.json'), 'utf8'))).toEqual({ inputHash: 'new', value: { v: 2 } });
  });

  test('a stale artifact is known from its first bytes; one written by an older relais (indented) is still read whole', () => {
    const s = store();
    const [h1, h2] = [sha256('one'), sha256('two')];
    const path = s.artifactPath('article', 'segment.json');
    s.writeArtifact('article', 'segment.json', h1, { v: 1 });
    // The body after the hash is damaged: a stale hash misses without reading it, the right hash reads it and says so.
    writeFileSync(path, `{"inputHash":"${h1}","value":{"v": 1 …damaged`);
    expect(s.readArtifact('article', 'segment.json', h2)).toBeUndefined();
    expect(() => s.readArtifact('article', 'segment.json', h1)).toThrow(/JOB_CORRUPT|cannot read/);
    // Indented, as relais wrote artifacts before: same answers.
    writeFileSync(path, `${JSON.stringify({ inputHash: h1, value: { v: 1 } }, null, 2)}\n`);
    expect(s.readArtifact('article', 'segment.json', h1)).toEqual({ v: 1 });
    expect(s.readArtifact('article', 'segment.json', h2)).toBeUndefined();
  });

  test('a cache (written without fsync) reads like an artifact; damaged, it is a miss where an artifact is JOB_CORRUPT', () => {
    const s = store();
    s.writeCache('article', 'ingest-languages.json', 'rules', { 'Un paragraphe.': { lang: 'fr', langConfidence: 1 } });
    expect(s.readCache('article', 'ingest-languages.json', 'rules')).toEqual({ 'Un paragraphe.': { lang: 'fr', langConfidence: 1 } });
    expect(s.readCache('article', 'ingest-languages.json', 'other rules')).toBeUndefined();
    writeFileSync(s.artifactPath('article', 'ingest-languages.json'), '{"inputHash":"rules","value":{"Un par'); // torn by a power cut
    expect(s.readCache('article', 'ingest-languages.json', 'rules')).toBeUndefined();
    expect(catchError(() => s.readArtifact('article', 'ingest-languages.json', 'rules'))).toMatchObject({ code: 'JOB_CORRUPT' });
  });

  test('artifacts of different namespaces are independent', () => {
    const s = store();
    s.writeArtifact('a', 'ingest.json', 'h', { n: 'a' });
    s.writeArtifact('b', 'ingest.json', 'h', { n: 'b' });
    expect(s.readArtifact('a', 'ingest.json', 'h')).toEqual({ n: 'a' });
    expect(s.readArtifact('b', 'ingest.json', 'h')).toEqual({ n: 'b' });
    expect(s.namespaces()).toEqual(['a', 'b']);
  });

  test.for([
    { name: 'truncated JSON', content: '{"inputHash":"h1","value":{"a"' },
    { name: 'empty file', content: '' },
    { name: 'JSON null', content: 'null' },
    { name: 'a JSON array', content: '[1,2]' },
    { name: 'a string', content: '"h1"' },
  ])('a damaged artifact ($name) is JOB_CORRUPT naming the file', ({ content }) => {
    const s = store();
    const path = s.artifactPath('article', 'segment.json');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    for (const hash of ['h1', undefined]) {
      expect(catchError(() => s.readArtifact('article', 'segment.json', hash))).toMatchObject({ code: 'JOB_CORRUPT', place: { file: path } });
    }
  });

  test('manifest: missing is JOB_NOT_FOUND, then written and read back', () => {
    const s = store();
    expect(s.exists()).toBe(false);
    expect(catchError(() => s.readManifest())).toMatchObject({ code: 'JOB_NOT_FOUND' });
    const m: JobManifest = {
      kind: 'job',
      version: 1,
      sources: [{ file: 'seeds/a.fr.txt', namespace: 'a' }],
      sourceLang: 'fr',
      targets: ['en', 'es', 'ca'],
      engine: 'apertium',
      glossary: { file: 'glossary.yaml', hash: sha256('g') },
      updated: '2026-11-28T10:15:00.000Z',
    };
    s.writeManifest(m);
    expect(s.exists()).toBe(true);
    expect(s.readManifest()).toEqual(m);
  });
});

describe('JobStore journal', () => {
  const full = line(seg(1)) + line(seg(2));
  const third = line(seg(3));

  test.for([
    { name: 'no journal yet', content: undefined as string | Buffer | undefined, keys: [] as string[] },
    { name: 'an empty journal', content: '', keys: [] },
    { name: 'complete lines', content: full, keys: ['key-1', 'key-2'] },
    { name: 'blank lines are ignored', content: `\n${line(seg(1))}\n\n${line(seg(2))}\n`, keys: ['key-1', 'key-2'] },
    { name: 'torn after one character', content: full + third.slice(0, 1), keys: ['key-1', 'key-2'] },
    { name: 'torn in the middle', content: full + third.slice(0, third.length >> 1), keys: ['key-1', 'key-2'] },
    { name: 'torn just before the closing brace', content: full + third.slice(0, -2), keys: ['key-1', 'key-2'] },
    { name: 'torn inside a multi-byte character', content: Buffer.concat([Buffer.from(full), Buffer.from(third).subarray(0, Buffer.from(third).indexOf(Buffer.from('«')) + 1)]), keys: ['key-1', 'key-2'] },
    { name: 'torn line followed by a newline and blank lines', content: `${full}${third.slice(0, 20)}\n\n`, keys: ['key-1', 'key-2'] },
    { name: 'the only line is torn', content: third.slice(0, 30), keys: [] },
    { name: 'the same cache key twice: the later line wins', content: line(seg(1)) + line(seg(1, { target: 'second' })), keys: ['key-1'] },
  ])('$name', ({ content, keys }) => {
    const s = store();
    const path = s.journalPath('article', 'en');
    if (content !== undefined) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const got = s.readJournal('article', 'en');
    expect([...got.keys()]).toEqual(keys);
    if (keys.includes('key-2')) expect(got.get('key-2')).toEqual(seg(2));
  });

  test.for([
    { name: 'garbage in the middle', lines: [line(seg(1)), 'garbage\n', line(seg(2))], bad: 2 },
    { name: 'a torn line that is not the last', lines: [line(seg(1)), `${third.slice(0, 25)}\n`, line(seg(2))], bad: 2 },
    { name: 'two segments glued on one line', lines: [line(seg(1)).trimEnd() + line(seg(2)), line(seg(4))], bad: 1 },
    { name: 'JSON null in the middle', lines: ['null\n', line(seg(1))], bad: 1 },
    { name: 'damage on line 4 after blank lines', lines: [line(seg(1)), '\n', '\n', '{"id":\n', line(seg(2))], bad: 4 },
  ])('a damaged line that is not the last ($name) is JOB_CORRUPT at its line', ({ lines, bad }) => {
    const s = store();
    const path = s.journalPath('article', 'es');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, lines.join(''));
    expect(catchError(() => s.readJournal('article', 'es'))).toMatchObject({ code: 'JOB_CORRUPT', place: { file: path, line: bad } });
  });

  test('append then read: every segment, by cache key', () => {
    const s = store();
    s.appendJournal('article', 'ca', [seg(1), seg(2)]);
    s.appendJournal('article', 'ca', []);
    s.appendJournal('article', 'ca', [seg(3)]);
    expect([...s.readJournal('article', 'ca').values()]).toEqual([seg(1), seg(2), seg(3)]);
    expect(s.readJournal('article', 'en').size).toBe(0);
  });

  test('a run resumed after a killed writer appends after the torn line without losing or corrupting anything', () => {
    const s = store();
    s.appendJournal('article', 'en', [seg(1)]);
    appendFileSync(s.journalPath('article', 'en'), line(seg(2)).slice(0, 40)); // killed mid-write
    expect([...s.readJournal('article', 'en').keys()]).toEqual(['key-1']);
    // Resumed run: segment 2 again, then segment 3, then a third run reads the journal.
    s.appendJournal('article', 'en', [seg(2)]);
    expect([...s.readJournal('article', 'en').keys()]).toEqual(['key-1', 'key-2']);
    s.appendJournal('article', 'en', [seg(3)]);
    const got = s.readJournal('article', 'en');
    expect([...got.keys()]).toEqual(['key-1', 'key-2', 'key-3']);
    expect(got.get('key-2')).toEqual(seg(2));
  });

  test('a writer killed for real mid-line (SIGKILL) leaves a journal the next run can read and extend', async () => {
    const s = store();
    s.appendJournal('article', 'en', [seg(1)]);
    const path = s.journalPath('article', 'en');
    // A child writes the first half of a line, says so, and hangs until killed.
    const { spawn } = await import('node:child_process');
    const half = line(seg(2)).slice(0, 50);
    const child = spawn(process.execPath, ['-e', `require('fs').appendFileSync(${JSON.stringify(path)}, ${JSON.stringify(half)}); console.log('written'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res) => child.stdout!.once('data', () => res()));
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGKILL');
    await exited;
    expect(readFileSync(path, 'utf8').endsWith(half)).toBe(true);
    expect([...s.readJournal('article', 'en').keys()]).toEqual(['key-1']);
    s.appendJournal('article', 'en', [seg(2), seg(3)]);
    expect([...s.readJournal('article', 'en').keys()]).toEqual(['key-1', 'key-2', 'key-3']);
  });
});
