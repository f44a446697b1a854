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
      const fixed = t.replace('_', '-');
      throw new RelaisError('OPTION_INVALID', `"${t}" is not a language code`, {
        hint: BCP47.test(fixed) ? `Did you mean "${fixed}"? relais uses BCP 47 codes with a hyphen.` : 'Use BCP 47 codes such as en, es, ca, en-GB.',
      });
    }
    if (!KNOWN_LANGUAGES.has(t)) throw new RelaisError('LANGUAGE_UNSUPPORTED', `unknown language "${t}"`, { hint: `Known: ${[...KNOWN_LANGUAGES].join(', ')}.` });
    if (t === source) throw new RelaisError('OPTION_INVALID', `"${t}" is the source language; it is published as written`);
    if (!out.includes(t)) out.push(t);
  }
  return out;
}
