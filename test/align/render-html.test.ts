import { describe, expect, test } from 'vitest';
import type { QaFlag, TranslatedArticle, TranslatedSegment } from '../../pipeline/artifacts.js';
import { readGlossary } from '../../pipeline/glossary/parse.js';
import { escapeHtml, renderAlignedHtml } from '../../pipeline/stages/align/render-html.js';

const glossary = readGlossary('/work/main/glossary.yaml');

function segment(id: string, source: string, target: string, extra: Partial<TranslatedSegment> = {}): TranslatedSegment {
  return { id, source, machine: target, target, termsApplied: [], flags: [], unknownWords: [], cacheKey: `k-${id}`, ...extra };
}

function article(segments: TranslatedSegment[], targetLang = 'en'): TranslatedArticle {
  return { kind: 'translate', version: 1, namespace: 'ns', sourceLang: 'fr', targetLang, engine: { id: 'pseudo', version: '1' }, segments };
}

/** The <tr> of one segment (rows are `<tr id="…">…</tr>`, never nested). */
function row(html: string, id: string): string {
  const start = html.indexOf(`<tr id="${id}"`);
  expect(start, `no row for ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</tr>', start) + 5);
}

/** The cells of a row, in order: n, source, target, qa. */
function cells(tr: string): string[] {
  return [...tr.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
}

/** Text content of an HTML fragment: tags dropped, the five entities escapeHtml emits decoded. */
function textOf(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('renderAlignedHtml escapes article text', () => {
  test.for([
    { name: 'script element', source: '<script>alert(1)</script>', target: '<script>alert(1)</script>' },
    { name: 'closing the cell and table', source: '</td></tr></table><img src=x onerror=alert(1)>', target: '</tbody><svg onload=alert(1)>' },
    { name: 'attribute breakout with quotes', source: '" onmouseover="alert(1)', target: "' onfocus='alert(1)" },
    { name: 'ampersands and entities stay literal', source: 'AT&T &amp; &lt;b&gt; &#60;', target: 'R&D &nbsp;' },
    { name: 'a comment and a CDATA', source: '<!-- x --> <![CDATA[ y ]]>', target: '--> ]]>' },
    { name: 'markup around a glossary name', source: '<b>Moscou</b> & <i>OTAN</i>', target: '<b>Moscow</b> & <i>NATO</i>' },
  ])('$name', ({ source, target }) => {
    const html = renderAlignedHtml(article([segment('x1', source, target)]), glossary, '<script>alert("title")</script>');
    expect(html).not.toMatch(/<script|<img|<svg|<!-- x|<!\[CDATA/i);
    expect(html).not.toMatch(/<(b|i)>/);
    const [, src, tgt] = cells(row(html, 'x1'));
    expect(textOf(src!)).toBe(source);
    expect(textOf(tgt!)).toBe(target);
    expect(html).toContain('<title>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; — fr → en</title>');
  });

  test('a segment id and a flag message with markup are escaped too', () => {
    const flags: QaFlag[] = [{ code: 'UNKNOWN_WORD', message: 'unknown <script>alert(1)</script> "word"', subject: '<x>' }];
    const html = renderAlignedHtml(article([segment('a"b<c>', 'a', 'b', { flags })]), glossary, 't');
    expect(html).not.toMatch(/<script|<c>/);
    expect(html).toContain('<tr id="a&quot;b&lt;c&gt;"');
    expect(html).toContain('unknown &lt;script&gt;alert(1)&lt;/script&gt; &quot;word&quot;');
  });
});

describe('escapeHtml', () => {
  test.for([
    { name: 'the five special characters', input: `&<>"'`, expected: '&amp;&lt;&gt;&quot;&#39;' },
    { name: 'already escaped text is escaped again', input: '&amp;', expected: '&amp;amp;' },
    { name: 'unicode untouched', input: 'M.\u00a0Blinken\u202f: 🕊️', expected: 'M.\u00a0Blinken\u202f: 🕊️' },
  ])('$name', ({ input, expected }) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('renderAlignedHtml marks glossary names', () => {
  test.for([
    {
      name: 'a place, source and target',
      source: 'Antony Blinken est arrivé à Moscou.',
      target: 'Antony Blinken arrived in Moscow.',
      terms: [{ termId: 'Moscou', form: 'Moscow', strategy: 'rewrite' as const }, { termId: 'Antony Blinken', form: 'Antony Blinken', strategy: 'kept' as const }],
      sourceMarks: [['glossary: Antony Blinken', 'Antony Blinken'], ['glossary: Moscou', 'Moscou']],
      targetMarks: [['glossary: Antony Blinken (kept)', 'Antony Blinken'], ['glossary: Moscou (rewrite)', 'Moscow']],
    },
    {
      name: 'elided article and apostrophe',
      source: 'Le chef de l’OTAN a parlé.',
      target: "El cap de l'OTAN ha parlat.",
      terms: [{ termId: 'OTAN', form: 'OTAN', strategy: 'engine' as const }],
      sourceMarks: [['glossary: OTAN', 'OTAN']],
      targetMarks: [['glossary: OTAN (engine)', 'OTAN']],
    },
    {
      name: 'longest form wins in the source',
      source: 'La Fédération de Russie et la Russie.',
      target: 'The Russian Federation and Russia.',
      terms: [],
      sourceMarks: [['glossary: Fédération de Russie', 'Fédération de Russie'], ['glossary: Russie', 'Russie']],
      targetMarks: [],
    },
    {
      name: 'a name inside a longer word is not marked',
      source: 'Les Moscovites et Moscou.',
      target: 'Muscovites and Moscow; Moscowitz is someone else.',
      terms: [{ termId: 'Moscou', form: 'Moscow', strategy: 'rewrite' as const }],
      sourceMarks: [['glossary: Moscou', 'Moscou']],
      targetMarks: [['glossary: Moscou (rewrite)', 'Moscow']],
    },
    {
      name: 'a name next to markup-like text',
      source: '<Moscou> & "Kyiv"',
      target: '<Moscow> & "Kyiv"',
      terms: [{ termId: 'Moscou', form: 'Moscow', strategy: 'rewrite' as const }, { termId: 'Kiev', form: 'Kyiv', strategy: 'engine' as const }],
      sourceMarks: [['glossary: Moscou', 'Moscou'], ['glossary: Kiev', 'Kyiv']],
      targetMarks: [['glossary: Moscou (rewrite)', 'Moscow'], ['glossary: Kiev (engine)', 'Kyiv']],
    },
    {
      name: 'a multi-word name written with a no-break space in the target',
      source: 'Volodymyr\u00a0Zelensky a parlé.',
      target: 'Volodymyr\u00a0Zelenskyy spoke.',
      terms: [{ termId: 'Volodymyr Zelensky', form: 'Volodymyr Zelenskyy', strategy: 'rewrite' as const }],
      sourceMarks: [['glossary: Volodymyr Zelensky', 'Volodymyr\u00a0Zelensky']],
      targetMarks: [['glossary: Volodymyr Zelensky (rewrite)', 'Volodymyr\u00a0Zelenskyy']],
    },
    {
      name: 'typographic apostrophe in the target, straight one in the form',
      source: 'En Côte d’Ivoire.',
      target: 'In Côte d’Ivoire.',
      terms: [{ termId: 'Côte d’Ivoire', form: "Côte d'Ivoire", strategy: 'kept' as const }],
      sourceMarks: [],
      targetMarks: [['glossary: Côte d’Ivoire (kept)', 'Côte d’Ivoire']],
    },
    {
      name: 'a form with regular-expression characters',
      source: 'Le S&P 500 (indice) monte.',
      target: 'The S&P 500 (index) rises; S&P 5000 does not.',
      terms: [{ termId: 'S&P 500 (indice)', form: 'S&P 500 (index)', strategy: 'rewrite' as const }, { termId: 'x', form: 'S&P 500', strategy: 'rewrite' as const }],
      sourceMarks: [],
      targetMarks: [['glossary: S&P 500 (indice) (rewrite)', 'S&P 500 (index)']],
    },
  ])('$name', ({ source, target, terms, sourceMarks, targetMarks }) => {
    const html = renderAlignedHtml(article([segment('m1', source, target, { termsApplied: terms })]), glossary, 't');
    const [, src, tgt] = cells(row(html, 'm1'));
    const marks = (cell: string) => [...cell.matchAll(/<mark class="term" title="([^"]*)">([\s\S]*?)<\/mark>/g)].map((m) => [textOf(m[1]!), textOf(m[2]!)]);
    expect(marks(src!)).toEqual(sourceMarks);
    expect(marks(tgt!)).toEqual(targetMarks);
    // Marking never changes the text a reviewer reads.
    expect(textOf(src!)).toBe(source);
    expect(textOf(tgt!)).toBe(target);
  });
});

describe('renderAlignedHtml rows', () => {
  const segs = [
    segment('s1', 'Biden a appelé Kyiv.', 'Biden called Kyiv.'),
    segment('s2', 'Le 3 mars.', 'On 4 March.', {
      flags: [
        { code: 'NUMBER_MISMATCH', message: 'source has 3, target has 4', subject: '3' },
        { code: 'UNKNOWN_WORD', message: 'the engine did not know "mars"', subject: 'mars' },
      ],
    }),
    segment('s3', 'Phrase vide.', ''),
  ];
  const html = renderAlignedHtml(article(segs, 'es'), glossary, 'Un article');

  test.for(segs.map((s, i) => ({ name: s.id, i, s })))('$name: number, source and target in one row', ({ i, s }) => {
    const tr = row(html, s.id);
    const [n, src, tgt, qa] = cells(tr);
    expect(n).toBe(String(i + 1));
    expect(textOf(src!)).toBe(s.source);
    expect(textOf(tgt!)).toBe(s.target);
    expect(tr).toContain('<td lang="fr">');
    expect(tr).toContain('<td lang="es">');
    if (s.flags.length === 0) {
      expect(qa).toBe('');
      expect(tr).toMatch(/^<tr id="[^"]*" class="">/);
    }
  });

  test('flags are visible in the row of their segment, and the row is marked flagged', () => {
    const tr = row(html, 's2');
    expect(tr).toMatch(/^<tr id="s2" class="flagged">/);
    expect(tr).toContain('<li class="flag flag-number_mismatch"><code>NUMBER_MISMATCH</code> source has 3, target has 4</li>');
    expect(tr).toContain('<li class="flag flag-unknown_word"><code>UNKNOWN_WORD</code> the engine did not know &quot;mars&quot;</li>');
    expect(row(html, 's1')).not.toContain('class="flag');
  });

  test('summary line counts segments and flagged segments', () => {
    expect(html).toContain('<p>fr → es · engine pseudo · 3 segments · 1 flagged</p>');
    expect(html.match(/<tr id=/g)).toHaveLength(3);
  });

  test('the page cannot run scripts or load anything (CSP)', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});
