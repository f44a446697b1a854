/**
 * The bad-input table of issue 7: one row per file under test/fixtures/bad-input/ (or per input the test
 * makes, when it is too large to commit), each with the outcome relais owes the user — a stable code,
 * the place and a message, or the input handled with a note in the summary.
 *
 * A row runs `relais run --quiet <input> <args…>` in a scratch project: an article fixture is the input,
 * a glossary fixture goes with `--glossary` next to the seed article, and option rows use the seed
 * article. `args` defaults to the pseudo engine into English; rows where what the engine makes of the
 * text matters use Apertium.
 */
import { closeSync, copyFileSync, ftruncateSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ErrorCode } from '../../pipeline/errors.js';
import { ROOT } from '../helpers/cli.js';

export const FIXTURES = join(ROOT, 'test/fixtures/bad-input');

/** What a check can look at once the run is over. */
export interface RunContext {
  /** The scratch project (the CLI's working directory). */
  project: string;
  stdout: string;
  stderr: string;
  /** `locales/<lang>/<namespace>.json` of the project, parsed. */
  bundle: (lang: string, namespace: string) => Record<string, string>;
  /** Every string of the namespace's bundles as i18next returns it with relais's read options, by language. */
  readWithI18next: (langs: readonly string[], namespace: string) => Promise<Record<string, Record<string, string>>>;
  /** `relais run …` again in the same project (for a hint's follow-up). */
  rerun: (args: string[]) => { code: number | null; stdout: string; stderr: string };
  /** Run a shell command the hint printed, in the project. */
  sh: (command: string) => void;
}

export type Outcome =
  | {
      /** A coded error (1) or a malformed command line (2). */
      exit: 1 | 2;
      /** Required for exit 1: the stable code, printed after the place. */
      code?: ErrorCode;
      /** The place printed before the code, e.g. `latin1-french.txt:1:4` (file, line, column). */
      place?: string;
      /** Fragments of stderr (message and hint). */
      stderr: RegExp[];
      /** Follow-up once the failure is checked (e.g. run the hint's iconv command). */
      then?: (ctx: RunContext) => void | Promise<void>;
    }
  | {
      /** Handled: published, with `stdout` notes (the summary's warnings) and checks on the bundles. */
      exit: 0;
      namespace: string;
      stdout?: RegExp[];
      check?: (ctx: RunContext) => void | Promise<void>;
    };

export interface BadInputCase {
  name: string;
  /**
   * The case's input: a fixture (`articles/…`, `glossaries/…`, copied into the project, or into a folder
   * next to it for `outside: true`), or made by `make` (too large to commit). Without either, the seed
   * article of the earlier good run is used (option cases).
   */
  fixture?: string;
  /** Put the fixture in `../outside/` and name it by that path: an article from outside the project. */
  outside?: boolean;
  /** Makes the input in the project; returns the `run` arguments that name it. */
  make?: (project: string) => string[];
  /** Arguments after the input. @default ['--engine', 'pseudo', '--to', 'en'] */
  args?: string[];
  expected: Outcome;
  /** A fix outside ingest and the glossary this row waits for (named in its failure message); remove once applied. */
  needsPatch?: string;
}

const PSEUDO_EN = ['--engine', 'pseudo', '--to', 'en'];
const APERTIUM_ALL = ['--engine', 'apertium', '--to', 'en,es,ca'];
const SEED_ARTICLE = 'seed.txt';

/** `relais: error: …` followed by the hint line that holds a shell command; returns the command. */
function hintCommand(stderr: string, program: string): string {
  const line = stderr.split('\n').find((l) => l.includes(`${program} `));
  expect(line, `no ${program} command in:\n${stderr}`).toBeDefined();
  return line!.slice(line!.indexOf(`${program} `)).trim();
}

/** Run the hint's iconv command (it converts the file in place), then relais on it again. */
function followIconvHint(file: string, namespace: string, expectedText: readonly string[]) {
  return async (ctx: RunContext) => {
    ctx.sh(hintCommand(ctx.stderr, 'iconv'));
    const r = ctx.rerun([file, ...PSEUDO_EN]);
    expect(r.code, `relais on the converted file:\n${r.stderr}`).toBe(0);
    const fr = Object.values(ctx.bundle('fr', namespace)).join('\n');
    for (const t of expectedText) expect(fr).toContain(t);
  };
}

