/**
 * Names inside noun phrases, amounts in ranges, addresses and tokens, through real Apertium (fr→es,
 * fra-cat, fr→es→en): the repairs around glossary names must not break what the engine got right, and
 * what must stay as written does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { runJob } from '../../pipeline/run-job.js';
import { scratchProject } from '../helpers/cli.js';

const ARTICLE = [
  'Noms et montants',
  '',
  'Les puissants États-Unis hésitent.',
  '',
  'Cette grande Fédération de Russie se tait.',
  '',
  'Aux États-Unis, la Fédération de Russie inquiète.',
  '',
  "Le projet est parrainé par l'Occident.",
  '',
  "Selon l'envoyé d'Antony Blinken et d'Emmanuel Macron.",
  '',
  "Le budget est passé de 2 à 3 milliards d'euros.",
  '',
  "Selon lui, la «Russie» et «l'Ukraine» négocient.",
  '',
  'Il cite « les États-Unis » et la « Fédération de Russie ».',
  '',
  "Voir https://www.exemple.fr/le-chat/la-maison?ville=Paris&pays=France ou écrivez à marie.la-chatte@maison.fr aujourd'hui.",
  '',
  'Le code ZZNA et ZZGA ont coûté 2,6 milliards de dollars à Antony Blinken.',
  '',
  'Suivez @OTAN et @Kiev avec #Ukraine, dit Zelensky.',
  '',
  'Il y a 14 000 soldats et 250 000 civils dans la région.',
  '',
  'La formule {{x}} + {{y}} affiche {{count}} articles pour {{- user}} : voir $t(accueil.titre), <b>gras</b> &amp; &lt;script&gt;.',
  '',
].join('\n');

const apertium = new ApertiumEngine();
let bundles: Record<string, string[]>;

beforeAll(async () => {
  const dir = scratchProject('relais-noun-phrases-');
  const file = join(dir, 'np.txt');
  writeFileSync(file, ARTICLE);
  await runJob({ files: [file], targets: ['en', 'es', 'ca'], engine: apertium, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'), memoryFile: false });
  bundles = Object.fromEntries(['en', 'es', 'ca'].map((l) => [l, Object.values(JSON.parse(readFileSync(join(dir, 'locales', l, 'np.json'), 'utf8')) as Record<string, string>)]));
}, 120_000);
afterAll(() => apertium.close());

/** An article, a word, and an article again: "the powerful the United States". */
const DOUBLED = /(?<!\p{L})(the|el|la|los|las|els|les) \p{Ll}+ (the|el|la|los|las|els|les) \p{Lu}/iu;

