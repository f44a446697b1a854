import type { GlossaryTerm, Lang, TargetForm } from '../artifacts.js';

/**
 * A term's form for a target language: its own entry (`en-GB:`), else the entry of its base language
 * (`en:` serves en-GB and en-US, `pt:` serves pt-BR), else undefined (the source form is kept).
 */
export function targetFor(term: GlossaryTerm, lang: Lang): TargetForm | undefined {
  return term.targets[lang] ?? term.targets[lang.split('-')[0]!];
}
