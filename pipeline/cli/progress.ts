/**
 * Draws stage progress on stderr: one line redrawn in place on a terminal, plain lines otherwise
 * (logs, CI, a pipe). Stages only emit events; this is the one place that prints them.
 */
import type { ProgressEvent } from '../artifacts.js';

export interface ProgressPrinterOptions {
  /** Where progress goes. @default process.stderr */
  stream?: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };
  /** Print nothing but warnings (`--quiet`, `--json`). @default false */
  quiet?: boolean;
  /**
   * Redraw one line in place (`\r` and ANSI erase) instead of printing plain lines.
   * @default the stream is a terminal and TERM is not `dumb`
   */
  live?: boolean;
  /** Applied to every line before it is written (the CLI removes secrets with it). @default identity */
  redact?: (text: string) => string;
}

export interface ProgressPrinter {
  /** Give this to `runJob({ onProgress })`. */
  onProgress: (e: ProgressEvent) => void;
  /** Erase a bar still drawn, so that what is printed next starts on a clean line. */
  finish: () => void;
}

/** Plain lines are printed at most at 0, 25, 50 and 75 % of each language (then "done"). */
const PLAIN_STEP = 25;
const BAR_WIDTH = 24;

export function createProgressPrinter(options: ProgressPrinterOptions = {}): ProgressPrinter {
  const stream = options.stream ?? process.stderr;
  const quiet = options.quiet === true;
  const live = options.live ?? (stream.isTTY === true && process.env.TERM !== 'dumb');
  const redact = options.redact ?? ((s: string) => s);
  const lastStep = new Map<string, number>();
  let barDrawn = false;

  const write = (text: string) => stream.write(redact(text));
  const finish = () => {
    if (barDrawn) stream.write('\r\x1b[2K');
    barDrawn = false;
  };

  const onProgress = (e: ProgressEvent) => {
    if (quiet && e.type !== 'warning') return;
    if (e.type === 'warning') {
      finish();
      write(`relais: warning: ${e.namespace ? `${e.namespace}: ` : ''}${e.message}\n`);
      return;
    }
    if (e.type === 'notice') {
      finish();
      write(`relais: ${e.message}\n`);
      return;
    }
    const where = `${e.namespace}${e.lang ? ` → ${e.lang}` : ''}`;
    switch (e.type) {
      case 'stage-start':
        if (e.stage === 'translate') {
          finish();
          write(`relais: translate ${where}: ${e.total ?? '?'} segments to translate\n`);
        }
        return;
      case 'stage-progress': {
        const total = Math.max(1, e.total);
        if (live) {
          const fill = Math.min(BAR_WIDTH, Math.round((BAR_WIDTH * e.done) / total));
          finish();
          write(`relais: ${e.stage} ${where} [${'#'.repeat(fill)}${'.'.repeat(BAR_WIDTH - fill)}] ${e.done}/${e.total}`);
          barDrawn = true;
          return;
        }
        const step = Math.floor((100 * e.done) / total / PLAIN_STEP) * PLAIN_STEP;
        if (step < 100 && step > (lastStep.get(where) ?? -1)) {
          lastStep.set(where, step);
          write(`relais: ${e.stage} ${where}: ${e.done}/${e.total} (${step}%)\n`);
        }
        return;
      }
      case 'stage-done':
        finish();
        write(`relais: ${e.stage} ${where} done in ${formatMs(e.ms)}${e.detail ? ` (${e.detail})` : ''}\n`);
        return;
    }
  };

  return { onProgress, finish };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}
