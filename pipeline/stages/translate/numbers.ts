/**
 * Numbers as a language writes them, so QA can compare source and target: "2,6" (fr) = "2.6" (en),
 * "1 234,5" (fr) = "1,234.5" (en), and with scale words "2,6 milliards" (fr) = "2.6 billion" (en) =
 * "2600 millones" (es) = "2.600 milions" (ca). Pure functions.
 */

import { timeSpans } from './times.js';

/** A number found in a text, with where it ends so a scale word after it can be read. */
interface FoundNumber {
  value: number;
  start: number;
  end: number;
}

/** Group separators: French/Spanish spaces (U+0020, NBSP, NNBSP, thin space) or a point (es/ca press). */
const SPACE = '[ \\u00A0\\u202F\\u2009]';

/**
 * Decimal comma languages (fr, es, ca and the default): digit groups of exactly three after a space or
 * a point; "2.6" is not a Spanish/French number, so it is not read (QA then reports the number as missing).
 */
const COMMA_DECIMAL = new RegExp(
  `(?<![\\p{L}\\p{N}.,])(\\d{1,3}(?:(?:${SPACE}\\d{3})+|(?:\\.\\d{3})+)|\\d+)(?:,(\\d+))?(?![\\p{N}]|[.,]\\d)`,
  'gu',
);
/** English: comma groups of three, decimal point ("1,234.5"); "2,6" left by an engine is not read as 2.6. */
const POINT_DECIMAL = /(?<![\p{L}\p{N}.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\p{N}]|[.,]\d)/gu;

/** Every number of `text` written in `lang`'s conventions, years included ("février 2022" → 2022). */
export function extractNumbers(text: string, lang: string): number[] {
  return findNumbers(text, lang).map((n) => n.value);
}

/**
 * Like `extractNumbers`, with a following scale word applied: "2,6 milliards" → 2.6e9, "2.6 billion" →
 * 2.6e9, "2600 millones" → 2.6e9, "2.600 milions" → 2.6e9. French "billion" is 10¹², as is Spanish
 * "billón" and Catalan "bilió"; English "billion" is 10⁹.
 */
export function extractQuantities(text: string, lang: string): number[] {
  const scales = SCALE_WORDS[baseLang(lang)] ?? [];
  const found = findNumbers(text, lang);
  const values = found.map((n) => applyScale(n, text, scales));
  // A range writes its scale once: "2 à 3 milliards" is 2e9 to 3e9 (and "2 to €3 billion", "2000 a 3000 millones").
  const connector = RANGE_CONNECTORS[baseLang(lang)];
  for (let i = found.length - 2; i >= 0; i--) {
    const [n, next] = [found[i]!, found[i + 1]!];
    if (!connector || values[i] !== n.value || values[i + 1] === next.value) continue;
    if (!connector.test(text.slice(n.end, next.start))) continue;
    values[i] = n.value * (values[i + 1]! / next.value);
  }
  return values;
}

/** What joins the two numbers of a range ("2 à 3", "2 to $3", "2000 a 3000"). */
const RANGE_CONNECTORS: Readonly<Record<string, RegExp>> = {
  fr: new RegExp(`^${SPACE}*(?:à|et|ou|-|–)${SPACE}*$`, 'u'),
  en: new RegExp(`^${SPACE}*(?:to|and|or|-|–)${SPACE}*[$€£¥]?$`, 'u'),
  es: new RegExp(`^${SPACE}*(?:a|y|o|-|–)${SPACE}*$`, 'u'),
  ca: new RegExp(`^${SPACE}*(?:a|i|o|-|–)${SPACE}*$`, 'u'),
  eo: new RegExp(`^${SPACE}*(?:ĝis|kaj|aŭ|-|–)${SPACE}*$`, 'u'),
  oc: new RegExp(`^${SPACE}*(?:a|e|o|-|–)${SPACE}*$`, 'u'),
};

function findNumbers(text: string, lang: string): FoundNumber[] {
  const pattern = baseLang(lang) === 'en' ? POINT_DECIMAL : COMMA_DECIMAL;
  // The digits of a time of day are no quantity: "14h30" is not 14, "2:30 p.m." not 2 and 30 (see extractTimes).
  const times = /\d/u.test(text) ? timeSpans(text, lang) : [];
  return [...text.matchAll(pattern)].filter((m) => !times.some((t) => m.index! < t.end && m.index! + m[0].length > t.start)).map((m) => ({
    value: Number(`${m[1]!.replace(/\D/gu, '')}.${m[2] ?? '0'}`),
    start: m.index!,
    end: m.index! + m[0].length,
  }));
}

/** Times of day of `text` in minutes after midnight ("14h30" in French, "2:30 p.m." in English → 870). */
export function extractTimes(text: string, lang: string): number[] {
  return /\d|noon|midnight/iu.test(text) ? timeSpans(text, lang).map((t) => t.minutes) : [];
}

/** 870 → "14:30", for messages. */
export function formatMinutes(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

function baseLang(lang: string): string {
  return lang.toLowerCase().split(/[-_]/u)[0]!;
}

type ScaleWord = readonly [pattern: string, exponent: number];

/** Longest first ("mil millones" before "mil"). Abbreviations only where the press uses them. */
const SCALE_WORDS: Readonly<Record<string, readonly ScaleWord[]>> = {
  fr: [['milliards?', 9], ['millions?', 6], ['billions?', 12], ['mille', 3], ['Mds?|Md', 9], ['M(?=\\s*[$€£])', 6]],
  en: [['trillions?|tn', 12], ['billions?|bn', 9], ['millions?|mn', 6], ['thousands?', 3]],
  es: [['mil millones', 9], ['millardos?', 9], ['millones|millón', 6], ['billones|billón', 12], ['mil', 3]],
  ca: [['mil milions', 9], ['milers de milions', 9], ['milions|milió', 6], ['bilions|bilió', 12], ['mil', 3]],
  // The words amounts.ts writes for Esperanto and Occitan (long scale: eo "biliono", oc "bilion" = 10¹²), any case ending.
  eo: [['miliardoj?n?', 9], ['milionoj?n?', 6], ['bilionoj?n?', 12], ['mil', 3]],
  oc: [['miliards?', 9], ['milions?', 6], ['bilions?', 12], ['mila', 3]],
};

function applyScale(n: FoundNumber, text: string, scales: readonly ScaleWord[]): number {
  const after = text.slice(n.end, n.end + 24);
  for (const [pattern, exponent] of scales) {
    if (new RegExp(`^${SPACE}*(?:${pattern})(?![\\p{L}])`, 'iu').test(after)) return Number(`${n.value}e${exponent}`);
  }
  return n.value;
}
