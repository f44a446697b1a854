/**
 * The review page: per article and target language, one row per segment — source | machine
 * translation | current text | QA | risk — with glossary names marked, word diffs, and (served live) edit /
 * approve / reject from the keyboard. The same HTML is written as static files by `relais review --html`
 * (read-only: no script that posts anything).
 *
 * Safety: every piece of article or reviewer text goes through `escapeHtml`; the only script is the one
 * below, allowed by a CSP nonce; data reaches it as JSON inside a <script type="application/json">
 * whose `<` are escaped, never as markup.
 */
import { diffWords } from 'diff';
import type { Glossary } from '../artifacts.js';
import { findTermOccurrences } from '../glossary/match.js';
import { LONG_ARTICLE_ROWS, escapeHtml, findForms, markSpans } from '../stages/align/render-html.js';
import { countSegments, seenMark, type ReviewArticle, type ReviewCounts, type ReviewSegment, type SegmentState } from './review-model.js';

export interface RenderOptions {
  /** `live`: served by `relais review`, with editing. `static`: files, read-only. */
  mode: 'live' | 'static';
  /** CSP nonce of the inline script and style (live mode). */
  nonce?: string;
  /** Link back to the index. */
  indexHref: string;
}

const STATE_LABEL: Readonly<Record<SegmentState, string>> = {
  machine: 'machine',
  edited: 'edited',
  approved: 'approved',
  rejected: 'rejected',
  'needs-review': 'needs review',
};

/** Word diff of two texts, escaped: removed words in <del>, added ones in <ins>. */
export function renderWordDiff(before: string, after: string): string {
  return diffWords(before, after)
    .map((p) => (p.added ? `<ins>${escapeHtml(p.value)}</ins>` : p.removed ? `<del>${escapeHtml(p.value)}</del>` : escapeHtml(p.value)))
    .join('');
}

function riskClass(risk: number | undefined): string {
  if (risk === undefined) return 'risk-none';
  return risk >= 0.6 ? 'risk-high' : risk >= 0.35 ? 'risk-mid' : 'risk-low';
}

