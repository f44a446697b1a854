/**
 * Aligned segments → a static side-by-side page for reviewers: source | target | QA, glossary names
 * marked in both columns. Every piece of article text goes through `escapeHtml`; nothing else is
 * interpolated, so an article containing markup shows it as text.
 */
import type { AlignedArticle, AlignedSegment, Glossary } from '../../artifacts.js';
import { buildMatcher, findTermOccurrences } from '../../glossary/match.js';

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

type Span = { start: number; end: number; title: string };

/** Text with the given spans wrapped in <mark>, everything escaped. Spans must not overlap. */
export function markSpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out += escapeHtml(text.slice(at, s.start));
    out += `<mark class="term" title="${escapeHtml(s.title)}">${escapeHtml(text.slice(s.start, s.end))}</mark>`;
    at = s.end;
  }
  return out + escapeHtml(text.slice(at));
}

/**
 * Positions of the given (target) forms in a translation, with the glossary's matching rules (whole
 * words, NBSP/NNBSP and apostrophe variants, leftmost-longest, non-overlapping), so a name the QA
 * check counted as present (`countForm`) is also marked on the page.
 */
export function findForms(text: string, forms: ReadonlyMap<string, string>): Span[] {
  if (forms.size === 0) return [];
  const matcher = buildMatcher([...forms.keys()].filter(Boolean).map((form) => ({ id: form, forms: [form] })));
  return matcher.find(text).map((o) => ({ start: o.start, end: o.end, title: forms.get(o.termId)! }));
}

/**
 * The source cell of a sentence is the same on every language's page: made once per glossary version
 * and kept for the next language (a 1 MB article: ~10,000 sentences matched against the glossary).
 */
const sourceCells = { glossary: '', cells: new Map<string, string>() };
const SOURCE_CELLS_MAX = 50_000;

function sourceCell(text: string, glossary: Glossary): string {
  if (sourceCells.glossary !== glossary.hash || sourceCells.cells.size >= SOURCE_CELLS_MAX) sourceCells.cells.clear();
  sourceCells.glossary = glossary.hash;
  let cell = sourceCells.cells.get(text);
  if (cell === undefined) {
    const spans = findTermOccurrences(text, glossary).map((o) => ({ start: o.start, end: o.end, title: `glossary: ${o.termId}` }));
    sourceCells.cells.set(text, (cell = markSpans(text, spans)));
  }
  return cell;
}

export function renderAlignedHtml(article: AlignedArticle, glossary: Glossary, title: string): string {
  const rows = article.segments.map((s, i) => {
    const [head, tail] = alignedRowParts(article, s, glossary);
    return `${head}${i + 1}${tail}`;
  });
  return `${alignedPageHead(article, title)}${rows.join('\n')}${ALIGNED_PAGE_TAIL}`;
}

/**
 * One segment's table row, cut around its number (`head + (i + 1) + tail`): the rest depends only on
 * the segment, the article's languages and the glossary, so a re-run can keep it when only the number moved.
 */
export function alignedRowParts(article: Pick<AlignedArticle, 'sourceLang' | 'targetLang'>, s: AlignedSegment, glossary: Glossary): [string, string] {
  const applied = new Map(s.termsApplied.map((t) => [t.form, `glossary: ${t.termId} (${t.strategy})`]));
  const flags = s.flags.map((f) => `<li class="flag flag-${escapeHtml(f.code.toLowerCase())}"><code>${escapeHtml(f.code)}</code> ${escapeHtml(f.message)}</li>`).join('');
  return [
    `<tr id="${escapeHtml(s.id)}" class="${s.flags.length ? 'flagged' : ''}">
  <td class="n">`,
    `</td>
  <td lang="${escapeHtml(article.sourceLang)}">${sourceCell(s.source, glossary)}</td>
  <td lang="${escapeHtml(article.targetLang)}">${markSpans(s.target, findForms(s.target, applied))}</td>
  <td class="qa">${flags ? `<ul>${flags}</ul>` : ''}</td>
</tr>`,
  ];
}

/**
 * From this many rows on, the aligned page and the review page leave rows off screen out of layout
 * until needed (CSS content-visibility): a news article has 15–100, a 1 MB one ~10,000, which took
 * Chromium several seconds to lay out together.
 */
export const LONG_ARTICLE_ROWS = 500;

/** The page up to its first row (the rows are joined by one line break). */
export function alignedPageHead(article: AlignedArticle, title: string): string {
  const flagged = article.segments.filter((s) => s.flags.length > 0).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)} — ${escapeHtml(article.sourceLang)} → ${escapeHtml(article.targetLang)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.45rem .6rem;vertical-align:top;text-align:left}
th{background:#f4f4f6;position:sticky;top:0}
td.n{color:#888;width:2.5rem}
td.qa{width:22%;font-size:13px}
td.qa ul{margin:0;padding-left:1rem}
tr.flagged td.n{border-left:3px solid #d97706}
mark.term{background:#dbeafe;border-radius:3px;padding:0 2px}
code{font-size:12px;color:#92400e}
/* A grid of rows, and in a long article rows off screen skipped by layout (as on the review page). */
#aligned,#aligned thead,#aligned tbody{display:block}
#aligned thead{position:sticky;top:0;z-index:1}
#aligned tr{display:grid;grid-template-columns:2.5rem minmax(0,1fr) minmax(0,1fr) minmax(0,.6fr)}
#aligned.long tbody tr{content-visibility:auto;contain-intrinsic-size:auto 4.5rem}
#aligned th,#aligned td{width:auto;overflow-wrap:anywhere}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(article.sourceLang)} → ${escapeHtml(article.targetLang)} · engine ${escapeHtml(article.engine.id)} · ${article.segments.length} segments · ${flagged} flagged</p>
<table id="aligned"${article.segments.length >= LONG_ARTICLE_ROWS ? ' class="long"' : ''}>
<thead><tr><th>#</th><th>Source (${escapeHtml(article.sourceLang)})</th><th>Translation (${escapeHtml(article.targetLang)})</th><th>QA</th></tr></thead>
<tbody>
`;
}

export const ALIGNED_PAGE_TAIL = `
</tbody>
</table>
</body>
</html>
`;