describe('names in noun phrases, real Apertium', () => {
  test.for(['en', 'es', 'ca'])('%s: no name gets a second article after an adjective', (lang) => {
    for (const line of bundles[lang]!) expect(line).not.toMatch(DOUBLED);
  });

  test('the noun phrase keeps its one determiner', () => {
    expect(bundles.en).toContain('The powerful United States hesitate.');
    expect(bundles.es).toContain('Los potentes Estados Unidos vacilan.');
    expect(bundles.ca).toContain('Els poderosos Estats Units vacil·len.');
    expect(bundles.es!.join('\n')).toContain('Esta gran Federación de Rusia');
    expect(bundles.ca!.join('\n')).toContain('Aquesta gran Federació de Rússia');
  });

  test('article: false in Spanish: "por Occidente", not "por el Occidente"', () => {
    expect(bundles.es!.join('\n')).toContain('apadrinado por Occidente.');
  });

  test('Catalan elides with the apostrophe the sentence already uses', () => {
    const line = bundles.ca!.find((l) => l.includes('Blinken'))!;
    expect(line).toContain("d'Antony Blinken");
    expect(line).not.toContain('’');
  });

  test('a quoted name stays inside its quotation marks (Apertium moves it out: "Rusia «»")', () => {
    for (const lang of ['en', 'es', 'ca']) for (const line of bundles[lang]!) expect(line).not.toMatch(/«\s*»|“\s*”/u);
    expect(bundles.en!.join('\n')).toContain('“Russia” and “Ukraine”');
    expect(bundles.es!.join('\n')).toContain('«Rusia» y «Ucrania»');
    // The article outside the quotation marks is the name's: not a second one inside.
    expect(bundles.ca!.join('\n')).toContain('i la «Federació de Rússia»');
  });

  test.for(['en', 'es', 'ca'])('%s: web and e-mail addresses come out as written', (lang) => {
    const line = bundles[lang]!.find((l) => l.includes('exemple.fr'))!;
    expect(line).toContain('https://www.exemple.fr/le-chat/la-maison?ville=Paris&pays=France');
    expect(line).toContain('marie.la-chatte@maison.fr');
  });

  test.for(['en', 'es', 'ca'])('%s: a source word spelt like a placeholder stays itself', (lang) => {
    const line = bundles[lang]!.find((l) => l.includes('Blinken') && /ZZ/u.test(l))!;
    expect(line).toMatch(/ZZNA \p{L}+ ZZGA/u);
    expect(line).toContain('Antony Blinken');
    expect(line).toMatch(/2600 millones|2\.600 milions|\$2\.6 billion/u);
  });

  test.for(['en', 'es', 'ca'])('%s: i18next syntax, tags and character references come out as written; a word between tags is translated', (lang) => {
    const line = bundles[lang]!.find((l) => l.includes('{{'))!;
    for (const kept of ['{{x}}', '{{y}}', '{{count}}', '{{- user}}', '$t(accueil.titre)', '<b>', '</b>', '&amp;', '&lt;script&gt;']) expect(line).toContain(kept);
    expect(line).not.toMatch(/#<|\*|ZZV/u);
    // The word between the tags reached the engine as a word (en "fat", es "gordos"; fra-cat does not know it), and the spaces put around it went again.
    expect(line).toMatch(/<b>\p{L}+<\/b> /u);
    if (lang !== 'ca') expect(line).not.toContain('<b>gras</b>');
  });

  test('an amount stands in as a number, so the words after it keep their grammar (a letter token made English "14,000 soldered")', () => {
    expect(bundles.en!.join('\n')).toContain('There are 14,000 soldiers and 250,000 civilians in the region.');
    expect(bundles.es!.join('\n')).toContain(`Hay 14${'\u00A0'}000 soldados y 250${'\u00A0'}000 civiles en la región.`);
  });

  test.for(['en', 'es', 'ca'])('%s: handles and hashtags are accounts, not words or glossary names; the surname alone follows the glossary', (lang) => {
    const line = bundles[lang]!.find((l) => l.includes('@OTAN'))!;
    expect(line).toMatch(/@OTAN .*@Kiev .*#Ukraine/u);
    expect(line).toContain(lang === 'en' ? 'Zelenskyy' : 'Zelenski');
  });

  test('a range of milliards keeps both numbers in milliards', () => {
    expect(bundles.es!.join('\n')).toContain('2000 a 3000 millones de euros');
    expect(bundles.ca!.join('\n')).toContain('2.000 a 3.000 milions d');
    expect(bundles.en!.join('\n')).toContain('2 to €3 billion');
  });
});

describe('a language the glossary has no entries for (eo, oc)', () => {
  test('places and organisations are the engine’s to translate; people keep their French spelling', async () => {
    const dir = scratchProject('relais-unlisted-lang-');
    const file = join(dir, 'np.txt');
    writeFileSync(file, 'Noms\n\nLes États-Unis et la Russie parlent avec Antony Blinken à Moscou.\n');
    await runJob({ files: [file], targets: ['eo', 'oc'], engine: apertium, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'), memoryFile: false });
    const line = (lang: string) => Object.values(JSON.parse(readFileSync(join(dir, 'locales', lang, 'np.json'), 'utf8')) as Record<string, string>)[1]!;
    // What raw Apertium writes for them (`apertium fr-eo`, `apertium fra-oci`), not the French forms.
    expect(line('eo')).toMatch(/Usono .*Rusio .*Antony Blinken .*Moskvo/u);
    expect(line('oc')).toMatch(/Estats Units .*Russia .*Antony Blinken .*Moscòu/u);
    for (const lang of ['eo', 'oc']) expect(line(lang)).not.toMatch(/États-Unis|Russie|Moscou/u);
  }, 60_000);
});
