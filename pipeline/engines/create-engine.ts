import { RelaisError } from '../errors.js';
import { ApertiumEngine } from './apertium.js';
import type { Engine } from './engine.js';

export const ENGINE_NAMES = ['apertium'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export function createEngine(name: string): Engine {
  switch (name) {
    case 'apertium':
      return new ApertiumEngine();
    default:
      throw new RelaisError('ENGINE_UNKNOWN', `unknown engine "${name}"`, { hint: `Use one of: ${ENGINE_NAMES.join(', ')}.` });
  }
}
