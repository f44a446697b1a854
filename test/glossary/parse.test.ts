import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RelaisError, RelaisErrors } from '../../pipeline/errors.js';
import { checkLanguageCode, parseGlossary, readGlossary } from '../../pipeline/glossary/parse.js';
import { findTermOccurrences } from '../../pipeline/glossary/match.js';
import { catchError } from '../helpers/catch-error.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILE = 'glossary.yaml';

/** A glossary whose terms start on line 4. */
const withTerms = (body: string) => `source: fr\nlanguages: [en, es, ca]\nterms:\n${body}`;

const SPEC_EXAMPLE = `source: fr
languages: [en, es, ca]          # default targets of \`relais run\`
terms:
  - fr: Moscou                   # a source form, or a list of variants that share the targets
    kind: place                  # person | place | organisation | other
    en: Moscow
    es: Moscú
    ca: Moscou
  - fr: [Kiev, Kyiv]
    kind: place
    en: Kyiv
  - fr: Antony Blinken
    kind: person                 # a language with no entry keeps the source form unchanged
`;

function parseOk(text: string) {
  const { glossary, errors } = parseGlossary(text, FILE);
  expect(errors.map((e) => e.format())).toEqual([]);
  return glossary!;
}

describe('parseGlossary: valid glossaries', () => {
  test('the spec example', () => {
    const g = parseOk(SPEC_EXAMPLE);
    expect(g).toMatchObject({ source: 'fr', languages: ['en', 'es', 'ca'], file: FILE });
    expect(g.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(g.terms).toEqual([
      { id: 'Moscou', forms: ['Moscou'], kind: 'place', targets: { en: { form: 'Moscow' }, es: { form: 'Moscú' }, ca: { form: 'Moscou' } }, place: { line: 4, column: 5 } },
      { id: 'Kiev', forms: ['Kiev', 'Kyiv'], kind: 'place', targets: { en: { form: 'Kyiv' } }, place: { line: 9, column: 5 } },
      { id: 'Antony Blinken', forms: ['Antony Blinken'], kind: 'person', targets: {}, place: { line: 12, column: 5 } },
    ]);
  });

  test('the extension: { form, article }, gender and number', () => {
    const g = parseOk(withTerms(`  - fr: États-Unis
    kind: place
    gender: m
    number: pl
    en: { form: United States, article: true }
    es:
      form: Estados Unidos
      article: false
    ca: { form: Estats Units }
`));
    expect(g.terms[0]).toMatchObject({
      id: 'États-Unis',
      gender: 'm',
      number: 'pl',
      targets: { en: { form: 'United States', article: true }, es: { form: 'Estados Unidos', article: false }, ca: { form: 'Estats Units' } },
    });
    expect(g.terms[0]!.targets.ca).not.toHaveProperty('article');
  });

  test.for([
    { name: 'source and languages may be omitted', text: 'terms: []\n', source: 'fr', languages: [] },
    { name: 'known BCP 47 codes with a region', text: 'languages: [en-GB, pt-BR, eo]\nterms:\n  - fr: Moscou\n    kind: place\n    en-US: Moscow\n    pt-PT: Moscovo\n', source: 'fr', languages: ['en-GB', 'pt-BR', 'eo'] },
  ])('$name', ({ text, source, languages }) => {
    expect(parseOk(text)).toMatchObject({ source, languages });
  });

  test('forms are stored NFC, trimmed, with whitespace collapsed', () => {
    const g = parseOk(withTerms('  - fr: "  E\u0301tats-Unis "\n    kind: place\n    en: "United\u00a0 States"\n'));
    expect(g.terms[0]!.forms).toEqual(['États-Unis']);
    expect(g.terms[0]!.targets.en!.form).toBe('United States');
  });

  test('case variants inside one term, or in two terms with the same targets, are fine', () => {
    parseOk(withTerms('  - fr: [OTAN, Otan]\n    kind: organisation\n    en: NATO\n  - fr: Nato\n    kind: organisation\n    en: NATO\n'));
  });

  test('aliases resolve to the node they name', () => {
    const g = parseOk(withTerms('  - fr: Moscou\n    kind: place\n    en: &m Moscow\n  - fr: Moskva\n    kind: place\n    en: *m\n'));
    expect(g.terms[1]!.targets.en).toEqual({ form: 'Moscow' });
  });

  describe('hash', () => {
    const base = parseOk(SPEC_EXAMPLE).hash;
    test.for([
      { name: 'comments and blank lines', text: `# a comment\n\n${SPEC_EXAMPLE.replace(/ +#.*$/gm, '')}\n\n`, same: true },
      { name: 'flow style instead of block style', text: SPEC_EXAMPLE.replace(/  - fr: Moscou.*\n.*\n.*\n.*\n.*\n/, '  - { fr: Moscou, kind: place, en: Moscow, es: Moscú, ca: Moscou }\n'), same: true },
      { name: 'key order inside a term', text: SPEC_EXAMPLE.replace('    en: Moscow\n    es: Moscú\n', '    es: Moscú\n    en: Moscow\n'), same: true },
      { name: 'a plain target written as { form }', text: SPEC_EXAMPLE.replace('en: Moscow', 'en: { form: Moscow }'), same: true },
      { name: 'a changed target', text: SPEC_EXAMPLE.replace('en: Moscow', 'en: Moskva'), same: false },
      { name: 'an article added', text: SPEC_EXAMPLE.replace('en: Moscow', 'en: { form: Moscow, article: false }'), same: false },
      { name: 'a changed kind', text: SPEC_EXAMPLE.replace('kind: person', 'kind: other'), same: false },
      { name: 'another language list', text: SPEC_EXAMPLE.replace('[en, es, ca]', '[en, es]'), same: false },
    ])('$name → same hash: $same', ({ text, same }) => {
      const h = parseOk(text).hash;
      if (same) expect(h).toBe(base);
      else expect(h).not.toBe(base);
    });

    test('the order of the terms does not change it', () => {
      const [head, ...rest] = SPEC_EXAMPLE.split('  - fr: ');
      const reordered = [head, ...rest.reverse().map((t) => (t.endsWith('\n') ? t : `${t}\n`))].join('  - fr: ');
      expect(parseOk(reordered).hash).toBe(base);
    });
  });
});

describe('a YAML slip: one error, on the line that is wrong, saying what the neighbours use', () => {
  test.for([
    ['one space too many', '  - fr: Moscou\n     en: Moscow\n    kind: place\n', 'Line 5 starts its key at column 6, line 4 at column 5: the keys of one term line up (YAML reads the indentation). Indent line 5 by 4 spaces.'],
    ['two spaces too few', '  - fr: Moscou\n  en: Moscow\n    kind: place\n', 'Line 5 starts its key at column 3, line 4 at column 5: the keys of one term line up (YAML reads the indentation). Indent line 5 by 4 spaces.'],
    ['one space too few', '  - fr: Moscou\n   kind: place\n', 'Line 5 starts its key at column 4, line 4 at column 5: the keys of one term line up (YAML reads the indentation). Indent line 5 by 4 spaces.'],
  ] as const)('%s', ([, terms, hint]) => {
    const out = parseGlossary(withTerms(terms), FILE);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ code: 'GLOSSARY_YAML_SYNTAX', hint });
  });
});

