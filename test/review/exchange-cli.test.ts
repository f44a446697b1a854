/**
 * `relais export` / `relais import` through the compiled CLI on a real job: the files validate against
 * the official schemas, a round trip with no edits changes nothing, a CAT tool's edits come back as
 * decisions, and a bad unit refuses the whole import (or only itself with --apply-valid).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { DecisionStore } from '../../pipeline/review/decision-store.js';
import { runCli, scratchProject, SEED } from '../helpers/cli.js';
import { validateTmx } from '../helpers/xmllint.js';
import { validateXliff } from '../helpers/xmllint-xliff.js';

const NS = 'haut-diplomate-americain';
let dir: string;

const decisions = () => {
  const store = new DecisionStore(join(dir, 'job'));
  try {
    return [...store.decisions(NS, 'es').values()];
  } finally {
    store.close();
  }
};

beforeAll(() => {
  dir = scratchProject('relais-exchange-');
  const r = runCli(['run', SEED, '--to', 'es,ca', '--job', 'job', '--quiet'], dir);
  expect(r.code, r.stderr).toBe(0);
});

describe('relais export', () => {
  test('XLIFF 2.1 and TMX 1.4b validate against the official schemas', () => {
    const x = runCli(['export', '--format', 'xliff', '--lang', 'es', '--job', 'job', '-o', 'es.xlf'], dir);
    expect(x.code, x.stderr).toBe(0);
    expect(x.stderr).toBe('relais: wrote es.xlf\n');
    expect(validateXliff(join(dir, 'es.xlf'))).toEqual({ ok: true, output: '' });
    const xliff = readFileSync(join(dir, 'es.xlf'), 'utf8');
    expect(xliff).toMatch(/<xliff [^>]*version="2\.1"[^>]*srcLang="fr"[^>]*trgLang="es"/);
    expect((xliff.match(/<segment state="translated"/g) ?? []).length).toBe(15);

    const t = runCli(['export', '--format', 'tmx', '--lang', 'ca', '--job', 'job'], dir);
    expect(t.code, t.stderr).toBe(0);
    writeFileSync(join(dir, 'ca.tmx'), t.stdout);
    expect(validateTmx(join(dir, 'ca.tmx')).ok).toBe(true);
    expect((t.stdout.match(/<tu /g) ?? []).length).toBe(15);
  });

  test('TMX carries each unit\'s review state; --states and --article narrow the export (a memory of reviewed text only)', () => {
    const store = new DecisionStore(join(dir, 'job'));
    const segs = JSON.parse(readFileSync(join(dir, 'locales', 'fr', `${NS}.json`), 'utf8')) as Record<string, string>;
    const [first, second] = Object.keys(segs);
    const now = new Date().toISOString();
    store.save([
      { namespace: NS, lang: 'ca', segmentId: first!, state: 'approved', text: 'Text aprovat.', source: segs[first!]!, machine: 'x', updatedAt: now, by: 'ana' },
      { namespace: NS, lang: 'ca', segmentId: second!, state: 'rejected', text: 'y', source: segs[second!]!, machine: 'y', updatedAt: now, by: 'ana' },
    ]);
    store.close();
    const all = runCli(['export', '--format', 'TMX', '--lang', 'ca', '--job', 'job'], dir);
    expect(all.code, all.stderr).toBe(0);
    const states = [...all.stdout.matchAll(/<prop type="x-relais-state">([^<]+)<\/prop>/g)].map((m) => m[1]);
    expect(states).toHaveLength(15);
    expect(states.filter((x) => x === 'approved')).toHaveLength(1);
    expect(states.filter((x) => x === 'rejected')).toHaveLength(1);
    expect(states.filter((x) => x === 'machine')).toHaveLength(13);

    const reviewed = runCli(['export', '--format', 'tmx', '--lang', 'ca', '--job', 'job', '--article', NS, '--states', 'approved,edited'], dir);
    expect(reviewed.code, reviewed.stderr).toBe(0);
    writeFileSync(join(dir, 'reviewed.tmx'), reviewed.stdout);
    expect(validateTmx(join(dir, 'reviewed.tmx')).ok).toBe(true);
    expect((reviewed.stdout.match(/<tu /g) ?? []).length).toBe(1);
    expect(reviewed.stdout).toContain('<seg>Text aprovat.</seg>');

    expect(runCli(['export', '--lang', 'ca', '--job', 'job', '--article', 'nope'], dir).stderr).toMatch(/OPTION_INVALID the job has no article "nope"\n {2}→ Its articles: haut-diplomate-americain\./);
    expect(runCli(['export', '--lang', 'ca', '--job', 'job', '--states', 'approved,final'], dir).stderr).toMatch(/OPTION_INVALID --states: unknown state "final"\n {2}→ States: machine, edited, approved, rejected, needs-review\./);
    // Back to no decisions, for the other tests.
    const back = new DecisionStore(join(dir, 'job'));
    back.clear(NS, 'ca', first!);
    back.clear(NS, 'ca', second!);
    back.close();
  });

  test('an unknown language or format is a clear error', () => {
    const r = runCli(['export', '--lang', 'de', '--job', 'job'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LANGUAGE_UNSUPPORTED the job has no de translation \(its languages: es, ca\)/);
    expect(runCli(['export', '--lang', 'es', '--format', 'docx', '--job', 'job'], dir).stderr).toMatch(/OPTION_INVALID --format must be xliff or tmx/);
  });
});

describe('relais import', () => {
  test('a file with a regional language code (es-ES, as Trados and memoQ write it) is the job\'s es', () => {
    runCli(['export', '--lang', 'es', '--job', 'job', '-o', 'region.xlf'], dir);
    writeFileSync(join(dir, 'region.xlf'), readFileSync(join(dir, 'region.xlf'), 'utf8').replace('trgLang="es"', 'trgLang="es-ES"'));
    const r = runCli(['import', 'region.xlf', '--job', 'job'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^imported 0 decisions \(0 to update, 15 unchanged, 0 refused\)/);
    // A language the job does not have is refused, with the --lang that would take it.
    writeFileSync(join(dir, 'region.xlf'), readFileSync(join(dir, 'region.xlf'), 'utf8').replace('trgLang="es-ES"', 'trgLang="pt-BR"'));
    const other = runCli(['import', 'region.xlf', '--job', 'job'], dir);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/LANGUAGE_UNSUPPORTED the file is in pt-BR; the job has no pt-BR translation \(its languages: es, ca\).*--lang es or --lang ca/s);
  });

  test('a round trip with no edits changes nothing; edits come back as decisions', () => {
    runCli(['export', '--lang', 'es', '--job', 'job', '-o', 'roundtrip.xlf'], dir);
    const same = runCli(['import', 'roundtrip.xlf', '--job', 'job'], dir);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe('imported 0 decisions (0 to update, 15 unchanged, 0 refused)\n');
    expect(decisions()).toEqual([]);

    // As a CAT tool would: sign off the first unit, rewrite the second.
    let xliff = readFileSync(join(dir, 'roundtrip.xlf'), 'utf8');
    xliff = xliff.replace('<segment state="translated"', '<segment state="final"');
    const targets = [...xliff.matchAll(/<target>([^<]*)<\/target>/g)];
    xliff = xliff.replace(targets[1]![0], '<target>Texto revisado en OmegaT.</target>');
    writeFileSync(join(dir, 'reviewed.xlf'), xliff);
    const r = runCli(['import', 'reviewed.xlf', '--job', 'job'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('imported 2 decisions (2 to update, 13 unchanged, 0 refused)\n');
    const d = decisions();
    expect(d.map((x) => x.state).sort()).toEqual(['approved', 'edited']);
    expect(d.find((x) => x.state === 'edited')!.text).toBe('Texto revisado en OmegaT.');
    // Published with the next publish.
    expect(runCli(['publish', '--job', 'job'], dir).code).toBe(0);
    expect(Object.values(JSON.parse(readFileSync(join(dir, 'locales', 'es', `${NS}.json`), 'utf8')))).toContain('Texto revisado en OmegaT.');
  });

  test('a unit with an unknown id or another source refuses the import, listed by line; --apply-valid records the rest', () => {
    runCli(['export', '--lang', 'es', '--job', 'job', '-o', 'bad.xlf'], dir);
    let xliff = readFileSync(join(dir, 'bad.xlf'), 'utf8');
    const units = [...xliff.matchAll(/<unit id="([^"]+)"/g)];
    xliff = xliff.replace(`<unit id="${units[2]![1]}"`, '<unit id="s0000000000"');
    const sources = [...xliff.matchAll(/<source>([^<]*)<\/source>/g)];
    xliff = xliff.replace(sources[3]![0], '<source>Une autre phrase.</source>');
    const targets = [...xliff.matchAll(/<target>([^<]*)<\/target>/g)];
    xliff = xliff.replace(targets[5]![0], '<target>Cambio válido.</target>');
    writeFileSync(join(dir, 'bad.xlf'), xliff);
    const before = decisions();

    const r = runCli(['import', 'bad.xlf', '--job', 'job'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relais: error: bad\.xlf:\d+ IMPORT_UNKNOWN_ID /m);
    expect(r.stderr).toMatch(/^relais: error: bad\.xlf:\d+ IMPORT_SOURCE_CHANGED /m);
    expect(r.stdout).toMatch(/^nothing imported \(1 to update, \d+ unchanged, 2 refused\)/);
    expect(decisions()).toEqual(before);

    const partial = runCli(['import', 'bad.xlf', '--job', 'job', '--apply-valid'], dir);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toMatch(/^imported 1 decision \(1 to update/);
    expect(decisions().find((x) => x.text === 'Cambio válido.')).toMatchObject({ state: 'edited' });
  });
});

describe('relais import of a file from another job', () => {
  test('every unit is stale: nothing recorded, a few warnings and a count, exit 1 and what to do', () => {
    const other = runCli(['run', SEED, '--to', 'es', '--engine', 'pseudo', '--job', 'pseudo-job', '--locales', 'pseudo-locales', '--no-tm', '--quiet'], dir);
    expect(other.code, other.stderr).toBe(0);
    expect(runCli(['export', '--lang', 'es', '--job', 'pseudo-job', '-o', 'pseudo.xlf'], dir).code).toBe(0);
    const before = decisions();

    const r = runCli(['import', 'pseudo.xlf', '--job', 'job'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('imported 0 decisions (0 to update, 0 unchanged, 15 stale, 0 refused)\n');
    expect(r.stderr.match(/IMPORT_STALE unit "/g)).toHaveLength(5);
    expect(r.stderr).toContain('… and 10 more IMPORT_STALE');
    expect(r.stderr).toContain('Export the file again from this job (relais export)');
    expect(decisions()).toEqual(before);
  });
});

describe('relais export after an edit', () => {
  test('the QA notes are those of the text a reviewer would publish, as on the review page', () => {
    runCli(['export', '--lang', 'ca', '--job', 'job', '-o', 'ca-before.xlf'], dir);
    const before = readFileSync(join(dir, 'ca-before.xlf'), 'utf8');
    const unit = /<unit id="([^"]+)">(?:(?!<\/unit>)[\s\S])*?<target>([^<]*Moscou-Kíiv[^<]*)<\/target>/.exec(before)!;
    expect(unit, 'the title unit holds Moscou-Kíiv').not.toBeNull();
    writeFileSync(join(dir, 'ca-edit.xlf'), before.replace(`<target>${unit[2]}</target>`, `<target>${unit[2]!.replace('Moscou-Kíiv', 'Moscow-Kyiv')}</target>`));
    const r = runCli(['import', 'ca-edit.xlf', '--job', 'job'], dir);
    expect(r.code, r.stderr).toBe(0);

    const after = runCli(['export', '--lang', 'ca', '--job', 'job'], dir).stdout;
    const notes = new RegExp(`<unit id="${unit[1]}">[\\s\\S]*?</unit>`).exec(after)![0];
    expect(notes).toContain('<note category="relais:qa" appliesTo="target">TERM_UNVERIFIED: glossary: "Moscou" stays as it is in Catalan; "Moscow" is there instead</note>');
  });
});

describe('relais import of a UTF-16 file (Trados and some memoQ setups write TMX so)', () => {
  test('UTF-16 with its byte-order mark, declaring UTF-16, little or big endian: read as the UTF-8 file would be', () => {
    const tmx = runCli(['export', '--lang', 'ca', '--format', 'tmx', '--job', 'job'], dir).stdout.replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const le = Buffer.from(`\ufeff${tmx}`, 'utf16le');
    const be = Buffer.from(le).swap16();
    writeFileSync(join(dir, 'le.tmx'), le);
    writeFileSync(join(dir, 'be.tmx'), be);
    for (const f of ['le.tmx', 'be.tmx']) {
      const r = runCli(['import', f, '--job', 'job'], dir);
      expect([r.code, r.stderr], f).toEqual([0, '']);
      expect(r.stdout).toMatch(/^imported 0 decisions \(0 to update, 15 unchanged, 0 refused\)/);
    }
  });

  test('a file declaring ISO-8859-1 is read in it, an edit with accents comes in intact', () => {
    const xliff = runCli(['export', '--lang', 'es', '--job', 'job'], dir).stdout.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const targets = [...xliff.matchAll(/<target>([^<]*)<\/target>/g)];
    const edited = xliff.replace(targets[3]![0], '<target>Señal revisada: ñandú, acción.</target>');
    // What Latin-1 cannot hold (“ ”, ’) a CAT tool writes as character references.
    writeFileSync(join(dir, 'latin1.xlf'), Buffer.from(edited.replace(/[^\x00-\xff]/gu, (c) => `&#x${c.codePointAt(0)!.toString(16)};`), 'latin1'));
    const r = runCli(['import', 'latin1.xlf', '--job', 'job'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^imported 1 decision /);
    expect(decisions().map((d) => d.text)).toContain('Señal revisada: ñandú, acción.');
  });
});
