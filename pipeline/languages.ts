/** Language codes relais accepts on the command line and in glossary.yaml (BCP 47, hyphenated). */
import { RelaisError } from './errors.js';
import type { Lang } from './artifacts.js';

export const KNOWN_LANGUAGES: ReadonlySet<string> = new Set([
  'fr', 'en', 'es', 'ca', 'eo', 'oc', 'pt', 'it', 'de', 'nl', 'en-US', 'en-GB', 'pt-BR', 'pt-PT',
]);

const BCP47 = /^[a-z]{2,3}(-[A-Z]{2})?$/;

export function validateTargets(targets: readonly string[], source: Lang): Lang[] {
  if (targets.length === 0) throw new RelaisError('OPTION_INVALID', 'no target language given', { hint: 'For example: --to en,es,ca' });
  const out: Lang[] = [];
  for (const raw of targets) {
    const t = raw.trim();
    if (!BCP47.test(t)) {
      const fixed = canonicalTag(t);
      throw new RelaisError('OPTION_INVALID', `"${t}" is not a language code`, {
        hint: fixed !== undefined && BCP47.test(fixed)
          ? `Did you mean "${fixed}"? relais uses BCP 47 codes ${t.includes('_') ? 'with a hyphen' : 'in this casing (en, en-GB)'}.`
          : 'Use BCP 47 codes such as en, es, ca, en-GB.',
      });
    }
    if (!KNOWN_LANGUAGES.has(t)) throw new RelaisError('LANGUAGE_UNSUPPORTED', `unknown language "${t}"`, { hint: `Known: ${[...KNOWN_LANGUAGES].join(', ')}.` });
    if (t === source) {
      throw new RelaisError('OPTION_INVALID', `"${t}" is the source language; it is published as written`, {
        hint: `Leave it out of --to: the ${t} bundle is always published next to the translations.`,
      });
    }
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** en_us → en-US, EN → en, sr_latn_rs → sr-Latn-RS; undefined if it does not even look like a tag. */
export function canonicalTag(code: string): string | undefined {
  const parts = code.trim().split(/[-_]/);
  if (parts.some((p) => !/^[A-Za-z0-9]+$/.test(p))) return undefined;
  const [lang, ...rest] = parts;
  if (!lang || !/^[A-Za-z]{2,3}$/.test(lang)) return undefined;
  return [
    lang.toLowerCase(),
    ...rest.map((p) => (/^[A-Za-z]{4}$/.test(p) ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p.toUpperCase())),
  ].join('-');
}
