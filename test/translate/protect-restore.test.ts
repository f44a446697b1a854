/**
 * prepareSegment → engine → restoreSegment on the seed article. The engine texts are what Apertium
 * (fr-es, fra-cat, fr-es + spa-eng) returned for these engine inputs, marks removed, so the rules are
 * tested against the engine's real mistakes without running it here (the e2e test runs it).
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { FlagCode, UnknownWord } from '../../pipeline/artifacts.js';
import { readGlossary } from '../../pipeline/glossary/parse.js';
import { prepareSegment, type Protection } from '../../pipeline/stages/translate/protect.js';
import { replaceWholeWord, restoreSegment, type Renderings, type RestoredSegment } from '../../pipeline/stages/translate/restore.js';

const glossary = readGlossary(resolve(import.meta.dirname, '../../glossary.yaml'));

/** Seed sentences (seeds/haut-diplomate-americain.fr.txt), as the segment stage cuts them. */
const SEED = {
  title: 'Un haut diplomate américain exclut les pourparlers Moscou-Kiev',
  blinken: 'Le secrétaire d’État américain Antony Blinken a exclu des négociations entre la Russie et l’Ukraine, affirmant que Moscou n’avait pas démontré sa volonté de pourparlers « constructifs ».',
  germany: 'Il a fait ces remarques non fondées lors d’un point de presse en Allemagne vendredi, exigeant que la Russie montre d’abord sa volonté de s’engager dans des “négociations constructives” dans le but d’une “paix juste et durable”.',
  referendum: 'Blinken a ensuite affirmé que même si l’idée d’un cessez-le-feu peut être “tentante”, elle ne contribuera pas à une “paix juste et durable” si elle signifie la “ratification” du contrôle de Moscou sur les anciens territoires ukrainiens qui ont voté lors d’un référendum. de rejoindre la Fédération de Russie après le début de son « opération militaire spéciale » dans l’Ukraine voisine visant à protéger la population russophone du pays ainsi qu’à bloquer l’avancée vers l’est de l’alliance militaire de l’OTAN dirigée par les États-Unis.',
  donbass: 'Moscou a lancé son opération militaire en Ukraine en février 2022 face aux attaques croissantes de Kiev contre les républiques pro-russes du Donbass et à l’échec de l’OTAN à satisfaire les demandes persistantes de la Russie en matière de garanties de sécurité au milieu des appels croissants à l’adhésion de l’Ukraine à l’OTAN, ce qui finirait par placer des militaires occidentaux hostiles. forces et armements à la frontière russe.',
  delegations: 'C’est alors que les délégations russe et ukrainienne se sont engagées dans plusieurs séries de pourparlers de paix depuis le début des opérations militaires, bien que les négociations aient finalement abouti à une impasse.',
  zelensky: 'Alors que Moscou a réitéré qu’elle était ouverte aux pourparlers avec Kiev, le président ukrainien Volodymyr Zelensky, parrainé par l’Occident, a signé un décret en octobre 2022 qui interdirait toute négociation avec la Russie.',
  package: 'Les États-Unis ont annoncé un nouveau programme d’aide militaire de 2,6 milliards de dollars pour l’Ukraine au début du mois, qui comprendrait des munitions de char, des radars de surveillance aérienne, des roquettes antichar et des camions-citernes.',
  biden: 'Jusqu’à présent, l’administration Biden a engagé plus de 31,7 milliards de dollars d’aide à la “sécurité” depuis le début du conflit de 2022.',
} as const;

/** Every glossary term of a sentence: the retry after a failed rewrite makes them all placeholders. */
const ALL_TERMS = new Set(glossary.terms.map((t) => t.id));

/** How Apertium renders each glossary form alone (what the translate stage probes and caches). */
const RENDERINGS: Record<string, Renderings> = {
  es: new Map([
    ['Moscou', ['Moscú']], ['Kiev', ['Kiev']], ['Russie', ['Rusia']], ['Fédération de Russie', ['Federación Rusa']],
    ['Ukraine', ['Ucrania']], ['Allemagne', ['Alemania']], ['États-Unis', ['Estados Unidos']], ['Donbass', ['Donbass']],
    ['Occident', ['Occidente']], ['OTAN', ['OTAN']],
  ]),
  ca: new Map([
    ['Moscou', ['Moscou']], ['Kiev', ['Kíiv']], ['Russie', ['Rússia']], ['Fédération de Russie', ['Federació Russa']],
    ['Ukraine', ['Ucraïna']], ['Allemagne', ['Alemanya']], ['États-Unis', ['Estats Units']], ['Donbass', ['Donbass']],
    ['Occident', ['Occident']], ['OTAN', ['OTAN']],
  ]),
  en: new Map([
    ['Moscou', ['Moscow', 'Moscú']], ['Kiev', ['Kiev']], ['Russie', ['Russia', 'Rusia']], ['Fédération de Russie', ['Russian federation', 'Federación Rusa']],
    ['Ukraine', ['Ukraine', 'Ucrania']], ['Allemagne', ['Germany', 'Alemania']], ['États-Unis', ['United States', 'Estados Unidos']],
    ['Donbass', ['Donbass']], ['Occident', ['Occident', 'Occidente']], ['OTAN', ['NATO', 'OTAN']],
  ]),
};

const unknown = (stage: string, ...words: string[]): UnknownWord[] => words.map((word) => ({ word, mark: '*', stage }));

/** A readable summary of protections: "term:engine:Moscou", "term:placeholder:ZZGA:la Russie"… */
function describeProtection(p: Protection): string {
  if (p.type === 'amount') return `amount:${p.token}:${p.amount.text}`;
  if (p.type === 'verbatim') return `verbatim:${p.token}:${p.text}`;
  if (p.strategy === 'engine') return `term:engine:${p.form}${p.frenchArticle ? ':article' : ''}`;
  return `term:placeholder:${p.token}:${p.form}${p.frenchArticle ? ':article' : ''}`;
}