/** One `<tr>` (also sent alone by the server after a decision, to replace the row in place). */
export function renderRow(article: ReviewArticle, s: ReviewSegment, n: number, glossary: Glossary, mode: RenderOptions['mode']): string {
  const srcSpans = findTermOccurrences(s.source, glossary).map((o) => ({ start: o.start, end: o.end, title: `glossary: ${o.termId}` }));
  const applied = new Map(s.termsApplied.map((t) => [t.form, `glossary: ${t.termId} (${t.strategy})`]));
  const flags = s.flags.map((f) => `<li><code>${escapeHtml(f.code)}</code> ${escapeHtml(f.message)}</li>`).join('');
  const sourceChanged = s.previousSource === undefined ? '' : `<div class="diff" title="source since the last run or decision"><span class="label">source changed:</span> ${renderWordDiff(s.previousSource, s.source)}</div>`;
  const machineChanged = s.previousMachine === undefined ? '' : `<div class="diff" title="machine translation since the last run or decision"><span class="label">since last run:</span> ${renderWordDiff(s.previousMachine, s.target)}</div>`;
  const edited = s.current !== s.target ? `<div class="diff"><span class="label">vs machine:</span> ${renderWordDiff(s.target, s.current)}</div>` : '';
  const reviewed = s.reviewedText === undefined ? '' : `<div class="diff"><span class="label">${s.reviewedState === 'rejected' ? 'rejected before' : 'reviewed before'}:</span> ${renderWordDiff(s.reviewedText, s.current)}</div>`;
  const risk = s.risk === undefined ? `<span title="no offline engine translates ${escapeHtml(article.targetLang)} back to ${escapeHtml(article.sourceLang)}">n/a</span>` : s.risk.toFixed(2);
  const back = s.backTranslation === undefined ? '' : ` title="back-translation: ${escapeHtml(s.backTranslation)}"`;
  const actions = mode === 'live'
    ? `<div class="actions"><button type="button" data-act="approve" title="approve (a)" aria-label="approve segment ${n}">approve</button><button type="button" data-act="edit" title="edit (e)" aria-label="edit segment ${n}">edit</button><button type="button" data-act="reject" title="reject (r)" aria-label="reject segment ${n}">reject</button>${s.state === 'machine' ? '' : `<button type="button" data-act="undo" title="undo the last decision: the one before comes back (u)" aria-label="undo the last decision on segment ${n}">undo</button>`}</div>`
    : '';
  return `<tr role="row" id="s-${escapeHtml(s.id)}" data-id="${escapeHtml(s.id)}" data-state="${s.state}" data-seen="${seenMark(s)}" data-flagged="${s.flags.length > 0}"${s.flags.length > 0 ? ` data-codes="${escapeHtml([...new Set(s.flags.map((f) => f.code))].join(' '))}"` : ''} data-risk="${s.risk ?? -1}" data-n="${n}"${s.state === 'needs-review' && s.reviewedText !== undefined && s.reviewedState !== 'rejected' && s.reviewedText !== s.current ? ` data-previous="${escapeHtml(s.reviewedText)}"` : ''} tabindex="-1">
<td role="cell" class="n">${n}</td>
<td role="cell" class="src" lang="${escapeHtml(article.sourceLang)}">${markSpans(s.source, srcSpans)}${sourceChanged}</td>
<td role="cell" class="mt" lang="${escapeHtml(article.targetLang)}">${markSpans(s.target, findForms(s.target, applied))}${machineChanged}</td>
<td role="cell" class="cur" lang="${escapeHtml(article.targetLang)}"><div class="text">${markSpans(s.current, findForms(s.current, applied))}</div>${s.unpublished ? '<div class="diff"><span class="label">not published:</span> the bundle leaves this key out, so readers see the French</div>' : ''}${edited}${reviewed}${actions}</td>
<td role="cell" class="qa">${flags ? `<ul>${flags}</ul>` : ''}</td>
<td role="cell" class="risk ${riskClass(s.risk)}"${back}>${risk}</td>
<td role="cell" class="state"><span class="badge state-${s.state}">${STATE_LABEL[s.state]}</span>${s.decidedBy ? `<div class="by">${escapeHtml(s.decidedBy)}</div>` : ''}</td>
</tr>`;
}

