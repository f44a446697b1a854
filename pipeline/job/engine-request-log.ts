/**
 * Test-only: with RELAIS_ENGINE_LOG=<file>, the translate stage appends one JSON line per engine request
 * before it sends it — which segments, for which language, serving which languages (a request for `en`
 * through Apertium also yields `es`). The crash-safety harness (`test/chaos/`) reads it to prove that a
 * resumed run asks the engine for no segment that was already journaled. Unset, it costs one comparison.
 */
import { appendFileSync } from 'node:fs';
import type { Lang } from '../artifacts.js';

export interface EngineRequestLogEntry {
  namespace: string;
  /** The language the request is made for. */
  lang: Lang;
  /** Languages its answer is journaled for (`lang`, and a pivot that comes with it). */
  serves: readonly Lang[];
  /** Segment ids sent. */
  ids: readonly string[];
  /** A second request for a segment being finished (placeholder or tag retry). */
  retry?: boolean;
}

const logFile = process.env.RELAIS_ENGINE_LOG || undefined;

export function logEngineRequest(entry: EngineRequestLogEntry): void {
  if (logFile) appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
}