describe('prepareSegment', () => {
  test.for<{ name: string; source: string; force?: string[]; engineText: string; protections: string[] }>([
    { name: 'title: both halves of Moscou-Kiev are left to the engine', source: SEED.title, engineText: SEED.title,
      protections: ['term:engine:Moscou', 'term:engine:Kiev'] },
    { name: 'a person becomes a placeholder, the longest form wins (Antony Blinken, not Blinken); la/l’ are recorded for places',
      source: SEED.blinken,
      engineText: 'Le secrétaire d’État américain ZZGA a exclu des négociations entre la Russie et l’Ukraine, affirmant que Moscou n’avait pas démontré sa volonté de pourparlers « constructifs ».',
      protections: ['term:engine:Russie:article', 'term:engine:Ukraine:article', 'term:engine:Moscou', 'term:placeholder:ZZGA:Antony Blinken'] },
    { name: 'l’Occident and la Russie record their article, "avec Kiev" has none',
      source: SEED.zelensky,
      engineText: 'Alors que Moscou a réitéré qu’elle était ouverte aux pourparlers avec Kiev, le président ukrainien ZZGA, parrainé par l’Occident, a signé un décret en octobre 2022 qui interdirait toute négociation avec la Russie.',
      protections: ['term:engine:Moscou', 'term:engine:Kiev', 'term:engine:Occident:article', 'term:engine:Russie:article', 'term:placeholder:ZZGA:Volodymyr Zelensky'] },
    { name: 'an amount becomes 9900001; les États-Unis keeps its article in the text',
      source: SEED.package,
      engineText: 'Les États-Unis ont annoncé un nouveau programme d’aide militaire de 9900001 pour l’Ukraine au début du mois, qui comprendrait des munitions de char, des radars de surveillance aérienne, des roquettes antichar et des camions-citernes.',
      protections: ['term:engine:États-Unis:article', 'term:engine:Ukraine:article', 'amount:9900001:2,6 milliards de dollars'] },
    { name: 'a person after l’administration is not given its article; the amount is one token',
      source: SEED.biden,
      engineText: 'Jusqu’à présent, l’administration ZZGA a engagé plus de 9900001 d’aide à la “sécurité” depuis le début du conflit de 2022.',
      protections: ['term:placeholder:ZZGA:Biden', 'amount:9900001:31,7 milliards de dollars'] },
    { name: 'du and aux contractions and l’ are recorded as the French article; en is not one',
      source: SEED.donbass,
      engineText: 'Moscou a lancé son opération militaire en Ukraine en février 2022 face aux attaques croissantes de Kiev contre les républiques pro-russes du Donbass et à l’échec de l’OTAN à satisfaire les demandes persistantes de la Russie en matière de garanties de sécurité au milieu des appels croissants à l’adhésion de l’Ukraine à l’OTAN, ce qui finirait par placer des militaires occidentaux hostiles forces et armements à la frontière russe.',
      protections: ['term:engine:Moscou', 'term:engine:Ukraine', 'term:engine:Kiev', 'term:engine:Donbass:article', 'term:engine:OTAN:article',
        'term:engine:Russie:article', 'term:engine:Ukraine:article', 'term:engine:OTAN:article'] },
    { name: 'retry: l’ and la are folded into the placeholders, du becomes de',
      source: SEED.donbass, force: [...ALL_TERMS],
      engineText: 'ZZGA a lancé son opération militaire en ZZGB en février 2022 face aux attaques croissantes de ZZGC contre les républiques pro-russes de ZZGD et à l’échec de ZZGE à satisfaire les demandes persistantes de ZZGF en matière de garanties de sécurité au milieu des appels croissants à l’adhésion de ZZGG à ZZGH, ce qui finirait par placer des militaires occidentaux hostiles forces et armements à la frontière russe.',
      protections: ['term:placeholder:ZZGA:Moscou', 'term:placeholder:ZZGB:Ukraine', 'term:placeholder:ZZGC:Kiev', 'term:placeholder:ZZGD:Donbass:article',
        'term:placeholder:ZZGE:OTAN:article', 'term:placeholder:ZZGF:Russie:article', 'term:placeholder:ZZGG:Ukraine:article', 'term:placeholder:ZZGH:OTAN:article'] },
    { name: 'retry of one term only: the others stay with the engine',
      source: SEED.referendum, force: ['OTAN'],
      engineText: 'ZZGA a ensuite affirmé que même si l’idée d’un cessez-le-feu peut être “tentante”, elle ne contribuera pas à une “paix juste et durable” si elle signifie la “ratification” du contrôle de Moscou sur les anciens territoires ukrainiens qui ont voté lors d’un référendum de rejoindre la Fédération de Russie après le début de son « opération militaire spéciale » dans l’Ukraine voisine visant à protéger la population russophone du pays ainsi qu’à bloquer l’avancée vers l’est de l’alliance militaire de ZZGB dirigée par les États-Unis.',
      protections: ['term:engine:Moscou', 'term:engine:Fédération de Russie:article', 'term:engine:Ukraine:article', 'term:engine:États-Unis:article',
        'term:placeholder:ZZGA:Blinken', 'term:placeholder:ZZGB:OTAN:article'] },
    { name: 'retry: a sentence-initial Les is folded, the next term gets the next token',
      source: SEED.package, force: ['États-Unis', 'Ukraine'],
      engineText: 'ZZGA ont annoncé un nouveau programme d’aide militaire de 9900001 pour ZZGB au début du mois, qui comprendrait des munitions de char, des radars de surveillance aérienne, des roquettes antichar et des camions-citernes.',
      protections: ['term:placeholder:ZZGA:États-Unis:article', 'amount:9900001:2,6 milliards de dollars', 'term:placeholder:ZZGB:Ukraine:article'] },
    { name: 'retry: aux → à, keeping the preposition for the engine', source: 'Kiev a demandé aux États-Unis des armes.', force: ['États-Unis'],
      engineText: 'Kiev a demandé à ZZGA des armes.', protections: ['term:engine:Kiev', 'term:placeholder:ZZGA:États-Unis:article'] },
    { name: 'retry: sentence-initial Aux → À, Du → De', source: 'Aux États-Unis comme en Europe, on parle du Donbass.', force: ['États-Unis', 'Donbass'],
      engineText: 'À ZZGA comme en Europe, on parle de ZZGB.', protections: ['term:placeholder:ZZGA:États-Unis:article', 'term:placeholder:ZZGB:Donbass:article'] },
    { name: 'retry: d’ is a preposition, not an article', source: 'Les forces d’Allemagne et de Russie.', force: ['Allemagne'],
      engineText: 'Les forces d’ZZGA et de Russie.', protections: ['term:engine:Russie', 'term:placeholder:ZZGA:Allemagne'] },
    { name: 'two people, two amounts: tokens count up separately',
      source: 'Antony Blinken et Volodymyr Zelensky évoquent 31,7 milliards de dollars et 48,5 milliards de dollars.',
      engineText: 'ZZGA et ZZGB évoquent 9900001 et 9900002.',
      protections: ['term:placeholder:ZZGA:Antony Blinken', 'term:placeholder:ZZGB:Volodymyr Zelensky', 'amount:9900001:31,7 milliards de dollars', 'amount:9900002:48,5 milliards de dollars'] },
    { name: 'a name inside an amount stays in the amount', source: 'une aide de 2 millions de dollars des États-Unis',
      engineText: 'une aide de 9900001', protections: ['amount:9900001:2 millions de dollars des États-Unis'] },
    { name: 'a list item marker is kept as written ("a)" is no verb)', source: 'a) pour les couples',
      engineText: 'ZZVA pour les couples', protections: ['verbatim:ZZVA:a)'] },
    { name: 'another spelling of a name reaches the engine as the glossary writes it (Otan → OTAN, Etats-Unis → États-Unis)', source: 'Le chef de l’Otan est aux Etats-Unis.',
      engineText: 'Le chef de l’OTAN est aux États-Unis.', protections: ['term:engine:OTAN:article', 'term:engine:États-Unis:article'] },
  ])('$name', ({ source, force, engineText, protections }) => {
    const prepared = prepareSegment('s1', source, glossary, force ? { forcePlaceholder: new Set(force) } : {});
    expect(prepared.engineText).toBe(engineText);
    expect(prepared.protections.map(describeProtection)).toEqual(protections);
    expect(prepared.source).toBe(source);
  });

  test.for<{ name: string; source: string; engineText: string; flags: Array<{ code: FlagCode; subject: string }> }>([
    { name: 'seed: the stray full stop before "de rejoindre" is flagged and not given to the engine',
      source: 'qui ont voté lors d’un référendum. de rejoindre la Fédération de Russie',
      engineText: 'qui ont voté lors d’un référendum de rejoindre la Fédération de Russie',
      flags: [{ code: 'SOURCE_STRAY_STOP', subject: '. de rejoindr' }] },
    { name: 'seed: the stray full stop before "forces"',
      source: 'placer des militaires occidentaux hostiles. forces et armements',
      engineText: 'placer des militaires occidentaux hostiles forces et armements',
      flags: [{ code: 'SOURCE_STRAY_STOP', subject: '. forces et a' }] },
    { name: 'doubled spaces collapse for the engine', source: 'Moscou a lancé  son opération militaire',
      engineText: 'Moscou a lancé son opération militaire', flags: [{ code: 'SOURCE_DOUBLE_SPACE', subject: 'son opératio' }] },
    { name: 'an abbreviation is not a stray stop', source: 'M. de Villepin a parlé à Moscou', engineText: 'M. de Villepin a parlé à Moscou', flags: [] },
  ])('$name', ({ source, engineText, flags }) => {
    const prepared = prepareSegment('s1', source, glossary);
    expect(prepared.engineText).toBe(engineText);
    expect(prepared.flaws).toMatchObject(flags);
    expect(prepared.flaws).toHaveLength(flags.length);
  });
});