describe('parseGlossary: every problem, each with its place', () => {
  test.for([
    // YAML syntax
    { name: 'unclosed quote', text: withTerms('  - fr: "Moscou\n    kind: place\n'), errors: [{ code: 'GLOSSARY_YAML_SYNTAX', line: 6, column: 1 }] },
    { name: 'bad indentation', text: 'terms:\n  - fr: Moscou\n   kind: place\n', errors: [{ code: 'GLOSSARY_YAML_SYNTAX', line: 3, column: 1 }] },
    // shape
    { name: 'empty file', text: '', errors: [{ code: 'GLOSSARY_SHAPE', line: 1, column: 1 }] },
    { name: 'not a mapping', text: '- fr: Moscou\n', errors: [{ code: 'GLOSSARY_SHAPE', line: 1, column: 1 }] },
    { name: 'missing terms', text: 'source: fr\nlanguages: [en]\n', errors: [{ code: 'GLOSSARY_SHAPE', line: 1, column: 1 }] },
    { name: 'terms is not a list', text: 'source: fr\nterms: Moscou\n', errors: [{ code: 'GLOSSARY_SHAPE', line: 2, column: 8 }] },
    { name: 'languages is not a list', text: 'languages: en\nterms: []\n', errors: [{ code: 'GLOSSARY_SHAPE', line: 1, column: 12 }] },
    { name: 'a term that is not a mapping', text: withTerms('  - Moscou\n  - [Kiev]\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 4, column: 5 }, { code: 'GLOSSARY_SHAPE', line: 5, column: 5 }] },
    { name: 'kind not one of the four', text: withTerms('  - fr: Moscou\n    kind: city\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 5, column: 11 }] },
    { name: 'missing kind', text: withTerms('  - fr: Moscou\n    en: Moscow\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 4, column: 5 }] },
    { name: 'missing fr', text: withTerms('  - kind: place\n    en: Moscow\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 4, column: 5 }] },
    { name: 'fr as a number', text: withTerms('  - fr: 1984\n    kind: other\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 4, column: 9 }] },
    { name: 'fr as an empty list', text: withTerms('  - fr: []\n    kind: other\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 4, column: 9 }] },
    { name: 'a target that is a list', text: withTerms('  - fr: Kiev\n    kind: place\n    en: [Kyiv, Kiev]\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 6, column: 9 }] },
    { name: 'a target that is a boolean', text: withTerms('  - fr: Kiev\n    kind: place\n    en: true\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 6, column: 9 }] },
    { name: 'a target mapping without form', text: withTerms('  - fr: Kiev\n    kind: place\n    en: { article: false }\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 6, column: 9 }] },
    { name: 'an article on a person (it would do nothing)', text: withTerms('  - fr: Antony Blinken\n    kind: person\n    en: { form: Antony Blinken, article: true }\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 6, column: 5 }] },
    { name: 'article that is not a boolean', text: withTerms('  - fr: Kiev\n    kind: place\n    en: { form: Kyiv, article: yes }\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 6, column: 32 }] },
    { name: 'gender and number out of range', text: withTerms('  - fr: Russie\n    kind: place\n    gender: fem\n    number: 1\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 6, column: 13 }, { code: 'GLOSSARY_SHAPE', line: 7, column: 13 }] },
    { name: 'a non-language key given twice', text: withTerms('  - fr: Kiev\n    kind: place\n    kind: other\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 6, column: 5 }] },
    { name: 'the source as a target language', text: 'languages: [fr, en]\nterms: []\n', errors: [{ code: 'GLOSSARY_SHAPE', line: 1, column: 13 }] },
    // unknown keys
    { name: 'kindd', text: withTerms('  - fr: Moscou\n    kindd: place\n'), errors: [{ code: 'GLOSSARY_UNKNOWN_KEY', line: 5, column: 5 }, { code: 'GLOSSARY_SHAPE', line: 4, column: 5 }] },
    { name: 'an unknown top-level key', text: 'source: fr\nlanguage: [en]\nterms: []\n', errors: [{ code: 'GLOSSARY_UNKNOWN_KEY', line: 2, column: 1 }] },
    { name: 'an unknown key in a target mapping', text: withTerms('  - fr: Kiev\n    kind: place\n    en: { form: Kyiv, articel: false }\n'), errors: [{ code: 'GLOSSARY_UNKNOWN_KEY', line: 6, column: 23 }] },
    // duplicates
    { name: 'the same form in two terms', text: withTerms('  - fr: Moscou\n    kind: place\n  - fr: Moscou\n    kind: place\n'), errors: [{ code: 'GLOSSARY_DUPLICATE_TERM', line: 6, column: 9 }] },
    { name: 'twice in one list', text: withTerms('  - fr: [Kiev, Kyiv, Kiev]\n    kind: place\n'), errors: [{ code: 'GLOSSARY_DUPLICATE_TERM', line: 4, column: 22 }] },
    { name: 'a variant that equals another term', text: withTerms('  - fr: Kyiv\n    kind: place\n  - fr: [Kiev, Kyiv]\n    kind: place\n'), errors: [{ code: 'GLOSSARY_DUPLICATE_TERM', line: 6, column: 16 }] },
    { name: 'same after NFC and whitespace collapsing', text: withTerms('  - fr: États-Unis\n    kind: place\n  - fr: "E\u0301tats-Unis"\n    kind: place\n  - fr: "Antony Blinken"\n    kind: person\n  - fr: "Antony\u00a0 Blinken"\n    kind: person\n'), errors: [{ code: 'GLOSSARY_DUPLICATE_TERM', line: 6, column: 9 }, { code: 'GLOSSARY_DUPLICATE_TERM', line: 10, column: 9 }] },
    { name: 'same but for the apostrophe', text: withTerms("  - fr: l’Occident\n    kind: place\n  - fr: l'Occident\n    kind: place\n"), errors: [{ code: 'GLOSSARY_DUPLICATE_TERM', line: 6, column: 9 }] },
    // empty forms
    { name: 'empty fr', text: withTerms('  - fr: ""\n    kind: place\n'), errors: [{ code: 'GLOSSARY_EMPTY_FORM', line: 4, column: 9 }] },
    { name: 'whitespace-only fr', text: withTerms('  - fr: "  "\n    kind: place\n'), errors: [{ code: 'GLOSSARY_EMPTY_FORM', line: 4, column: 9 }] },
    { name: 'fr with no value', text: withTerms('  - fr:\n    kind: place\n'), errors: [{ code: 'GLOSSARY_EMPTY_FORM', line: 4, column: 5 }] },
    { name: 'a NUL in a target form (a "\\0" escape)', text: withTerms('  - fr: Moscou\n    kind: place\n    es: "Mos\\0cú"\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 6, column: 9 }] },
    { name: 'a control character in fr', text: withTerms('  - fr: "Mos\\x01cou"\n    kind: place\n'), errors: [{ code: 'GLOSSARY_SHAPE', line: 4, column: 9 }] },
    { name: 'an empty variant in a list', text: withTerms('  - fr: [Kiev, ""]\n    kind: place\n'), errors: [{ code: 'GLOSSARY_EMPTY_FORM', line: 4, column: 16 }] },
    { name: 'an empty target', text: withTerms('  - fr: Kiev\n    kind: place\n    en: " "\n    es:\n    ca: { form: "" }\n'), errors: [{ code: 'GLOSSARY_EMPTY_FORM', line: 6, column: 9 }, { code: 'GLOSSARY_EMPTY_FORM', line: 7, column: 5 }, { code: 'GLOSSARY_EMPTY_FORM', line: 8, column: 17 }] },
    // languages
    { name: 'en_US as a target key', text: withTerms('  - fr: Moscou\n    kind: place\n    en_US: Moscow\n'), errors: [{ code: 'GLOSSARY_UNKNOWN_LANGUAGE', line: 6, column: 5 }] },
    { name: 'xx as a target key', text: withTerms('  - fr: Moscou\n    kind: place\n    xx: Moscow\n'), errors: [{ code: 'GLOSSARY_UNKNOWN_LANGUAGE', line: 6, column: 5 }] },
    { name: 'EN as a target key', text: withTerms('  - fr: Moscou\n    kind: place\n    EN: Moscow\n'), errors: [{ code: 'GLOSSARY_UNKNOWN_LANGUAGE', line: 6, column: 5 }] },
    { name: 'bad codes in languages', text: 'languages: [en, en_US, xx, ../x]\nterms: []\n', errors: [{ code: 'GLOSSARY_UNKNOWN_LANGUAGE', line: 1, column: 17 }, { code: 'GLOSSARY_UNKNOWN_LANGUAGE', line: 1, column: 24 }, { code: 'GLOSSARY_UNKNOWN_LANGUAGE', line: 1, column: 28 }] },
    { name: 'a source other than fr', text: 'source: es\nterms: []\n', errors: [{ code: 'GLOSSARY_UNKNOWN_LANGUAGE', line: 1, column: 9 }] },
    { name: 'a source that is no code', text: 'source: French\nterms: []\n', errors: [{ code: 'GLOSSARY_UNKNOWN_LANGUAGE', line: 1, column: 9 }] },
    // conflicts
    { name: 'a language given twice', text: withTerms('  - fr: Kiev\n    kind: place\n    en: Kyiv\n    en: Kiev\n'), errors: [{ code: 'GLOSSARY_CONFLICTING_TARGETS', line: 7, column: 5 }] },
    { name: 'case variants in two terms with different targets', text: withTerms('  - fr: OTAN\n    kind: organisation\n    en: NATO\n  - fr: Otan\n    kind: organisation\n    en: Otan\n'), errors: [{ code: 'GLOSSARY_CONFLICTING_TARGETS', line: 7, column: 9 }] },
    { name: 'case variants: one explicit target, one kept source form', text: withTerms('  - fr: OTAN\n    kind: organisation\n    en: NATO\n  - fr: [Alliance, Otan]\n    kind: organisation\n'), errors: [{ code: 'GLOSSARY_CONFLICTING_TARGETS', line: 7, column: 20 }] },
    { name: 'case variants differing only by article', text: withTerms('  - fr: OTAN\n    kind: organisation\n    es: { form: OTAN, article: true }\n  - fr: Otan\n    kind: organisation\n    es: OTAN\n'), errors: [{ code: 'GLOSSARY_CONFLICTING_TARGETS', line: 7, column: 9 }] },
  ])('$name', ({ text, errors }) => {
    const out = parseGlossary(text, FILE);
    expect(out.glossary).toBeUndefined();
    expect(out.errors).toHaveLength(errors.length);
    for (const e of out.errors) expect(e).toBeInstanceOf(RelaisError);
    const sorted = [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
    sorted.forEach((want, i) => expect(out.errors[i]).toMatchObject({ code: want.code, place: { file: FILE, line: want.line, column: want.column } }));
  });

  test('all problems of a file at once, sorted by place', () => {
    const text = withTerms(`  - fr: Moscou
    kindd: place
  - fr: [Kiev, "  "]
    kind: place
    en_US: Kyiv
  - fr: Moscou
    kind: town
    en: { form: Moscow, article: maybe }
`);
    const { glossary, errors } = parseGlossary(text, FILE);
    expect(glossary).toBeUndefined();
    expect(errors.map((e) => [e.code, e.place?.line, e.place?.column])).toEqual([
      ['GLOSSARY_SHAPE', 4, 5], // term "Moscou" has no kind
      ['GLOSSARY_UNKNOWN_KEY', 5, 5],
      ['GLOSSARY_EMPTY_FORM', 6, 16],
      ['GLOSSARY_UNKNOWN_LANGUAGE', 8, 5],
      ['GLOSSARY_DUPLICATE_TERM', 9, 9],
      ['GLOSSARY_SHAPE', 10, 11],
      ['GLOSSARY_SHAPE', 11, 34],
    ]);
  });

  test('messages: duplicate cites the first definition, the shape editors understand', () => {
    const { errors } = parseGlossary(withTerms('  - fr: Moscou\n    kind: place\n  - fr: Kiev\n    kind: place\n  - fr: [Moskva, Moscou]\n    kind: place\n'), FILE);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.format().split('\n')[0]).toBe('glossary.yaml:8:18 GLOSSARY_DUPLICATE_TERM "Moscou" is already defined at 4:9');
  });

  test.for([
    { name: 'kindd suggests kind', text: withTerms('  - fr: Moscou\n    kind: place\n    kindd: place\n'), hint: 'Did you mean "kind"?' },
    { name: 'en_US suggests en-US', text: withTerms('  - fr: Moscou\n    kind: place\n    en_US: Moscow\n'), hint: '"en-US"' },
    { name: 'source: es says French only', text: 'source: es\nterms: []\n', hint: 'source: fr' },
    { name: 'OTAN/Otan suggests variants', text: withTerms('  - fr: OTAN\n    kind: organisation\n    en: NATO\n  - fr: Otan\n    kind: organisation\n'), hint: 'fr: [OTAN, Otan]' },
  ])('hint: $name', ({ text, hint }) => {
    const { errors } = parseGlossary(text, FILE);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.hint).toContain(hint);
  });
});

describe('checkLanguageCode', () => {
  test.for([
    { code: 'en', ok: true },
    { code: 'pt-BR', ok: true },
    { code: 'en-GB', ok: true },
    { code: 'en_US', ok: false, hint: 'Did you mean "en-US"?' },
    { code: 'pt-br', ok: false, hint: 'Did you mean "pt-BR"?' },
    { code: 'xx', ok: false, hint: 'Known languages:' },
    { code: '../x', ok: false, hint: 'BCP 47' },
    { code: '', ok: false, hint: 'BCP 47' },
  ])('$code', ({ code, ok, hint }) => {
    const r = checkLanguageCode(code);
    if (ok) expect(r).toBeUndefined();
    else expect(r?.hint).toContain(hint);
  });
});

describe('readGlossary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relais-glossary-'));

  test('a missing file is GLOSSARY_NOT_FOUND with a hint', () => {
    const path = join(dir, 'nope.yaml');
    expect(() => readGlossary(path)).toThrow(expect.objectContaining({ code: 'GLOSSARY_NOT_FOUND', place: { file: path }, hint: expect.stringContaining('--glossary') }));
  });

  test('a directory is GLOSSARY_NOT_FOUND', () => {
    expect(() => readGlossary(dir)).toThrow(expect.objectContaining({ code: 'GLOSSARY_NOT_FOUND' }));
  });

  test('problems are thrown together as RelaisErrors with a summary', () => {
    const path = join(dir, 'glossary.yaml');
    writeFileSync(path, withTerms('  - fr: Moscou\n    kindd: place\n  - fr: Moscou\n    kind: place\n'));
    try {
      readGlossary(path);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RelaisErrors);
      const err = e as RelaisErrors;
      expect(err.message).toBe(`${path} has 3 problems`);
      expect(err.errors.map((x) => x.code)).toEqual(['GLOSSARY_SHAPE', 'GLOSSARY_UNKNOWN_KEY', 'GLOSSARY_DUPLICATE_TERM']);
      expect(err.format()).toContain(`${path}:6:9 GLOSSARY_DUPLICATE_TERM "Moscou" is already defined at 4:9`);
    }
  });

  test('a file that is not UTF-8', () => {
    const path = join(dir, 'latin1.yaml');
    writeFileSync(path, Buffer.from([...Buffer.from('terms:\n  - fr: Moscou\n    kind: place\n    es: Mosc'), 0xfa, 0x0a]));
    expect(() => readGlossary(path)).toThrow(expect.objectContaining({ message: `${path} has 1 problem` }));
    // The bad byte's place, and a conversion that writes next to the file, not over it.
    const err = (catchError(() => readGlossary(path)) as RelaisErrors).errors[0]!;
    expect(err).toMatchObject({ code: 'GLOSSARY_YAML_SYNTAX', place: { file: path, line: 4, column: 13, offset: 50 } });
    expect(err.message).toBe('the file is not valid UTF-8 (byte 0xfa at byte offset 50)');
    expect(err.hint).toContain(`iconv -f WINDOWS-1252 -t UTF-8 '${path}' > '${join(dir, 'latin1.utf8.yaml')}'`);
  });

  test('a UTF-16 file says so', () => {
    const path = join(dir, 'utf16.yaml');
    writeFileSync(path, Buffer.from(`\ufeff${SPEC_EXAMPLE}`, 'utf16le'));
    expect(() => readGlossary(path)).toThrow(expect.objectContaining({
      errors: [expect.objectContaining({ code: 'GLOSSARY_YAML_SYNTAX', message: expect.stringContaining('UTF-16'), hint: expect.stringContaining('iconv -f UTF-16 -t UTF-8') })],
    }));
  });

  test('a BOM is accepted', () => {
    const path = join(dir, 'bom.yaml');
    writeFileSync(path, `\ufeff${SPEC_EXAMPLE}`);
    expect(readGlossary(path).terms).toHaveLength(3);
  });
});

describe('the real glossary.yaml', () => {
  const text = readFileSync(join(ROOT, 'glossary.yaml'), 'utf8');
  const seed = readFileSync(join(ROOT, 'seeds', 'haut-diplomate-americain.fr.txt'), 'utf8');
  const { glossary, errors } = parseGlossary(text, 'glossary.yaml');

  test('parses with no problem, and readGlossary agrees', () => {
    expect(errors.map((e) => e.format())).toEqual([]);
    expect(glossary).toMatchObject({ source: 'fr', languages: ['en', 'es', 'ca'] });
    expect(readGlossary(join(ROOT, 'glossary.yaml')).hash).toBe(glossary!.hash);
  });

  const NAMES = [
    'Antony Blinken', 'Blinken', 'Moscou', 'Kiev', 'Russie', 'Ukraine', 'Allemagne', 'Fédération de Russie', 'OTAN',
    'États-Unis', 'Donbass', 'Volodymyr Zelensky', 'Occident', 'TASS', 'NASAMS', 'Biden',
  ];
  test.for(NAMES)('"%s" is in the glossary and found in the seed', (name) => {
    expect(glossary!.terms.some((t) => t.forms.includes(name))).toBe(true);
    expect(findTermOccurrences(seed, glossary!).filter((o) => o.form === name).length).toBeGreaterThan(0);
  });

  test.for([
    { term: 'Kiev', lang: 'en', form: 'Kyiv', article: false },
    { term: 'Kiev', lang: 'es', form: 'Kiev', article: false },
    { term: 'Kiev', lang: 'ca', form: 'Kíiv', article: false },
    { term: 'OTAN', lang: 'en', form: 'NATO', article: false },
    { term: 'OTAN', lang: 'es', form: 'OTAN', article: true },
    { term: 'OTAN', lang: 'ca', form: 'OTAN', article: true },
    { term: 'États-Unis', lang: 'en', form: 'United States', article: true },
    { term: 'États-Unis', lang: 'ca', form: 'Estats Units', article: true },
    { term: 'Occident', lang: 'en', form: 'West', article: true },
    { term: 'Russie', lang: 'en', form: 'Russia', article: false },
    { term: 'Donbass', lang: 'es', form: 'Donbás', article: true },
  ])('$term → $lang "$form" (article: $article)', ({ term, lang, form, article }) => {
    expect(glossary!.terms.find((t) => t.id === term)!.targets[lang]).toEqual({ form, article });
  });

  test.for([
    { term: 'Russie', gender: 'f', number: 'sg' },
    { term: 'OTAN', gender: 'f', number: 'sg' },
    { term: 'États-Unis', gender: 'm', number: 'pl' },
    { term: 'Donbass', gender: 'm', number: 'sg' },
    { term: 'Fédération de Russie', gender: 'f', number: 'sg' },
    { term: 'Ukraine', gender: 'f', number: 'sg' },
    { term: 'Allemagne', gender: 'f', number: 'sg' },
    { term: 'Occident', gender: 'm', number: 'sg' },
  ])('$term is $gender $number in French', ({ term, gender, number }) => {
    expect(glossary!.terms.find((t) => t.id === term)).toMatchObject({ gender, number });
  });
});
