/**
 * glossary.yaml → the dictionaries of one DeepL multilingual (v3) glossary (pure).
 *
 * DeepL glossaries use base language codes (an `en` dictionary serves en-US and en-GB), so a relais
 * target `en-GB` reads the term's `en-GB` form only when the term has no plain `en` form. Every source
 * form (variants included) maps to the target form. A term without a form for a language adds nothing
 * to that language's dictionary: the translate stage already keeps such names as written.
 *
 * The glossary's name is `relais-<12 hex of sha256(dictionaries)>`, so an unchanged glossary.yaml finds
 * its DeepL glossary again on the next run and any change makes a new one.
 */
import { createHash } from 'node:crypto';
import type { Glossary, Lang } from '../artifacts.js';

export const GLOSSARY_NAME_PREFIX = 'relais-';

export interface GlossaryDictionary {
  /** Base codes, lower case, as DeepL's glossary endpoints want them. */
  sourceLang: string;
  targetLang: string;
  /** [source form, target form], sorted by source form. */
  entries: Array<[string, string]>;
}

/** `en-GB` → `en`. */
export function baseLanguage(lang: Lang): string {
  return lang.split('-')[0]!.toLowerCase();
}

/** One dictionary per target language that has at least one entry, sorted by target language. */
export function buildGlossaryDictionaries(glossary: Glossary): GlossaryDictionary[] {
  const source = baseLanguage(glossary.source);
  const bases = new Set<string>();
  for (const term of glossary.terms) for (const lang of Object.keys(term.targets)) bases.add(baseLanguage(lang));
  bases.delete(source);

  const dictionaries: GlossaryDictionary[] = [];
  for (const base of [...bases].sort()) {
    const entries = new Map<string, string>();
    for (const term of glossary.terms) {
      const target = term.targets[base] ?? Object.entries(term.targets).find(([l]) => baseLanguage(l) === base)?.[1];
      if (!target || target.form === '') continue;
      for (const form of term.forms) if (!entries.has(form)) entries.set(form, target.form);
    }
    if (entries.size === 0) continue;
    dictionaries.push({ sourceLang: source, targetLang: base, entries: [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) });
  }
  return dictionaries;
}

/** `relais-` + the first 12 hex digits of sha256 of the dictionaries. */
export function glossaryName(dictionaries: readonly GlossaryDictionary[]): string {
  const canon = JSON.stringify(dictionaries.map((d) => [d.sourceLang, d.targetLang, d.entries]));
  return `${GLOSSARY_NAME_PREFIX}${createHash('sha256').update(canon).digest('hex').slice(0, 12)}`;
}

/** A name relais gave to one of its glossaries (`relais-` + 12 hex). */
export function isRelaisGlossaryName(name: string): boolean {
  return /^relais-[0-9a-f]{12}$/.test(name);
}