interface RestoreRow {
  name: string;
  lang: 'en' | 'es' | 'ca';
  source: string;
  force?: string[];
  /** Apertium's output for the prepared engine text. */
  engine: string;
  unknown?: UnknownWord[];
  renderings?: Renderings;
  expected: string;
  /** Flag codes, in order (subjects checked where given). */
  flags?: Array<{ code: FlagCode; subject?: string }>;
  failedTerms?: string[];
  termsApplied?: RestoredSegment['termsApplied'];
}

function restore(row: RestoreRow): RestoredSegment {
  const prepared = prepareSegment('s1', row.source, glossary, row.force ? { forcePlaceholder: new Set(row.force) } : {});
  return restoreSegment(prepared, row.engine, row.lang, row.renderings ?? RENDERINGS[row.lang]!, row.unknown ?? []);
}

describe('restoreSegment', () => {
  test.for<RestoreRow>([
    // ---------------------------------------------------------------- names left to the engine
    { name: 'title: Kiev is rewritten to Kyiv, AN to An', lang: 'en', source: SEED.title,
      engine: 'AN American diplomatic height excludes the pourparlers Moscow-Kiev', unknown: unknown('fr-es', 'pourparlers'),
      expected: 'An American diplomatic height excludes the pourparlers Moscow-Kyiv',
      flags: [{ code: 'UNKNOWN_WORD', subject: 'pourparlers' }], failedTerms: [],
      termsApplied: [{ termId: 'Moscou', form: 'Moscow', strategy: 'engine' }, { termId: 'Kiev', form: 'Kyiv', strategy: 'rewrite' }] },
    { name: 'title: the Catalan engine already writes Kíiv', lang: 'ca', source: SEED.title,
      engine: 'Un alt diplomàtic americà va excloure les negociacions Moscou-Kíiv',
      expected: 'Un alt diplomàtic americà va excloure les negociacions Moscou-Kíiv', flags: [], failedTerms: [],
      termsApplied: [{ termId: 'Moscou', form: 'Moscou', strategy: 'engine' }, { termId: 'Kiev', form: 'Kíiv', strategy: 'engine' }] },
    { name: 'the person placeholder comes back; the placeholder is no unknown word', lang: 'es', source: SEED.blinken,
      engine: 'El secretario de Estado estadounidense ZZGA ha excluido negociaciones entre Rusia y Ucrania, que afirma que Moscú no había demostrado su voluntad de pourparlers « constructivos ».',
      unknown: unknown('fr-es', 'ZZGA', 'pourparlers'),
      expected: 'El secretario de Estado estadounidense Antony Blinken ha excluido negociaciones entre Rusia y Ucrania, que afirma que Moscú no había demostrado su voluntad de pourparlers «constructivos».',
      flags: [{ code: 'UNKNOWN_WORD', subject: 'pourparlers' }], failedTerms: [] },
    { name: 'Spanish days stay lowercase: Alemania viernes', lang: 'es', source: SEED.germany,
      engine: 'Ha hecho estos remarces improcedentes durante un punto de prensa en Alemania Viernes, que exige que Rusia muestra primeramente su voluntad de comprometerse en  “negociaciones constructivas” con el fin de una “paz justa y duradera”.',
      expected: 'Ha hecho estos remarces improcedentes durante un punto de prensa en Alemania viernes, que exige que Rusia muestra primeramente su voluntad de comprometerse en «negociaciones constructivas» con el fin de una «paz justa y duradera».',
      flags: [], failedTerms: [] },
    { name: 'seed: the article Apertium dropped comes back, de la Federación de Rusia, flagged', lang: 'es', source: SEED.referendum,
      engine: 'ZZGA ha afirmado luego que aunque la idea de un alto el fuego puede ser “tentante”, no contribuirá  a una “paz justa y duradera” si significa la “ratificación de” el control de Moscú sobre los antiguos territorios ukrainiens que han votado durante un referéndum de coger Federación Rusa después del comienzo de su « operación militar especial » en la Ucrania vecina que pretende proteger la población russophone del país así como a bloquear la adelantada hacia el este de la alianza militar de la OTAN dirigida por los Estados Unidos.',
      unknown: unknown('fr-es', 'ZZGA', 'tentante', 'ukrainiens', 'russophone'),
      expected: 'Blinken ha afirmado luego que aunque la idea de un alto el fuego puede ser «tentante», no contribuirá a una «paz justa y duradera» si significa la «ratificación de» el control de Moscú sobre los antiguos territorios ukrainiens que han votado durante un referéndum de coger la Federación de Rusia después del comienzo de su «operación militar especial» en la Ucrania vecina que pretende proteger la población russophone del país así como a bloquear la adelantada hacia el este de la alianza militar de la OTAN dirigida por los Estados Unidos.',
      flags: [{ code: 'SOURCE_STRAY_STOP' }, { code: 'ARTICLE_RESTORED', subject: 'Federación de Rusia' },
        { code: 'UNKNOWN_WORD', subject: 'tentante' }, { code: 'UNKNOWN_WORD', subject: 'ukrainiens' }, { code: 'UNKNOWN_WORD', subject: 'russophone' }],
      failedTerms: [] },
    { name: 'seed: the Catalan engine kept "a la": rewritten, no article added', lang: 'ca', source: SEED.referendum,
      engine: 'ZZGA ha afirmat a continuació que tot i que la idea d\'un alto-el-foc pot ser “tentante”, no contribuirà a una “pau justa i durable” si signifiqui la “ratificació” del control de Moscou sobre els antics territoris ucraïnesos que han votat en el moment d\'un referèndum d\'arribar a la Federació Russa després del començament de la seva « operació militar especial » a la Ucraïna veïna pretenent protegir la població russoparlant del país així com a bloquejar l\'avançada cap a l\'est de l\'aliança militar de l\'OTAN dirigida pels Estats Units.',
      unknown: unknown('fra-cat', 'ZZGA', 'tentante'),
      expected: 'Blinken ha afirmat a continuació que tot i que la idea d\'un alto-el-foc pot ser «tentante», no contribuirà a una «pau justa i durable» si signifiqui la «ratificació» del control de Moscou sobre els antics territoris ucraïnesos que han votat en el moment d\'un referèndum d\'arribar a la Federació de Rússia després del començament de la seva «operació militar especial» a la Ucraïna veïna pretenent protegir la població russoparlant del país així com a bloquejar l\'avançada cap a l\'est de l\'aliança militar de l\'OTAN dirigida pels Estats Units.',
      flags: [{ code: 'SOURCE_STRAY_STOP' }, { code: 'UNKNOWN_WORD', subject: 'tentante' }], failedTerms: [] },
    { name: 'seed: Blinken has, the Russian Federation; "Nato" cannot be found, so OTAN is retried', lang: 'en', source: SEED.referendum,
      engine: 'ZZGA Has affirmed afterwards that although the idea of a cease-fire can be “tentante”, will not contribute  to a “just and durable peace” if it means the “ratification of” the control of Moscow on the ancient territories ukrainiens that have voted during a referendum to take Russian Federation after the beginning of his « special military operation » in the neighbouring Ukraine that pretends to protect the population russophone of the country as well as to block the advanced eastwards of the Nato military alliance directed by the United States.',
      expected: 'Blinken has affirmed afterwards that although the idea of a cease-fire can be “tentante”, will not contribute to a “just and durable peace” if it means the “ratification of” the control of Moscow on the ancient territories ukrainiens that have voted during a referendum to take the Russian Federation after the beginning of his “special military operation” in the neighbouring Ukraine that pretends to protect the population russophone of the country as well as to block the advanced eastwards of the Nato military alliance directed by the United States.',
      flags: [{ code: 'SOURCE_STRAY_STOP' }], failedTerms: ['OTAN'] },
    { name: 'seed: Donbass is rewritten, de el → del', lang: 'es', source: SEED.donbass,
      engine: 'Moscú ha lanzado su operación militar en Ucrania en febrero 2022 frente a los ataques crecientes de Kiev contra las repúblicas pro-ruso del Donbass y al fracaso de la OTAN a satisfacer las demandas persistantes de Rusia en materia de garantías de seguridad en medio de las llamadas crecientes a la adhesión de Ucrania a la OTAN, lo que acabaría por ubicar militares occidentales hostiles fuerzas y armements a la frontera rusa.',
      expected: 'Moscú ha lanzado su operación militar en Ucrania en febrero de 2022 frente a los ataques crecientes de Kiev contra las repúblicas pro-ruso del Donbás y al fracaso de la OTAN a satisfacer las demandas persistantes de Rusia en materia de garantías de seguridad en medio de las llamadas crecientes a la adhesión de Ucrania a la OTAN, lo que acabaría por ubicar militares occidentales hostiles fuerzas y armements a la frontera rusa.',
      flags: [{ code: 'SOURCE_STRAY_STOP' }], failedTerms: [],
      termsApplied: [
        { termId: 'Moscou', form: 'Moscú', strategy: 'engine' }, { termId: 'Ukraine', form: 'Ucrania', strategy: 'engine' }, { termId: 'Ukraine', form: 'Ucrania', strategy: 'engine' },
        { termId: 'Kiev', form: 'Kiev', strategy: 'engine' }, { termId: 'Donbass', form: 'Donbás', strategy: 'rewrite' },
        { termId: 'OTAN', form: 'OTAN', strategy: 'engine' }, { termId: 'OTAN', form: 'OTAN', strategy: 'engine' }, { termId: 'Russie', form: 'Rusia', strategy: 'engine' },
      ] },
    { name: 'seed: "of the Donbas" keeps the article the engine chose (glossary: en Donbas, article left open)', lang: 'en', source: SEED.donbass,
      engine: 'Moscow has launched his operation be a member of Ukraine in February 2022 in front of the increasing attacks of Kiev against the republics pro-Russian of the Donbass and to the Nato failure to satisfy the demands persistantes of Russia in matter of guarantees of security in the middle of the increasing calls to the adhesion of Ukraine to the NATO, what would finish for situating hostile western soldiers forces and armements to the Russian border.',
      expected: 'Moscow has launched his operation be a member of Ukraine in February 2022 in front of the increasing attacks of Kyiv against the republics pro-Russian of the Donbas and to the Nato failure to satisfy the demands persistantes of Russia in matter of guarantees of security in the middle of the increasing calls to the adhesion of Ukraine to the NATO, what would finish for situating hostile western soldiers forces and armements to the Russian border.',
      flags: [{ code: 'SOURCE_STRAY_STOP' }], failedTerms: ['OTAN'] },
    { name: 'seed: Els Estats Units at the start keeps one article; the amount in Catalan', lang: 'ca', source: SEED.package,
      engine: 'Els Estats Units han anunciat un nou programa d\'ajuda militar de 9900001 per a Ucraïna al començament del mes, que comprendria municions de carro, dels radars de vigilància aèria, dels coets antitancs i dels camions-cisternes.',
      unknown: unknown('fra-cat', '9900001'),
      expected: 'Els Estats Units han anunciat un nou programa d\'ajuda militar de 2.600 milions de dòlars per a Ucraïna al començament del mes, que comprendria municions de carro, dels radars de vigilància aèria, dels coets antitancs i dels camions-cisternes.',
      flags: [], failedTerms: [] },
    { name: 'seed: the amount in Spanish, no number mismatch', lang: 'es', source: SEED.package,
      engine: 'Los Estados Unidos han anunciado un nuevo programa de ayuda militar de 9900001 para Ucrania al principio del mes, que comprendería municiones de carro, de los radares de vigilancia aérea, de los cohetes anticarros y de los camiones-cisternas.',
      expected: 'Los Estados Unidos han anunciado un nuevo programa de ayuda militar de 2600 millones de dólares para Ucrania al principio del mes, que comprendería municiones de carro, de los radares de vigilancia aérea, de los cohetes anticarros y de los camiones-cisternas.',
      flags: [], failedTerms: [] },
    { name: 'seed: the West, with an article; Zelenskyy', lang: 'en', source: SEED.zelensky,
      engine: 'Whereas Moscow has reasserted that was opened to the pourparlers with Kiev, the president ukrainien ZZGA, supported by the Occident, has signed a decree in October 2022 that would forbid all negotiation with Russia.',
      expected: 'Whereas Moscow has reasserted that was opened to the pourparlers with Kyiv, the president ukrainien Volodymyr Zelenskyy, supported by the West, has signed a decree in October 2022 that would forbid all negotiation with Russia.',
      flags: [], failedTerms: [] },
    { name: 'a colon does not start a sentence: dos campos: la Federación de Rusia', lang: 'es', source: 'Il y a deux camps : la Fédération de Russie et l’Ukraine.',
      engine: 'Hay dos campos : Federación Rusa y Ucrania.',
      expected: 'Hay dos campos: la Federación de Rusia y Ucrania.', flags: [{ code: 'ARTICLE_RESTORED', subject: 'Federación de Rusia' }], failedTerms: [] },
    { name: 'two fields: the Russian Federation', lang: 'en', source: 'Il y a deux camps : la Fédération de Russie et l’Ukraine.',
      engine: 'There are two fields : Russian Federation and Ukraine.', expected: 'There are two fields: the Russian Federation and Ukraine.', flags: [], failedTerms: [] },
    { name: 'no article inside a compound: la cumbre Rusia-OTAN', lang: 'es', source: 'Le sommet Russie-OTAN a échoué.',
      engine: 'La cumbre Rusia-OTAN ha fracasado.', expected: 'La cumbre Rusia-OTAN ha fracasado.', flags: [], failedTerms: [] },
    { name: 'no article inside a compound: la cimera Rússia-OTAN', lang: 'ca', source: 'Le sommet Russie-OTAN a échoué.',
      engine: 'La cimera Rússia-OTAN ha fracassat.', expected: 'La cimera Rússia-OTAN ha fracassat.', flags: [], failedTerms: [] },
    { name: 'without the probed renderings "Federación Rusa" cannot be found: the term is retried', lang: 'es', source: 'Il y a deux camps : la Fédération de Russie et l’Ukraine.',
      engine: 'Hay dos campos : Federación Rusa y Ucrania.', renderings: new Map(),
      expected: 'Hay dos campos: Federación Rusa y Ucrania.', flags: [], failedTerms: ['Fédération de Russie'] },

    // ---------------------------------------------------------------- placeholders (the retry)
    { name: 'retry: del Donbás, de la OTAN, a la OTAN', lang: 'es', source: SEED.donbass, force: [...ALL_TERMS],
      engine: 'ZZGA ha lanzado su operación militar en ZZGB en febrero 2022 frente a los ataques crecientes de ZZGC contra las repúblicas pro-ruso de ZZGD y al fracaso de ZZGE a satisfacer las demandas persistantes de ZZGF en materia de garantías de seguridad en medio de las llamadas crecientes a la adhesión de ZZGG a ZZGH, lo que acabaría por ubicar militares occidentales hostiles fuerzas y armements a la frontera rusa.',
      expected: 'Moscú ha lanzado su operación militar en Ucrania en febrero de 2022 frente a los ataques crecientes de Kiev contra las repúblicas pro-ruso del Donbás y al fracaso de la OTAN a satisfacer las demandas persistantes de Rusia en materia de garantías de seguridad en medio de las llamadas crecientes a la adhesión de Ucrania a la OTAN, lo que acabaría por ubicar militares occidentales hostiles fuerzas y armements a la frontera rusa.',
      flags: [{ code: 'SOURCE_STRAY_STOP' }], failedTerms: [] },
    { name: 'retry: del Donbass, de l’OTAN, d’Ucraïna', lang: 'ca', source: SEED.donbass, force: [...ALL_TERMS],
      engine: 'ZZGA ha llançat la seva operació militar en ZZGB al febrer 2022 davant els atacs creixents de ZZGC contra les repúbliques pro-russes de ZZGD i al fracàs de ZZGE a satisfer les demandes persistents de ZZGF en matèria de garanties de seguretat al mig de les crides creixents a l\'adhesió de ZZGG a ZZGH, la qual cosa acabaria per posar militars occidentals hostils forces i armaments a la frontera russa.',
      expected: 'Moscou ha llançat la seva operació militar en Ucraïna al febrer de 2022 davant els atacs creixents de Kíiv contra les repúbliques pro-russes del Donbass i al fracàs de l’OTAN a satisfer les demandes persistents de Rússia en matèria de garanties de seguretat al mig de les crides creixents a l\'adhesió d’Ucraïna a l’OTAN, la qual cosa acabaria per posar militars occidentals hostils forces i armaments a la frontera russa.',
      flags: [{ code: 'SOURCE_STRAY_STOP' }], failedTerms: [] },
    { name: 'retry: NATO and Donbas without an article, Moscow has', lang: 'en', source: SEED.donbass, force: [...ALL_TERMS],
      engine: 'ZZGA Has launched his operation be a member of ZZGB in February 2022 in front of the increasing attacks of ZZGC against the republics pro-Russian of ZZGD and to the failure of ZZGE to satisfy the demands persistantes of ZZGF in matter of guarantees of security in the middle of the increasing calls to the adhesion of ZZGG to ZZGH, what would finish for situating hostile western soldiers forces and armements to the Russian border.',
      expected: 'Moscow has launched his operation be a member of Ukraine in February 2022 in front of the increasing attacks of Kyiv against the republics pro-Russian of Donbas and to the failure of NATO to satisfy the demands persistantes of Russia in matter of guarantees of security in the middle of the increasing calls to the adhesion of Ukraine to NATO, what would finish for situating hostile western soldiers forces and armements to the Russian border.',
      flags: [{ code: 'SOURCE_STRAY_STOP' }], failedTerms: [],
      termsApplied: [
        { termId: 'Moscou', form: 'Moscow', strategy: 'placeholder' }, { termId: 'Ukraine', form: 'Ukraine', strategy: 'placeholder' },
        { termId: 'Kiev', form: 'Kyiv', strategy: 'placeholder' }, { termId: 'Donbass', form: 'Donbas', strategy: 'placeholder' },
        { termId: 'OTAN', form: 'NATO', strategy: 'placeholder' }, { termId: 'Russie', form: 'Russia', strategy: 'placeholder' },
        { termId: 'Ukraine', form: 'Ukraine', strategy: 'placeholder' }, { termId: 'OTAN', form: 'NATO', strategy: 'placeholder' },
      ] },
    { name: 'retry: sentence-initial Los Estados Unidos', lang: 'es', source: SEED.package, force: ['États-Unis'],
      engine: 'ZZGA han anunciado un nuevo programa de ayuda militar de 9900001 para Ucrania al principio del mes, que comprendería municiones de carro, de los radares de vigilancia aérea, de los cohetes anticarros y de los camiones-cisternas.',
      expected: 'Los Estados Unidos han anunciado un nuevo programa de ayuda militar de 2600 millones de dólares para Ucrania al principio del mes, que comprendería municiones de carro, de los radares de vigilancia aérea, de los cohetes anticarros y de los camiones-cisternas.',
      flags: [], failedTerms: [] },
    { name: 'retry: sentence-initial The United States have', lang: 'en', source: SEED.package, force: ['États-Unis'],
      engine: 'ZZGA Have announced a new program of military help of 9900001 for Ukraine at the beginning of the month, that would comprise ammunitions of cart, of the radars of aerial surveillance, of the rockets anticarros and of the trucks-cisternas.',
      unknown: [...unknown('fr-es', 'ZZGA', '9900001'), ...unknown('spa-eng', 'ZZGA', '9900001', 'anticarros', 'cisternas')],
      expected: 'The United States have announced a new program of military help of $2.6 billion for Ukraine at the beginning of the month, that would comprise ammunitions of cart, of the radars of aerial surveillance, of the rockets anticarros and of the trucks-cisternas.',
      flags: [{ code: 'UNKNOWN_WORD', subject: 'anticarros' }, { code: 'UNKNOWN_WORD', subject: 'cisternas' }], failedTerms: [] },
    { name: 'retry: aux États-Unis → als Estats Units', lang: 'ca', source: 'Kiev a demandé aux États-Unis des armes.', force: ['États-Unis'],
      engine: 'Kíiv ha demanat a ZZGA de les armes.', expected: 'Kíiv ha demanat als Estats Units de les armes.', flags: [], failedTerms: [] },
    { name: 'retry: aux États-Unis → a los Estados Unidos', lang: 'es', source: 'Kiev a demandé aux États-Unis des armes.', force: ['États-Unis'],
      engine: 'Kiev ha pedido a ZZGA de las armas.', expected: 'Kiev ha pedido a los Estados Unidos de las armas.', flags: [], failedTerms: [] },
    { name: 'retry: sentence-initial L’OTAN', lang: 'ca', source: 'L’OTAN a renforcé sa présence en Allemagne.', force: ['OTAN'],
      engine: 'ZZGA ha reforçat la seva presència a Alemanya.', expected: 'L’OTAN ha reforçat la seva presència a Alemanya.', flags: [], failedTerms: [] },
    { name: 'retry: sentence-initial La OTAN', lang: 'es', source: 'L’OTAN a renforcé sa présence en Allemagne.', force: ['OTAN'],
      engine: 'ZZGA ha reforzado su presencia en Alemania.', expected: 'La OTAN ha reforzado su presencia en Alemania.', flags: [], failedTerms: [] },
    { name: 'retry: NATO has, no article', lang: 'en', source: 'L’OTAN a renforcé sa présence en Allemagne.', force: ['OTAN'],
      engine: 'ZZGA Has reinforced his presence in Germany.', expected: 'NATO has reinforced his presence in Germany.', flags: [], failedTerms: [] },
    { name: 'retry: Catalan elides de before a vowel: d’Alemanya', lang: 'ca', source: 'Les forces d’Allemagne et de Russie.', force: ['Allemagne'],
      engine: 'Les forces de ZZGA i de Rússia.', expected: 'Les forces d’Alemanya i de Rússia.', flags: [], failedTerms: [] },
    { name: 'Spanish does not elide: de Alemania', lang: 'es', source: 'Les forces d’Allemagne et de Russie.', force: ['Allemagne'],
      engine: 'Las fuerzas de ZZGA y de Rusia.', expected: 'Las fuerzas de Alemania y de Rusia.', flags: [], failedTerms: [] },
    { name: 'Catalan elides de before a person’s name: d’Antony Blinken', lang: 'ca', source: 'Les déclarations d’Antony Blinken ont surpris Moscou.',
      engine: 'Les declaracions de ZZGA han sorprès Moscou.', expected: 'Les declaracions d’Antony Blinken han sorprès Moscou.', flags: [], failedTerms: [] },
    { name: 'Occitan elides de and que before a person’s name: d’Antony, qu’Antony', lang: 'oc', source: 'Il dit qu’Antony Blinken parle d’Antony Blinken.',
      engine: 'Ditz que ZZGA parla de ZZGB.', expected: 'Ditz qu’Antony Blinken parla d’Antony Blinken.', flags: [], failedTerms: [] },
    { name: 'Catalan does not elide que: que Antony', lang: 'ca', source: 'Il dit qu’Antony Blinken viendra.',
      engine: 'Diu que ZZGA vindrà.', expected: 'Diu que Antony Blinken vindrà.', flags: [], failedTerms: [] },
    { name: 'Spanish percentages take el after a preposition (as raw Apertium): al, del, contra el', lang: 'es', source: 'Le taux passe de 3 % à 4 %, contre 5,2 % hier.',
      engine: 'La tasa pasa de 9900001 a 9900002, contra 9900003 ayer.', expected: 'La tasa pasa del 3\u00A0% al 4\u00A0%, contra el 5,2\u00A0% ayer.', flags: [], failedTerms: [] },
    { name: 'Spanish percentage after a verb: no article', lang: 'es', source: 'Il a obtenu 52 % des voix.',
      engine: 'Ha obtenido 9900001 de las voces.', expected: 'Ha obtenido 52\u00A0% de las voces.', flags: [], failedTerms: [] },
    { name: 'quoted words the engine moved out of their marks go back inside', lang: 'en', source: 'Il parle de « la Russie éternelle ».',
      engine: 'Speech of the eternal Russia “”.', expected: 'Speech of “the eternal Russia”.', flags: [], failedTerms: [], termsApplied: [{ termId: 'Russie', form: 'Russia', strategy: 'engine' }] },
    { name: 'an emptied quote that cannot be refilled is flagged, not published silently', lang: 'es', source: 'Il dit « oui » puis « non ».',
      engine: 'Dice «» luego «no».', expected: 'Dice «» luego «no».', flags: [{ code: 'PUNCTUATION_STYLE', subject: '«»' }], failedTerms: [] },
    { name: 'no blank at the ends, none after ¿, and the capital the source begins with', lang: 'es', source: 'Est-ce qu’elle est due à la mer ?',
      engine: '¿ está debida al mar? ', expected: '¿Está debida al mar?', flags: [], failedTerms: [] },
    { name: 'Esperanto: numbers and acronyms it marks as not inflected are no unknown words; the capital comes back', lang: 'eo', source: 'Le 3 mars 2024, l’OTAN a parlé.',
      engine: 'la 3an de marto 2024, NATO parolis.', unknown: [{ word: '2024', mark: '#', stage: 'fr-eo' }, { word: 'NATO', mark: '#', stage: 'fr-eo' }, { word: 'parolis', mark: '#', stage: 'fr-eo' }],
      expected: 'La 3an de marto 2024, NATO parolis.', flags: [{ code: 'UNKNOWN_WORD', subject: 'parolis' }], failedTerms: [], termsApplied: [] },
    { name: 'a glossary form the French holds in another name does not count for the term ("West" of West Point)', lang: 'en', source: 'L’Occident a formé ses officiers à West Point.',
      engine: 'The Occident has formed his officials to West Point.', expected: 'The West has formed his officials to West Point.', flags: [], failedTerms: [],
      termsApplied: [{ termId: 'Occident', form: 'West', strategy: 'rewrite' }] },
    { name: 'the French name left beside the glossary form the engine wrote for another word is rewritten', lang: 'en', source: 'L’Occident et l’Ouest ne sont pas la même chose.',
      engine: 'The Occident and the West are not the same thing.', expected: 'The West and the West are not the same thing.', flags: [], failedTerms: [],
      termsApplied: [{ termId: 'Occident', form: 'West', strategy: 'rewrite' }] },
    { name: 'a list item marker comes back as written, and the word after it keeps its lowercase', lang: 'en', source: 'a) pour les couples',
      engine: 'ZZVA For the couples', expected: 'a) for the couples', flags: [], failedTerms: [], termsApplied: [] },
    { name: 'a one-word heading the target writes the same is not flagged untranslated', lang: 'ca', source: 'Vents',
      engine: 'Vents', expected: 'Vents', flags: [], failedTerms: [], termsApplied: [] },
    { name: 'Catalan percentages stay as the engine writes them', lang: 'ca', source: 'Le chômage a baissé à 7,1 %.',
      engine: "L'atur ha baixat a 9900001.", expected: "L'atur ha baixat a 7,1\u00A0%.", flags: [], failedTerms: [] },
    { name: 'two people: Antony Blinken and Volodymyr Zelenskyy', lang: 'en', source: 'Antony Blinken et Volodymyr Zelensky ont discuté de la guerre en Ukraine.',
      engine: 'ZZGA And ZZGB have conversed of the war in Ukraine.',
      unknown: [...unknown('fr-es', 'ZZGA', 'ZZGB'), ...unknown('spa-eng', 'ZZGA', 'ZZGB')],
      expected: 'Antony Blinken and Volodymyr Zelenskyy have conversed of the war in Ukraine.', flags: [], failedTerms: [],
      termsApplied: [
        { termId: 'Antony Blinken', form: 'Antony Blinken', strategy: 'kept' }, { termId: 'Volodymyr Zelensky', form: 'Volodymyr Zelenskyy', strategy: 'placeholder' },
        { termId: 'Ukraine', form: 'Ukraine', strategy: 'engine' },
      ] },

    // ---------------------------------------------------------------- QA flags
    { name: 'a lost name placeholder is flagged', lang: 'es', source: SEED.biden,
      engine: 'Hasta ahora, la administración ha comprometido más de 9900001 de ayuda a la “seguridad” desde el comienzo del conflicto de 2022.',
      expected: 'Hasta ahora, la administración ha comprometido más de 31\u00A0700 millones de dólares de ayuda a la «seguridad» desde el comienzo del conflicto de 2022.',
      flags: [{ code: 'TERM_UNVERIFIED', subject: 'Biden' }], failedTerms: [] },
    { name: 'a lost amount placeholder is flagged, and so is the missing number', lang: 'en', source: SEED.biden,
      engine: 'Up to now, the administration ZZGA has engaged more than of help to the “security” from the beginning of the conflict of 2022.',
      expected: 'Up to now, the administration Biden has engaged more than of help to the “security” from the beginning of the conflict of 2022.',
      flags: [{ code: 'TERM_UNVERIFIED', subject: '31,7 milliards de dollars' }, { code: 'NUMBER_MISMATCH', subject: '31700000000' }], failedTerms: [] },
    { name: 'a year the engine changed is a number mismatch', lang: 'ca', source: SEED.zelensky,
      engine: 'Mentre que Moscou ha reiterat que estava oberta a les negociacions amb Kíiv, el president ucraïnès ZZGA, apadrinat per l\'Occident, ha signat un decret a l\'octubre 2023 que prohibiria tota negociació amb Rússia.',
      expected: 'Mentre que Moscou ha reiterat que estava oberta a les negociacions amb Kíiv, el president ucraïnès Volodímir Zelenski, apadrinat per l\'Occident, ha signat un decret a l\'octubre de 2023 que prohibiria tota negociació amb Rússia.',
      flags: [{ code: 'NUMBER_MISMATCH', subject: '2022' }], failedTerms: [] },
    { name: 'an engine echo of the source is untranslated', lang: 'ca', source: SEED.delegations, engine: SEED.delegations,
      expected: SEED.delegations, flags: [{ code: 'UNTRANSLATED' }], failedTerms: [] },
    { name: 'a translation is not untranslated', lang: 'ca', source: SEED.delegations,
      engine: 'És mentre que les delegacions russa i ucraïnesa s\'han compromès en diverses sèries de negociacions de pau des del començament de les operacions militars, encara que les negociacions hagin desembocat finalment a un atzucac.',
      expected: 'És mentre que les delegacions russa i ucraïnesa s\'han compromès en diverses sèries de negociacions de pau des del començament de les operacions militars, encara que les negociacions hagin desembocat finalment a un atzucac.',
      flags: [], failedTerms: [] },
  ])('$lang: $name', (row) => {
    const r = restore(row);
    expect(r.target).toBe(row.expected);
    if (row.flags) {
      expect(r.flags.map((f) => f.code)).toEqual(row.flags.map((f) => f.code));
      expect(r.flags).toMatchObject(row.flags);
    }
    if (row.failedTerms) expect(r.failedTerms).toEqual(row.failedTerms);
    if (row.termsApplied) expect(r.termsApplied).toEqual(row.termsApplied);
  });

  test.for<{ name: string; unknown: UnknownWord; message: RegExp }>([
    { name: 'unknown in the source', unknown: { word: 'pourparlers', mark: '*', stage: 'fr-es' }, message: /engine \(fr-es\) did not know "pourparlers" \(unknown word\)/ },
    { name: 'missing from the bilingual dictionary', unknown: { word: 'ukrainien', mark: '@', stage: 'fr-es' }, message: /\(missing from the bilingual dictionary\)/ },
    { name: 'could not be inflected', unknown: { word: 'ruso', mark: '#', stage: 'fr-es' }, message: /"ruso" \(could not be inflected\)/ },
  ])('UNKNOWN_WORD: $name', ({ unknown: word, message }) => {
    const prepared = prepareSegment('s1', SEED.delegations, glossary);
    const r = restoreSegment(prepared, 'Es mientras que las delegaciones rusas y ukrainienne se han comprometido', 'es', RENDERINGS.es!, [word]);
    expect(r.flags).toHaveLength(1);
    expect(r.flags[0]).toMatchObject({ code: 'UNKNOWN_WORD', subject: word.word });
    expect(r.flags[0]!.message).toMatch(message);
  });

  test('UNKNOWN_WORD: one flag per word, from the first hop that did not know it', () => {
    // fr→es→en: "Rouget" unknown to fr-es twice, then (passed through) to spa-eng twice; "aventajado"
    // is Spanish that fr-es made and spa-eng did not know.
    const prepared = prepareSegment('s1', 'Rouget regarda Rouget, plein de ruse.', glossary);
    const words: UnknownWord[] = [
      { word: 'Rouget', mark: '*', stage: 'fr-es' }, { word: 'Rouget', mark: '*', stage: 'fr-es' },
      { word: 'Rouget', mark: '*', stage: 'spa-eng' }, { word: 'aventajado', mark: '*', stage: 'spa-eng' }, { word: 'Rouget', mark: '*', stage: 'spa-eng' },
    ];
    const r = restoreSegment(prepared, 'Rouget looked at Rouget, full of aventajado.', 'en', RENDERINGS.en!, words);
    expect(r.flags.filter((f) => f.code === 'UNKNOWN_WORD').map((f) => f.message)).toEqual([
      'the engine (fr-es) did not know "Rouget" (unknown word)',
      'the engine (spa-eng) did not know "aventajado" (unknown word)',
    ]);
  });
});

