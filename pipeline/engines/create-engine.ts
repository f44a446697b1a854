import { RelaisError } from '../errors.js';
import { ApertiumEngine } from './apertium.js';
import { PseudoEngine } from './pseudo.js';
import type { Engine } from './engine.js';

export const ENGINE_NAMES = ['apertium', 'pseudo'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export function createEngine(name: string): Engine {
  switch (name) {
    case 'apertium':
      return new ApertiumEngine();
    case 'pseudo':
      return new PseudoEngine(pseudoOptionsFromEnv());
    default:
      throw new RelaisError('ENGINE_UNKNOWN', `unknown engine "${name}"`, { hint: `Use one of: ${ENGINE_NAMES.join(', ')}.` });
  }
}

/** `RELAIS_PSEUDO_EXPANSION=0.5` makes pseudo-translations 50 % longer than the source (default 0.3). */
function pseudoOptionsFromEnv(): { expansion?: number } {
  const raw = process.env.RELAIS_PSEUDO_EXPANSION;
  if (raw === undefined || raw === '') return {};
  const expansion = Number(raw);
  if (!Number.isFinite(expansion) || expansion < 0 || expansion > 3) {
    throw new RelaisError('OPTION_INVALID', `RELAIS_PSEUDO_EXPANSION must be a number from 0 to 3, got "${raw}"`, { hint: 'For example RELAIS_PSEUDO_EXPANSION=0.4 for text 40 % longer.' });
  }
  return { expansion };
}
