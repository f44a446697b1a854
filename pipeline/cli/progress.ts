/**
 * Draws stage progress on stderr: one line redrawn in place on a terminal, plain lines otherwise
 * (logs, CI). Stages only emit events; this is the one place that prints them.
 */
import type { ProgressEvent } from '../artifacts.js';

export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr, quiet = false): (e: ProgressEvent) => void {
  const tty = stream.isTTY === true;
  const lastPct = new Map<string, number>();
  let live = false;
  const clear = () => {
    if (live) stream.write('\r\x1b[2K');
    live = false;
  };
  return (e) => {
    if (quiet && e.type !== 'warning') return;
    const where = `${e.type === 'warning' ? '' : e.namespace}${'lang' in e && e.lang ? ` → ${e.lang}` : ''}`;
    switch (e.type) {
      case 'stage-start':
        if (e.stage === 'translate') {
          clear();
          stream.write(`relais: translate ${where}: ${e.total ?? '?'} segments to translate\n`);
        }
        return;
      case 'stage-progress': {
        const pct = Math.floor((100 * e.done) / Math.max(1, e.total));
        if (tty) {
          const width = 24;
          const fill = Math.round((width * e.done) / Math.max(1, e.total));
          clear();
          stream.write(`relais: translate ${where} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${e.done}/${e.total}`);
          live = true;
        } else {
          const key = where;
          const step = Math.floor(pct / 25) * 25;
          if (step > (lastPct.get(key) ?? -1) && step < 100) {
            lastPct.set(key, step);
            stream.write(`relais: translate ${where}: ${e.done}/${e.total} (${step}%)\n`);
          }
        }
        return;
      }
      case 'stage-done':
        clear();
        stream.write(`relais: ${e.stage} ${where} done in ${formatMs(e.ms)}\n`);
        return;
      case 'warning':
        clear();
        stream.write(`relais: warning: ${e.message}\n`);
        return;
    }
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}