describe('replaceWholeWord', () => {
  test.for<{ name: string; text: string; from: string; to: string; expected: string }>([
    { name: 'seed: Federación Rusa → Federación de Rusia', text: 'durante un referéndum de coger Federación Rusa después del comienzo',
      from: 'Federación Rusa', to: 'Federación de Rusia', expected: 'durante un referéndum de coger Federación de Rusia después del comienzo' },
    { name: 'every occurrence', text: 'the attacks of Kiev against the republics, the diet of Kiev', from: 'Kiev', to: 'Kyiv',
      expected: 'the attacks of Kyiv against the republics, the diet of Kyiv' },
    { name: 'a hyphen is a word boundary', text: 'excludes the pourparlers Moscow-Kiev', from: 'Kiev', to: 'Kyiv', expected: 'excludes the pourparlers Moscow-Kyiv' },
    { name: 'an apostrophe is a word boundary', text: 'la alianza d\'Occident', from: 'Occident', to: 'Occidente', expected: 'la alianza d\'Occidente' },
    { name: 'a lowercase first letter matches', text: 'the president ukrainien, supported by the occident, has signed', from: 'Occident', to: 'West',
      expected: 'the president ukrainien, supported by the West, has signed' },
    { name: 'any space inside the form matches', text: 'los Estados\u00A0Unidos y sus aliados', from: 'Estados Unidos', to: 'EE. UU.', expected: 'los EE. UU. y sus aliados' },
    { name: 'not inside a longer word: Occidente is not Occident', text: 'apadrinado por el Occidente', from: 'Occident', to: 'Occidente', expected: 'apadrinado por el Occidente' },
    { name: 'not inside a longer word: Kievan', text: 'the Kievan Rus', from: 'Kiev', to: 'Kyiv', expected: 'the Kievan Rus' },
    { name: 'only the first letter is case-insensitive', text: 'the Nato military alliance', from: 'NATO', to: 'OTAN', expected: 'the Nato military alliance' },
    { name: 'regular-expression characters are literal', text: 'the U.S. and his allies, not USA', from: 'U.S.', to: 'United States', expected: 'the United States and his allies, not USA' },
  ])('$name', ({ text, from, to, expected }) => {
    expect(replaceWholeWord(text, from, to)).toBe(expected);
  });
});
