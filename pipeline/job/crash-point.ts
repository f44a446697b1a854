/**
 * Test-only crash points: the crash-safety harness (`test/chaos/`) kills relais with a real SIGKILL at
 * a chosen durable step, so that every failure it finds can be replayed by its label.
 *
 *   RELAIS_CRASH_AT=journal:article-2/ca:3    the 3rd time that point is reached, SIGKILL ourselves
 *   RELAIS_CRASH_TRACE=/tmp/points.txt        append every point reached, one label a line
 *
 * Each durable step calls `crashPoint(label)` just before it becomes visible (a write before its rename,
 * a journal line before its append, a language before its symlink swap…). With neither variable set it
 * costs one comparison. Labels are `<kind>:<what>`; the kinds are listed in `CRASH_POINT_KINDS`.
 */
import { appendFileSync } from 'node:fs';

/** Kinds of crash point, in pipeline order (the harness spreads its kills over all of them). */
export const CRASH_POINT_KINDS = [
  'job-lock', // the job lock: its temp file written (`created`), then linked into place (`held`)
  'lock-takeover', // the short lock under which a stale lock is removed
  'write', // an artifact written to its temp file, not yet renamed into place
  'journal', // translated segments about to be appended to a language's journal
  'journal-torn', // …half of them appended (as a power cut could leave it), then killed
  'locales-lock', // the publish lock of locales/
  'publish-file', // one bundle staged in a language's new version folder
  'publish-staged', // a language's new version folder complete, not yet swapped in
  'publish-swap', // a language swapped to its new version, the others not yet
] as const;

const target = parseTarget(process.env.RELAIS_CRASH_AT);
const traceFile = process.env.RELAIS_CRASH_TRACE || undefined;
const hits = new Map<string, number>();

/**
 * Kill this process with SIGKILL if `label` is the point chosen by RELAIS_CRASH_AT (after running
 * `beforeKill`, e.g. to leave half a line behind), and record it in RELAIS_CRASH_TRACE.
 */
export function crashPoint(label: string, beforeKill?: () => void): void {
  if (!target && !traceFile) return;
  if (traceFile) appendFileSync(traceFile, `${label}\n`);
  if (!target || label !== target.label) return;
  const n = (hits.get(label) ?? 0) + 1;
  hits.set(label, n);
  if (n !== target.hit) return;
  beforeKill?.();
  process.kill(process.pid, 'SIGKILL');
}

function parseTarget(value: string | undefined): { label: string; hit: number } | undefined {
  if (!value) return undefined;
  const at = value.lastIndexOf(':');
  const hit = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isSafeInteger(hit) || hit < 1) {
    throw new Error(`RELAIS_CRASH_AT must be <label>:<n> with n ≥ 1 (a test-only setting), got "${value}"`);
  }
  return { label: value.slice(0, at), hit };
}