/** One option per QA check some row of the article has, with how many rows have it. */
function qaCodeOptions(article: ReviewArticle): string {
  const counts = new Map<string, number>();
  for (const s of article.segments) for (const code of new Set(s.flags.map((f) => f.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0].localeCompare(b[0])).map(([code, n]) => `<option value="${escapeHtml(code)}">${escapeHtml(code)} (${n})</option>`).join('');
}

export function renderCounts(c: ReviewCounts): string {
  return `${c.segments} segments · <b>${c.approved}</b> approved · <b>${c.edited}</b> edited · <b>${c.rejected}</b> rejected · <b>${c.needsReview}</b> need review · <b>${c.flagged}</b> flagged · <b>${c.unreviewed}</b> unreviewed`;
}

export function renderReviewPage(article: ReviewArticle, glossary: Glossary, o: RenderOptions): string {
  const rows = article.segments.map((s, i) => renderRow(article, s, i + 1, glossary, o.mode)).join('\n');
  const nonce = o.nonce ? ` nonce="${escapeHtml(o.nonce)}"` : '';
  // Static files carry their CSP in a meta tag (the server sends it as a header).
  const csp = o.mode === 'static' && o.nonce ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${escapeHtml(o.nonce)}'; style-src 'nonce-${escapeHtml(o.nonce)}'">` : '';
  const data = JSON.stringify({ namespace: article.namespace, lang: article.targetLang, mode: o.mode }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${csp}
<title>${escapeHtml(article.title)} — ${escapeHtml(article.sourceLang)} → ${escapeHtml(article.targetLang)} · relais review</title>
<style${nonce}>${STYLE}</style>
</head>
<body>
<header>
<p class="crumbs"><a href="${escapeHtml(o.indexHref)}">all articles</a></p>
<h1>${escapeHtml(article.title)}</h1>
<p><span class="pair">${escapeHtml(article.sourceLang)} → ${escapeHtml(article.targetLang)}</span> · <span id="counts">${renderCounts(countSegments(article.segments))}</span></p>
<p class="tools"><label for="filter">show</label> <select id="filter"><option value="all">all segments</option><option value="flagged">flagged</option><option value="unreviewed">unreviewed</option><option value="needs-review">needing review</option><option value="edited">edited</option><option value="approved">approved</option><option value="rejected">rejected</option></select>
<label for="code">QA</label> <select id="code"><option value="">any check</option>${qaCodeOptions(article)}</select>
<label for="search">find</label> <input id="search" type="search" placeholder="in source or text (/)" size="22">
<label for="sort">sort</label> <select id="sort"><option value="doc">document order</option><option value="risk">riskiest first</option></select>
${o.mode === 'live' ? '<span class="keys">keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>a</kbd> approve · <kbd>e</kbd> edit (<kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves, <kbd>Esc</kbd> cancels) · <kbd>r</kbd> reject · <kbd>u</kbd> undo · <kbd>f</kbd> next filter · <kbd>/</kbd> find</span>' : '<span class="keys">read-only copy: run <code>relais review</code> to edit</span>'}
${o.mode === 'live' ? '<label for="who">reviewer</label> <input id="who" type="text" size="12" autocomplete="name" placeholder="your name"> <button type="button" id="bulk" title="approve every row shown that has no QA flag and no decision yet (asks first)">approve the unflagged rows shown</button>' : ''}
<span id="status" role="status" aria-live="polite"></span></p>
</header>
<table id="review"${article.segments.length >= LONG_ARTICLE_ROWS ? ' class="long"' : ''} role="table" aria-label="segments: source, machine translation, current text, QA, risk, state">
<thead role="rowgroup"><tr role="row"><th role="columnheader">#</th><th role="columnheader">Source (${escapeHtml(article.sourceLang)})</th><th role="columnheader">Machine translation</th><th role="columnheader">Current text (published)</th><th role="columnheader">QA</th><th role="columnheader" title="round-trip risk: 0 safe … 1 likely wrong">Risk</th><th role="columnheader">State</th></tr></thead>
<tbody role="rowgroup">
${rows}
</tbody>
</table>
<script type="application/json" id="relais-data">${data}</script>
<script${nonce}>${SCRIPT}</script>
</body>
</html>
`;
}

export function renderIndexPage(entries: Array<{ namespace: string; title: string; lang: string; href: string; counts: ReviewCounts }>, o: { nonce?: string; jobDir: string }): string {
  const nonce = o.nonce ? ` nonce="${escapeHtml(o.nonce)}"` : '';
  const rows = entries.map((e) => `<tr><td><a href="${escapeHtml(e.href)}">${escapeHtml(e.title)}</a><br><small>${escapeHtml(e.namespace)}</small></td><td>${escapeHtml(e.lang)}</td><td>${renderCounts(e.counts)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>relais review</title><style${nonce}>${STYLE}</style></head>
<body>
<h1>relais review</h1>
<p>job <code>${escapeHtml(o.jobDir)}</code></p>
<table><thead><tr><th>Article</th><th>Language</th><th>Progress</th></tr></thead><tbody>
${rows || '<tr><td colspan="3">No finished translation in this job yet: run <code>relais run</code>.</td></tr>'}
</tbody></table>
</body></html>
`;
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f}
header{padding:1rem 1.5rem .5rem;border-bottom:1px solid #ddd;background:#fafafa}
h1{font-size:1.3rem;margin:.2rem 0}
.crumbs{margin:0;font-size:13px}
.tools{font-size:13px;color:#444}
.keys{margin-left:1rem;color:#666}
kbd{border:1px solid #bbb;border-bottom-width:2px;border-radius:3px;padding:0 3px;font-size:12px;background:#fff}
#status{margin-left:1rem;color:#166534}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #e5e5e5;padding:.45rem .6rem;vertical-align:top;text-align:left}
th{background:#f4f4f6;position:sticky;top:0;font-size:13px}
td.n{color:#888;width:2rem}
td.src,td.mt,td.cur{width:24%}
td.qa{font-size:12.5px;width:16%}
td.qa ul{margin:0;padding-left:1rem}
td.risk{font-variant-numeric:tabular-nums;width:3rem}
.risk-high{color:#b91c1c;font-weight:600}.risk-mid{color:#b45309}.risk-low{color:#15803d}.risk-none{color:#999}
tr[data-flagged=true] td.n{border-left:3px solid #d97706}
tr.active{outline:2px solid #2563eb;outline-offset:-2px;background:#f8fbff}
tr[hidden]{display:none}
/* The review table is laid out as a grid of rows. In a long article each row is skipped by layout and
   paint while off screen (content-visibility): a 1 MB article's ~10,000 rows no longer have to be
   measured together before anything shows (~7 s → ~1 s), and find-in-page still sees them. The
   elements stay a table for assistive technology (explicit roles, for browsers that drop them when a
   table's display changes); Chromium exposes a skipped row's cells once it comes near the screen or
   the keys move to it, so only long articles get it (LONG_ARTICLE_ROWS). */
#review,#review thead,#review tbody{display:block}
#review thead{position:sticky;top:0;z-index:1}
#review tr{display:grid;grid-template-columns:2.5rem minmax(0,1fr) minmax(0,1fr) minmax(0,1fr) minmax(0,.7fr) 3.5rem 7.5rem}
#review.long tbody tr{content-visibility:auto;contain-intrinsic-size:auto 5.5rem}
#review tr[hidden]{display:none}
#review th,#review td{width:auto;overflow-wrap:anywhere}
mark.term{background:#dbeafe;border-radius:3px;padding:0 2px}
code{font-size:12px;color:#92400e}
.diff{font-size:12.5px;color:#555;margin-top:.3rem}
.diff .label{color:#888}
ins{background:#dcfce7;text-decoration:none}del{background:#fee2e2}
.badge{font-size:12px;border-radius:9px;padding:1px 7px;background:#eee;white-space:nowrap}
.state-approved{background:#dcfce7;color:#166534}.state-edited{background:#e0e7ff;color:#3730a3}
.state-rejected{background:#fee2e2;color:#991b1b}.state-needs-review{background:#fef3c7;color:#92400e}
.by{font-size:11.5px;color:#777;margin-top:.2rem;overflow-wrap:anywhere}
.actions{margin-top:.35rem}.actions button{font-size:12px;margin-right:.25rem}
textarea{width:100%;min-height:4.5rem;font:inherit}
`;

/** The page's behaviour. Plain DOM, no framework: text goes in with textContent, rows come back from the server. */
const SCRIPT = `
(() => {
  const data = JSON.parse(document.getElementById('relais-data').textContent);
  const live = data.mode === 'live';
  const body = document.querySelector('#review tbody');
  const status = document.getElementById('status');
  const filter = document.getElementById('filter');
  const sort = document.getElementById('sort');
  let active = null;
  // The rows are in page order until a sort asks otherwise: a 1 MB article has ~10,000 of them, so
  // moving, deciding and filtering touch as few as they can.
  let order = 'doc';
  const rows = () => [...body.querySelectorAll('tr')];
  const firstVisible = () => { let r = body.firstElementChild; while (r && r.hidden) r = r.nextElementSibling; return r; };
  const say = (t) => { status.textContent = t; };
  const code = document.getElementById('code');
  // The reviewer's name, kept by this browser and sent with each decision (the history says who).
  const who = document.getElementById('who') || { value: '' };
  try { if (who.id) { who.value = localStorage.getItem('relais-reviewer') || ''; who.addEventListener('change', () => localStorage.setItem('relais-reviewer', who.value.trim())); } } catch { /* no storage (a file:// page, a private window) */ }
  const search = document.getElementById('search');
  // What "find" looks for: lowercase, accents kept, in the source and the current text.
  let wanted = '';
  const hides = (r) => {
    // A row being edited stays in view whatever the filter says: its unsaved text would be hidden with it.
    if (r.querySelector('textarea')) return false;
    const f = filter.value, st = r.dataset.state;
    const byState = f === 'flagged' ? r.dataset.flagged !== 'true' : f === 'unreviewed' ? st !== 'machine' : f === 'all' ? false : st !== f;
    if (byState) return true;
    if (code.value && !(r.dataset.codes || '').split(' ').includes(code.value)) return true;
    if (wanted) {
      const text = (r.querySelector('td.src').textContent + ' ¦ ' + r.querySelector('td.cur .text').textContent).toLowerCase();
      if (!text.includes(wanted)) return true;
    }
    return false;
  };

  function applyView() {
    for (const r of rows()) { const h = hides(r); if (r.hidden !== h) r.hidden = h; }
    if (sort.value !== order) {
      order = sort.value;
      const ordered = rows().sort((a, b) => order === 'risk' ? Number(b.dataset.risk) - Number(a.dataset.risk) || Number(a.dataset.n) - Number(b.dataset.n) : Number(a.dataset.n) - Number(b.dataset.n));
      body.append(...ordered);
    }
    // Keys go back to the rows after a filter or sort change, not to the select.
    select(active && !active.hidden ? active : firstVisible());
  }
  function select(row) {
    if (active) { active.classList.remove('active'); active.removeAttribute('aria-current'); }
    active = row;
    if (row) { row.classList.add('active'); row.setAttribute('aria-current', 'true'); row.focus({ preventScroll: true }); row.scrollIntoView({ block: 'nearest' }); }
  }
  /** The nearest shown row after (step 1) or before (step -1) \`from\`, or null. */
  function neighbour(from, step) {
    let r = from;
    do r = step > 0 ? r.nextElementSibling : r.previousElementSibling; while (r && r.hidden);
    return r;
  }
  function move(step) {
    if (!active || active.hidden) { select(firstVisible()); return; }
    select(neighbour(active, step) || active);
  }
  async function decide(row, action, text) {
    if (!live || !row) return;
    say('saving…');
    const res = await fetch('/api/decision', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: data.namespace, lang: data.lang, id: row.dataset.id, action, text, seen: row.dataset.seen, reviewer: who.value.trim() || undefined }) });
    const answer = await res.json().catch(() => ({ error: 'the server sent no JSON' }));
    if (!res.ok) {
      if (res.status === 409 && answer.row) {
        // Changed since this page showed it: the row shows what is there now, and nothing was saved.
        const holder = document.createElement('tbody');
        holder.innerHTML = answer.row;
        const now = holder.firstElementChild;
        row.replaceWith(now);
        select(now);
      }
      say('not saved: ' + (answer.error || res.status));
      return;
    }
    const holder = document.createElement('tbody');
    holder.innerHTML = answer.row;
    const fresh = holder.firstElementChild;
    row.replaceWith(fresh);
    document.getElementById('counts').innerHTML = answer.counts;
    say((action === 'undo' || action === 'clear' ? 'decision undone, now ' + fresh.dataset.state : 'saved: ' + fresh.dataset.state) + ' (segment ' + fresh.dataset.n + ')');
    // Only this row changed: it stays where it is (also under the risk sort, until the sort is chosen
    // again) and leaves the view if the filter no longer shows it; the selection moves on.
    fresh.hidden = hides(fresh);
    select(fresh.hidden ? neighbour(fresh, 1) || neighbour(fresh, -1) : fresh);
  }
  function edit(row) {
    if (!live || !row || row.querySelector('textarea')) return;
    const cell = row.querySelector('td.cur .text');
    const shown = [...cell.childNodes];
    const area = document.createElement('textarea');
    // A sentence that needs review again starts from the text reviewed before, not from the new machine
    // translation: the change in the French is usually a word, the reviewer's work the rest.
    area.value = row.dataset.previous !== undefined ? row.dataset.previous : cell.textContent;
    area.defaultValue = area.value;
    area.setAttribute('aria-label', 'edit segment ' + row.dataset.n);
    // Tall enough for the whole text: a 600-character sentence showed only its last three lines.
    area.rows = Math.min(20, Math.max(3, Math.ceil(area.value.length / 60) + 1));
    cell.replaceChildren(area);
    area.focus();
    if (row.dataset.previous !== undefined) say('editing from the text reviewed before (Esc cancels)');
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); decide(row, 'edit', area.value); }
      // Esc cancels this edit only: the cell shows its text again; other edits, the view and the place stay.
      else if (e.key === 'Escape') { e.preventDefault(); cell.replaceChildren(...shown); select(row); say('edit cancelled'); }
      e.stopPropagation();
    });
  }
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key;
    if (k === '/') { e.preventDefault(); search.focus(); search.select(); return; }
    if (k === 'j' || k === 'ArrowDown') { e.preventDefault(); move(1); }
    else if (k === 'k' || k === 'ArrowUp') { e.preventDefault(); move(-1); }
    else if (k === 'a') decide(active, 'approve');
    else if (k === 'r') decide(active, 'reject');
    else if (k === 'u') decide(active, 'undo');
    else if (k === 'e') { e.preventDefault(); edit(active); }
    else if (k === 'f') { filter.selectedIndex = (filter.selectedIndex + 1) % filter.options.length; applyView(); }
  });
  body.addEventListener('click', (e) => {
    const row = e.target.closest('tr');
    if (!row) return;
    const act = e.target.closest('button') && e.target.closest('button').dataset.act;
    select(row);
    if (act === 'edit') edit(row); else if (act) decide(row, act);
  });
  // Leaving the page (a link, a reload, closing the tab) with an edit not saved asks first.
  window.addEventListener('beforeunload', (e) => {
    if ([...body.querySelectorAll('textarea')].some((a) => a.value !== a.defaultValue)) { e.preventDefault(); e.returnValue = ''; }
  });
  code.addEventListener('change', applyView);
  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { wanted = search.value.trim().toLowerCase(); applyView(); say(wanted ? rows().filter((r) => !r.hidden).length + ' found' : ''); }, 150);
  });
  search.addEventListener('keydown', (e) => {
    // Enter goes back to the rows (keys work again); Esc clears the search first.
    if (e.key === 'Escape' && search.value) { e.preventDefault(); search.value = ''; wanted = ''; applyView(); say(''); }
    else if (e.key === 'Enter' || e.key === 'Escape') { e.preventDefault(); wanted = search.value.trim().toLowerCase(); applyView(); }
  });
  const bulk = document.getElementById('bulk');
  if (bulk) bulk.addEventListener('click', async () => {
    const chosen = rows().filter((r) => !r.hidden && r.dataset.flagged !== 'true' && (r.dataset.state === 'machine' || r.dataset.state === 'edited'));
    if (chosen.length === 0) { say('no unflagged row without a decision is shown'); return; }
    if (!confirm('Approve ' + chosen.length + ' row' + (chosen.length === 1 ? '' : 's') + ' shown (no QA flag, not decided yet)?')) return;
    say('saving…');
    const res = await fetch('/api/approve-many', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: data.namespace, lang: data.lang, items: chosen.map((r) => ({ id: r.dataset.id, seen: r.dataset.seen })), reviewer: who.value.trim() || undefined }) });
    const answer = await res.json().catch(() => ({ error: 'the server sent no JSON' }));
    if (!res.ok) { say('not saved: ' + (answer.error || res.status)); return; }
    // The page again, with the same view: the rows, counts and flags as they are now.
    sessionStorage.setItem('relais-said', 'approved ' + answer.approved + (answer.skipped ? ', ' + answer.skipped + ' changed meanwhile and left as they are' : ''));
    sessionStorage.setItem('relais-view', JSON.stringify({ filter: filter.value, code: code.value, search: search.value }));
    location.reload();
  });
  try {
    const view = JSON.parse(sessionStorage.getItem('relais-view') || 'null');
    if (view) { filter.value = view.filter; code.value = view.code; search.value = view.search; wanted = view.search.trim().toLowerCase(); applyView(); }
    const said = sessionStorage.getItem('relais-said');
    if (said) say(said);
    sessionStorage.removeItem('relais-view');
    sessionStorage.removeItem('relais-said');
  } catch { /* no storage */ }
  filter.addEventListener('change', applyView);
  sort.addEventListener('change', applyView);
  select(firstVisible());
})();
`;
