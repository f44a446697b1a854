import type { Glossary } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { ApertiumEngine } from './apertium.js';
import { DeepLEngine, type DeepLEvent } from './deepl.js';
import { PseudoEngine } from './pseudo.js';
import type { Engine, Lang } from './engine.js';

export const ENGINE_NAMES = ['apertium', 'deepl', 'pseudo'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface CreateEngineOptions {
  /** Source language of the articles. */
  sourceLang: Lang;
  /** The glossary; DeepL turns it into a DeepL glossary. */
  glossary?: Glossary;
  /** Where DEEPL_AUTH_KEY, DEEPL_SERVER_URL and RELAIS_PSEUDO_EXPANSION are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** DeepL requests in flight at once. @default 4 */
  concurrency?: number;
  /** DeepL requests started per second, at most. @default no cap */
  requestsPerSecond?: number;
  /** DeepL's progress and faults (retries, glossary reused/created/deleted), for the CLI. */
  onDeepLEvent?: (event: DeepLEvent) => void;
  /** DeepL: awaited before every request — a rate limit shared by several processes (queue workers). */
  beforeRequest?: () => Promise<void>;
  /**
   * DeepL: delete the account's other relais glossaries once this one exists. Off for queue workers,
   * which serve jobs with different glossaries at once: one would delete another's. @default true
   */
  deleteStaleGlossaries?: boolean;
}

export function createEngine(name: string, options: CreateEngineOptions = { sourceLang: 'fr' }): Engine {
  const env = options.env ?? process.env;
  switch (name) {
    case 'apertium':
      return new ApertiumEngine();
    case 'pseudo':
      return new PseudoEngine(pseudoOptionsFromEnv(env));
    case 'deepl': {
      const authKey = env.DEEPL_AUTH_KEY;
      if (authKey === undefined || authKey.trim() === '') {
        throw new RelaisError('ENGINE_AUTH', '--engine deepl needs a DeepL API key, and DEEPL_AUTH_KEY is not set', {
          hint: 'export DEEPL_AUTH_KEY=… (DeepL account → API keys; Free keys end in :fx), or use --engine apertium, which runs offline.',
        });
      }
      const serverUrl = env.DEEPL_SERVER_URL?.trim() || undefined;
      if (serverUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(serverUrl)) {
        throw new RelaisError('OPTION_INVALID', `DEEPL_SERVER_URL must be an http(s) URL, got "${serverUrl}"`, { hint: 'Unset it to use DeepL itself, e.g. `unset DEEPL_SERVER_URL`.' });
      }
      return new DeepLEngine({
        authKey: authKey.trim(),
        ...(serverUrl === undefined ? {} : { serverUrl }),
        sourceLang: options.sourceLang,
        ...(options.glossary ? { glossary: options.glossary } : {}),
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.requestsPerSecond === undefined ? {} : { intervalCap: options.requestsPerSecond, interval: 1000 }),
        // Names travel as <x> elements DeepL leaves alone; the translate stage checks every one.
        tagHandling: 'xml',
        ignoreTags: ['x'],
        ...(options.onDeepLEvent ? { onEvent: options.onDeepLEvent } : {}),
        ...(options.beforeRequest ? { beforeRequest: options.beforeRequest } : {}),
        ...(options.deleteStaleGlossaries === undefined ? {} : { deleteStaleGlossaries: options.deleteStaleGlossaries }),
      });
    }
    default:
      throw new RelaisError('ENGINE_UNKNOWN', `unknown engine "${name}"`, { hint: `Use one of: ${ENGINE_NAMES.join(', ')}.` });
  }
}

/** `RELAIS_PSEUDO_EXPANSION=0.5` makes pseudo-translations 50 % longer than the source (default 0.3). */
function pseudoOptionsFromEnv(env: NodeJS.ProcessEnv): { expansion?: number } {
  const raw = env.RELAIS_PSEUDO_EXPANSION;
  if (raw === undefined || raw === '') return {};
  const expansion = Number(raw);
  if (!Number.isFinite(expansion) || expansion < 0 || expansion > 3) {
    throw new RelaisError('OPTION_INVALID', `RELAIS_PSEUDO_EXPANSION must be a number from 0 to 3, got "${raw}"`, { hint: 'For example RELAIS_PSEUDO_EXPANSION=0.4 for text 40 % longer.' });
  }
  return { expansion };
}
