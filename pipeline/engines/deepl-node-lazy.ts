/**
 * deepl-node, loaded the first time a DeepL engine needs it: runs with Apertium or pseudo do not pay
 * for loading it (about 60 ms of every CLI start).
 */
import { createRequire } from 'node:module';
import type * as DeepLNode from 'deepl-node';

let loaded: typeof DeepLNode | undefined;

export function deeplNode(): typeof DeepLNode {
  return (loaded ??= createRequire(import.meta.url)('deepl-node') as typeof DeepLNode);
}
