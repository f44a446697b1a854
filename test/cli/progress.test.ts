/**
 * The progress printer on its own: a bar redrawn in place on a terminal, plain lines elsewhere,
 * nothing but warnings when quiet. (The CLI tests see only the non-terminal case: their stderr is a pipe.)
 */
import { describe, expect, test } from 'vitest';
import type { ProgressEvent } from '../../pipeline/artifacts.js';
import { createProgressPrinter, formatMs } from '../../pipeline/cli/progress.js';

const NS = 'article';
const EVENTS: ProgressEvent[] = [
  { type: 'stage-start', stage: 'ingest', namespace: NS },
  { type: 'stage-done', stage: 'ingest', namespace: NS, cached: false, ms: 3 },
  { type: 'stage-start', stage: 'translate', namespace: NS, lang: 'ca', total: 40 },
  ...[10, 20, 30, 40].map((done): ProgressEvent => ({ type: 'stage-progress', stage: 'translate', namespace: NS, lang: 'ca', done, total: 40 })),
  { type: 'warning', message: 'a paragraph is not French', namespace: NS },
  { type: 'stage-done', stage: 'translate', namespace: NS, lang: 'ca', cached: false, ms: 1234 },
];

function capture(options: { isTTY: boolean; quiet?: boolean; live?: boolean; redact?: (s: string) => string }): string {
  let text = '';
  const stream = { isTTY: options.isTTY, write: (s: string) => ((text += s), true) };
  const printer = createProgressPrinter({ stream, quiet: options.quiet ?? false, ...(options.live === undefined ? {} : { live: options.live }), ...(options.redact ? { redact: options.redact } : {}) });
  for (const e of EVENTS) printer.onProgress(e);
  printer.finish();
  return text;
}

describe('createProgressPrinter', () => {
  test.for([
    {
      name: 'not a terminal: plain lines at 25 % steps',
      options: { isTTY: false },
      expected: [
        'relais: ingest article done in 3 ms',
        'relais: translate article → ca: 40 segments to translate',
        'relais: translate article → ca: 10/40 (25%)',
        'relais: translate article → ca: 20/40 (50%)',
        'relais: translate article → ca: 30/40 (75%)',
        'relais: warning: article: a paragraph is not French',
        'relais: translate article → ca done in 1.2 s',
        '',
      ].join('\n'),
    },
    {
      name: 'quiet: warnings only',
      options: { isTTY: true, quiet: true },
      expected: 'relais: warning: article: a paragraph is not French\n',
    },
  ])('$name', ({ options, expected }) => {
    expect(capture(options)).toBe(expected);
  });

  test('a terminal can be told to print plain lines (TERM=dumb)', () => {
    const text = capture({ isTTY: true, live: false });
    expect(text).toBe(capture({ isTTY: false }));
    expect(text).not.toMatch(/[\x1b\r]/);
  });

  test('on a terminal, a bar is redrawn in place and erased before the next line', () => {
    const text = capture({ isTTY: true, live: true });
    expect(text).toContain('relais: translate article → ca [######..................] 10/40');
    expect(text).toContain('\r\x1b[2Krelais: translate article → ca [############............] 20/40');
    // The warning starts on a clean line, not after the bar.
    expect(text).toContain('40/40\r\x1b[2Krelais: warning: article: a paragraph is not French\n');
    expect(text.endsWith('relais: translate article → ca done in 1.2 s\n')).toBe(true);
  });

  test('every line goes through redact', () => {
    const text = capture({ isTTY: false, redact: (s) => s.replace('French', '[redacted]') });
    expect(text).toContain('relais: warning: article: a paragraph is not [redacted]\n');
  });

  test.for([
    [0, '0 ms'],
    [999, '999 ms'],
    [1000, '1 s'],
    [1234, '1.2 s'],
    [61_000, '61 s'],
  ] as const)('formatMs(%i) = %s', ([ms, text]) => {
    expect(formatMs(ms)).toBe(text);
  });
});