/** A French sentence of at least `length` characters: clauses joined by commas, one full stop at the end. */
function longSentence(length: number): string {
  const clause = 'le président a parlé avec les ministres de la situation économique du pays';
  const clauses = ['Hier soir'];
  while (clauses.join(', ').length + 1 < length) clauses.push(clause);
  return `${clauses.join(', ')}.`;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Zorba, Zorbb, … — made-up names no engine knows. */
const madeUpName = (i: number) => {
  let t = '';
  let n = i;
  do {
    t += LETTERS[n % 26];
    n = Math.floor(n / 26);
  } while (n > 0);
  return `Zorb${t}`;
};

export const CASES: BadInputCase[] = [
  /* ------------------------------------------------------------ empty, binary, encodings */
  { name: 'an empty file', fixture: 'articles/empty.txt', expected: { exit: 1, code: 'INPUT_EMPTY', place: 'empty.txt', stderr: [/the file is empty/] } },
  { name: 'a file of whitespace only', fixture: 'articles/whitespace-only.txt', expected: { exit: 1, code: 'INPUT_EMPTY', place: 'whitespace-only.txt', stderr: [/the article has no text \(only whitespace or invisible characters\)/] } },
  { name: 'a file of zero-width spaces and word joiners only', fixture: 'articles/invisible-only.txt', expected: { exit: 1, code: 'INPUT_EMPTY', place: 'invisible-only.txt', stderr: [/the article has no text \(only whitespace or invisible characters\)/] } },
  { name: 'a PNG image', fixture: 'articles/image.png', expected: { exit: 1, code: 'INPUT_BINARY', place: 'image.png', stderr: [/this is a PNG image, not a text article/, /→ Give relais a UTF-8 \.txt file/] } },
  {
    name: 'a Word document (.docx)',
    fixture: 'articles/word-document.docx',
    expected: { exit: 1, code: 'INPUT_BINARY', place: 'word-document.docx', stderr: [/this is a ZIP archive \(a \.docx, \.odt or \.epub file is one\)/, /→ Save the document as plain text, UTF-8/] },
  },
  {
    name: 'invalid UTF-8 that is not Windows-1252 French either',
    fixture: 'articles/invalid-utf8.txt',
    expected: {
      exit: 1, code: 'INPUT_NOT_UTF8', place: 'invalid-utf8.txt:3:10',
      stderr: [/invalid UTF-8 at byte offset 16 \(byte 0x80\)$/m, /→ If the file is Latin-1 or Windows-1252, convert it: iconv -f WINDOWS-1252 -t UTF-8 'invalid-utf8\.txt' > 'invalid-utf8\.utf8\.txt' && mv 'invalid-utf8\.utf8\.txt' 'invalid-utf8\.txt'$/m],
    },
  },
  {
    name: 'Latin-1 French: detected, and the hint converts it',
    fixture: 'articles/latin1-french.txt',
    expected: {
      exit: 1, code: 'INPUT_NOT_UTF8', place: 'latin1-french.txt:1:4',
      stderr: [
        /invalid UTF-8 at byte offset 3 \(byte 0xe9\)$/m,
        /→ The file looks like Windows-1252 \(Latin-1\) French; line 1 would read "Un été à Paris"\. Convert it: iconv -f WINDOWS-1252 -t UTF-8 'latin1-french\.txt' > 'latin1-french\.utf8\.txt' && mv 'latin1-french\.utf8\.txt' 'latin1-french\.txt'$/m,
      ],
      then: followIconvHint('latin1-french.txt', 'latin1-french', ['Le garçon a mangé une crème brûlée près de la fenêtre.', '« Où est le café ? »']),
    },
  },
  {
    name: 'Windows-1252 French (œ ’ … — €): detected, and the hint converts it',
    fixture: 'articles/windows-1252-french.txt',
    expected: {
      exit: 1, code: 'INPUT_NOT_UTF8', place: 'windows-1252-french.txt:1:5',
      stderr: [/byte offset 4 \(byte 0x9c\)$/m, /line 1 would read "Le cœur de l’État"\. Convert it: iconv -f WINDOWS-1252 -t UTF-8 'windows-1252-french\.txt' > 'windows-1252-french\.utf8\.txt' && mv 'windows-1252-french\.utf8\.txt' 'windows-1252-french\.txt'$/m],
      then: followIconvHint('windows-1252-french.txt', 'windows-1252-french', ['L’économie française… a progressé de 2 % en 2023 — selon l’Insee.', '12 € par kilo']),
    },
  },
  {
    name: 'UTF-16 LE with a BOM: the hint converts it',
    fixture: 'articles/utf16le-bom.txt',
    expected: {
      exit: 1, code: 'INPUT_NOT_UTF8', place: 'utf16le-bom.txt',
      stderr: [/the file is UTF-16 \(it starts with a UTF-16 byte-order mark\); relais reads UTF-8$/m, /→ Convert it: iconv -f UTF-16 -t UTF-8 'utf16le-bom\.txt' > 'utf16le-bom\.utf8\.txt' && mv 'utf16le-bom\.utf8\.txt' 'utf16le-bom\.txt'$/m],
      then: followIconvHint('utf16le-bom.txt', 'utf16le-bom', ['Le ministre a présenté le budget ce matin devant les députés.']),
    },
  },
  {
    name: 'UTF-16 BE with a BOM: the hint converts it',
    fixture: 'articles/utf16be-bom.txt',
    expected: {
      exit: 1, code: 'INPUT_NOT_UTF8', place: 'utf16be-bom.txt',
      stderr: [/the file is UTF-16 \(it starts with a UTF-16 byte-order mark\)/, /iconv -f UTF-16 -t UTF-8 'utf16be-bom\.txt' > 'utf16be-bom\.utf8\.txt' && mv 'utf16be-bom\.utf8\.txt' 'utf16be-bom\.txt'$/m],
      then: followIconvHint('utf16be-bom.txt', 'utf16be-bom', ['Un titre en français']),
    },
  },
  {
    name: 'UTF-16 LE without a BOM: recognised, not reported as a NUL byte',
    fixture: 'articles/utf16le-no-bom.txt',
    expected: {
      exit: 1, code: 'INPUT_NOT_UTF8', place: 'utf16le-no-bom.txt',
      stderr: [/the file looks like UTF-16LE without a byte-order mark/, /iconv -f UTF-16LE -t UTF-8 'utf16le-no-bom\.txt' > 'utf16le-no-bom\.utf8\.txt' && mv 'utf16le-no-bom\.utf8\.txt' 'utf16le-no-bom\.txt'$/m],
      then: followIconvHint('utf16le-no-bom.txt', 'utf16le-no-bom', ['Le ministre a présenté le budget ce matin devant les députés.']),
    },
  },
  {
    name: 'UTF-8 with a BOM: accepted, the BOM is not published',
    fixture: 'articles/utf8-bom.txt',
    expected: {
      exit: 0, namespace: 'utf8-bom', stdout: [/^utf8-bom: 2 segments \(removed a UTF-8 byte-order mark\)$/m],
      check: ({ bundle }) => expectValues(bundle('fr', 'utf8-bom'), ['Un titre en français', 'Le ministre a présenté le budget ce matin devant les députés.']),
    },
  },
  {
    name: 'CRLF line endings: accepted, no \\r published',
    fixture: 'articles/crlf.txt',
    expected: {
      exit: 0, namespace: 'crlf', stdout: [/^crlf: 2 segments \(converted CRLF line endings\)$/m],
      check: ({ bundle }) => expectValues(bundle('fr', 'crlf'), ['Un titre en français', 'Le ministre a présenté le budget ce matin devant les députés.']),
    },
  },
  { name: 'a NUL byte', fixture: 'articles/nul-byte.txt', expected: { exit: 1, code: 'INPUT_BINARY', place: 'nul-byte.txt:3:23', stderr: [/NUL byte at byte offset 34: this does not look like a text article$/m] } },
  {
    name: 'terminal colour codes (ESC)',
    fixture: 'articles/control-characters.txt',
    expected: { exit: 1, code: 'INPUT_CONTROL_CHAR', place: 'control-characters.txt:5:10', stderr: [/control character U\+001B \(ESC\): an article is plain text$/m, /→ Remove it/] },
  },
  {
    name: 'C1 control characters of text converted from Windows-1252 twice',
    fixture: 'articles/double-encoded.txt',
    expected: { exit: 1, code: 'INPUT_CONTROL_CHAR', place: 'double-encoded.txt:3:3', stderr: [/control character U\+0080: an article is plain text$/m, /converted from Windows-1252 twice/] },
  },
  {
    name: 'a Unicode noncharacter (U+FFFF: Apertium would end the sentence there)',
    fixture: 'articles/noncharacter.txt',
    expected: { exit: 1, code: 'INPUT_CONTROL_CHAR', place: 'noncharacter.txt:3:10', stderr: [/noncharacter U\+FFFF: an article is plain text$/m, /never part of a text/] },
  },
  {
    name: 'vertical tabs and form feeds (Word line and page breaks): become line breaks',
    fixture: 'articles/vertical-tab-form-feed.txt',
    expected: {
      exit: 0, namespace: 'vertical-tab-form-feed', stdout: [/^vertical-tab-form-feed: 4 segments \(converted vertical tabs, form feeds and Unicode line\/paragraph separators to line breaks\)$/m],
      check: ({ bundle }) => expectValues(bundle('fr', 'vertical-tab-form-feed'), ['Un titre', 'Le ministre a présenté le budget.', 'Il a parlé une heure.', 'Les députés ont voté le texte le soir même.']),
    },
  },
  {
    name: 'Unicode line and paragraph separators: become line breaks',
    fixture: 'articles/unicode-separators.txt',
    expected: {
      exit: 0, namespace: 'unicode-separators', stdout: [/^unicode-separators: 4 segments \(converted .*Unicode line\/paragraph separators to line breaks\)$/m],
      check: ({ bundle }) => expectValues(bundle('fr', 'unicode-separators'), ['Un titre', 'Le ministre a présenté le budget.', 'Les députés ont voté le texte le soir même.', 'Il était tard.']),
    },
  },

  /* ------------------------------------------------------------ size */
  {
    name: 'a 10 MB single line (made by the test)',
    make: (project) => {
      const sentence = 'Le président a parlé avec les ministres de la situation économique du pays. ';
      writeFileSync(join(project, 'one-line.txt'), sentence.repeat(Math.ceil((10 * 1024 * 1024) / sentence.length)));
      return ['one-line.txt'];
    },
    expected: {
      exit: 1, code: 'INPUT_TOO_LARGE', place: 'one-line.txt',
      stderr: [/the file is 10(\.\d)? MB \([\d,]+ bytes\)( on a single line)?; relais takes articles of up to 2 MB$/m, /→ .*one file each/],
    },
  },
  {
    name: 'a 3 GB file (sparse, made by the test): refused before it is read',
    make: (project) => {
      const fd = openSync(join(project, 'huge.txt'), 'w');
      ftruncateSync(fd, 3 * 1024 ** 3);
      closeSync(fd);
      return ['huge.txt'];
    },
    expected: { exit: 1, code: 'INPUT_TOO_LARGE', place: 'huge.txt', stderr: [/the file is 3 GB \(3,221,225,472 bytes\); relais takes articles of up to 2 MB$/m] },
    needsPatch: 'run-job-input-size.patch',
  },
  {
    name: 'a 100,000-character sentence (made by the test), through Apertium',
    make: (project) => {
      writeFileSync(join(project, 'long-sentence.txt'), `Une très longue phrase\n\n${longSentence(100_000)}\n`);
      return ['long-sentence.txt'];
    },
    args: ['--engine', 'apertium', '--to', 'es'],
    expected: {
      exit: 0, namespace: 'long-sentence', stdout: [/^long-sentence: 2 segments$/m],
      check: ({ bundle }) => {
        const fr = Object.values(bundle('fr', 'long-sentence'));
        const es = Object.values(bundle('es', 'long-sentence'));
        expect(fr[1] === longSentence(100_000), 'the French bundle holds the sentence as written').toBe(true);
        expect(es).toHaveLength(2);
        expect(es[1]!.length, 'the Spanish sentence is whole').toBeGreaterThan(80_000);
        expect(es[1]!.endsWith('del país.'), es[1]!.slice(-200)).toBe(true);
      },
    },
  },

  /* ------------------------------------------------------------ not plain text */
  {
    name: 'an HTML page',
    fixture: 'articles/html-page.html',
    expected: { exit: 1, code: 'INPUT_HTML', place: 'html-page.html:1:1', stderr: [/this is an HTML page \(it starts with <!doctype html…>\), not a text article$/m, /pandoc -t plain 'html-page\.html' -o 'html-page\.txt'$/m] },
  },
  {
    name: 'an HTML fragment saved as .txt',
    fixture: 'articles/html-fragment.txt',
    expected: { exit: 1, code: 'INPUT_HTML', place: 'html-fragment.txt:1:1', stderr: [/this is an HTML page \(it starts with <div…>\)/, /-o 'html-fragment\.plain\.txt'$/m] },
  },
  {
    name: 'emoji and right-to-left text inside French, through Apertium',
    fixture: 'articles/emoji-rtl.txt',
    args: APERTIUM_ALL,
    expected: {
      exit: 0, namespace: 'emoji-rtl',
      check: async ({ bundle, readWithI18next }) => {
        const source = readFileSync(join(FIXTURES, 'articles/emoji-rtl.txt'), 'utf8').split('\n\n').map((p) => p.trim());
        expectValues(bundle('fr', 'emoji-rtl'), source);
        const read = await readWithI18next(['fr', 'en', 'es', 'ca'], 'emoji-rtl');
        for (const lang of ['en', 'es', 'ca']) {
          const text = Object.values(read[lang]!).join('\n');
          for (const piece of ['🕊️', '👋🏽', '🇷🇺', 'שלום', 'سلام', '👨‍👩‍👧']) expect(text, lang).toContain(piece);
        }
      },
    },
  },
  {
    name: 'text holding {{x}}, $t( and <b>: published so that i18next returns it as written',
    fixture: 'articles/i18next-markers.txt',
    args: APERTIUM_ALL,
    expected: {
      exit: 0, namespace: 'i18next-markers',
      check: async ({ bundle, readWithI18next }) => {
        const source = readFileSync(join(FIXTURES, 'articles/i18next-markers.txt'), 'utf8').split('\n\n').map((p) => p.trim());
        expectValues(bundle('fr', 'i18next-markers'), source);
        const read = await readWithI18next(['fr', 'en', 'es', 'ca'], 'i18next-markers');
        for (const lang of ['fr', 'en', 'es', 'ca']) {
          const stored = bundle(lang, 'i18next-markers');
          expect(read[lang], `${lang}: what i18next returns is what is stored`).toEqual(stored);
          const text = Object.values(stored).join('\n');
          for (const marker of ['{{x}}', '$t(', '<b>', '</b>']) expect(text, lang).toContain(marker);
        }
      },
    },
  },

  /* ------------------------------------------------------------ glossaries */
  {
    name: 'a glossary that is not valid YAML',
    fixture: 'glossaries/broken-yaml.yaml',
    expected: { exit: 1, code: 'GLOSSARY_YAML_SYNTAX', place: 'broken-yaml.yaml:7:3', stderr: [/^relais: error: broken-yaml\.yaml has \d+ problems?$/m, /Flow sequence .* end with a \]/, /→ Check the indentation and quoting/] },
  },
  {
    name: 'a glossary with a duplicate form',
    fixture: 'glossaries/duplicate-form.yaml',
    expected: { exit: 1, code: 'GLOSSARY_DUPLICATE_TERM', place: 'duplicate-form.yaml:10:9', stderr: [/^relais: error: duplicate-form\.yaml has 1 problem$/m, /"Moscou" is already defined at 4:9$/m] },
  },
  {
    name: 'a glossary with an empty form',
    fixture: 'glossaries/empty-form.yaml',
    expected: { exit: 1, code: 'GLOSSARY_EMPTY_FORM', place: 'empty-form.yaml:4:9', stderr: [/^relais: error: empty-form\.yaml has 2 problems$/m, /4:9 GLOSSARY_EMPTY_FORM "fr" is empty$/m, /empty-form\.yaml:9:5 GLOSSARY_EMPTY_FORM "en" is empty$/m] },
  },
  {
    name: 'a glossary with an unknown language',
    fixture: 'glossaries/unknown-language.yaml',
    expected: {
      exit: 1, code: 'GLOSSARY_UNKNOWN_LANGUAGE', place: 'unknown-language.yaml:2:17',
      stderr: [/unknown language "xx"$/m, /unknown-language\.yaml:7:5 GLOSSARY_UNKNOWN_LANGUAGE "en_US" is not a BCP 47 language code$/m, /Did you mean "en-US"\?/],
    },
  },
  {
    name: 'a glossary with conflicting targets',
    fixture: 'glossaries/conflicting-targets.yaml',
    expected: {
      exit: 1, code: 'GLOSSARY_CONFLICTING_TARGETS', place: 'conflicting-targets.yaml:7:5',
      stderr: [/"en" is given twice in this term \(first at 6:5\)$/m, /conflicting-targets\.yaml:11:9 GLOSSARY_CONFLICTING_TARGETS "Otan" and "OTAN" \(8:9\) differ only in case/],
    },
  },
  { name: 'an empty glossary', fixture: 'glossaries/empty.yaml', expected: { exit: 1, code: 'GLOSSARY_SHAPE', place: 'empty.yaml:1:1', stderr: [/the glossary is empty$/m, /→ Start with:/] } },
  {
    name: 'a Latin-1 glossary',
    fixture: 'glossaries/latin1.yaml',
    expected: {
      exit: 1, code: 'GLOSSARY_YAML_SYNTAX', place: 'latin1.yaml:4:9',
      stderr: [/the file is not valid UTF-8 \(byte 0xc9 at byte offset 50\)$/m, /iconv -f WINDOWS-1252 -t UTF-8 'latin1\.yaml' > 'latin1\.utf8\.yaml' && mv 'latin1\.utf8\.yaml' 'latin1\.yaml'/],
    },
  },
  {
    name: 'a glossary of 10,000 terms (made by the test), through Apertium',
    make: (project) => {
      const kinds = ['person', 'place', 'organisation', 'other'];
      let yaml = readFileSync(join(ROOT, 'glossary.yaml'), 'utf8');
      for (let i = 0; i < 10_000; i++) {
        const kind = kinds[i % 4]!;
        const n = madeUpName(i);
        yaml += `  - fr: ${n}\n    kind: ${kind}\n${kind === 'person' ? '' : `    en: ${n}-en\n    es: ${n}-es\n    ca: ${n}-ca\n`}`;
      }
      writeFileSync(join(project, 'glossary-10k.yaml'), yaml);
      let article = 'Des noms inventés\n\n';
      for (let i = 0; i < 40; i++) article += `Le ministre a rencontré ${madeUpName(i * 250 + 1)} à ${madeUpName(i * 250 + 2)} hier.\n\n`;
      writeFileSync(join(project, 'noms.txt'), article);
      return ['noms.txt', '--glossary', 'glossary-10k.yaml'];
    },
    args: APERTIUM_ALL,
    expected: {
      exit: 0, namespace: 'noms',
      // 40 sentences, two glossary names each: every one applied in every language.
      stdout: [/^en +41 +80 /m, /^es +41 +80 /m, /^ca +41 +80 /m],
      check: ({ bundle }) => {
        const en = Object.values(bundle('en', 'noms')).join('\n');
        // Term n has kind n % 4 (person, place, organisation, other): Zorbc (n = 2) is an organisation.
        expect(en).toContain(`${madeUpName(2)}-en`);
      },
    },
  },

  /* ------------------------------------------------------------ options */
  { name: 'an unknown engine', args: ['--engine', 'babelfish', '--to', 'en'], expected: { exit: 1, code: 'ENGINE_UNKNOWN', stderr: [/^relais: error: ENGINE_UNKNOWN unknown engine "babelfish"$/m, /→ Use one of: apertium, deepl, pseudo/] } },
  { name: 'an empty engine name', args: ['--engine', '', '--to', 'en'], expected: { exit: 1, code: 'ENGINE_UNKNOWN', stderr: [/unknown engine ""$/m] } },
  { name: '--to ../../etc', args: ['--engine', 'pseudo', '--to', '../../etc'], expected: { exit: 1, code: 'OPTION_INVALID', stderr: [/^relais: error: OPTION_INVALID "\.\.\/\.\.\/etc" is not a language code$/m, /→ Use BCP 47 codes/] } },
  { name: '--to en,../x (one bad code among good ones)', args: ['--engine', 'pseudo', '--to', 'en,../x'], expected: { exit: 1, code: 'OPTION_INVALID', stderr: [/"\.\.\/x" is not a language code$/m] } },
  { name: '--to en_US', args: ['--engine', 'pseudo', '--to', 'en_US'], expected: { exit: 1, code: 'OPTION_INVALID', stderr: [/"en_US" is not a language code$/m, /→ Did you mean "en-US"\? relais uses BCP 47 codes with a hyphen\.$/m] } },
  { name: '--to EN', args: ['--engine', 'pseudo', '--to', 'EN'], expected: { exit: 1, code: 'OPTION_INVALID', stderr: [/"EN" is not a language code$/m, /→ Did you mean "en"\?/] } },
  { name: '--to xx', args: ['--engine', 'pseudo', '--to', 'xx'], expected: { exit: 1, code: 'LANGUAGE_UNSUPPORTED', stderr: [/^relais: error: LANGUAGE_UNSUPPORTED unknown language "xx"$/m, /→ Known: /] } },
  { name: '--to fr (the source language)', args: ['--engine', 'pseudo', '--to', 'fr'], expected: { exit: 1, code: 'OPTION_INVALID', stderr: [/"fr" is the source language; it is published as written$/m, /→ Leave it out of --to/] } },
  { name: '--to with an empty list', args: ['--engine', 'pseudo', '--to', ' , '], expected: { exit: 1, code: 'OPTION_INVALID', stderr: [/--to needs at least one language, got " , "$/m, /→ For example: --to en,es,ca/] } },
  { name: '--to with an empty string', args: ['--engine', 'pseudo', '--to', ''], expected: { exit: 1, code: 'OPTION_INVALID', stderr: [/--to needs at least one language, got ""$/m] } },
  { name: '--to with no value at all (usage)', args: ['--engine', 'pseudo', '--to'], expected: { exit: 2, stderr: [/^relais: usage error: option '--to <langs>' argument missing$/m, /relais run --help/] } },

  /* ------------------------------------------------------------ article names */
  {
    name: 'an article name with spaces',
    fixture: 'articles/article avec espaces.txt',
    expected: { exit: 0, namespace: 'article-avec-espaces', check: ({ bundle }) => expectValues(bundle('fr', 'article-avec-espaces'), ['Un titre', 'Le ministre a présenté le budget ce matin.']) },
  },
  {
    name: 'an article name with accents',
    fixture: 'articles/Été à Paris.fr.txt',
    expected: { exit: 0, namespace: 'ete-a-paris', check: ({ bundle }) => expectValues(bundle('fr', 'ete-a-paris'), ['Un titre', 'Le ministre a présenté le budget ce matin.']) },
  },
  {
    name: 'an article with .. in its name, named through ../ from outside the project',
    fixture: 'articles/deux..points.txt',
    outside: true,
    expected: { exit: 0, namespace: 'deux-points', check: ({ bundle }) => expectValues(bundle('fr', 'deux-points'), ['Un titre', 'Le ministre a présenté le budget ce matin.']) },
  },
  { name: '.. as the article (a folder)', make: () => ['..'], expected: { exit: 1, code: 'INPUT_NOT_FOUND', place: '..', stderr: [/not a file: \.\.$/m] } },
  {
    name: 'two names that make the same namespace ("a b.txt" and "a-b.txt")',
    make: (project) => {
      copyFileSync(join(FIXTURES, 'articles/article avec espaces.txt'), join(project, 'le budget.txt'));
      copyFileSync(join(FIXTURES, 'articles/article avec espaces.txt'), join(project, 'le-budget.txt'));
      return ['le budget.txt', 'le-budget.txt'];
    },
    expected: { exit: 1, code: 'OPTION_INVALID', stderr: [/"le budget\.txt" and "le-budget\.txt" would publish to the same namespace "le-budget"$/m, /→ Rename one of the files\./] },
  },
];

/** The bundle's values, in order, are exactly `expected`. */
export function expectValues(bundle: Record<string, string>, expected: readonly string[]): void {
  expect(Object.values(bundle)).toEqual(expected);
}

export { SEED_ARTICLE, PSEUDO_EN };
