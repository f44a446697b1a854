/**
 * The review page in a real headless Chromium (Debian's, through playwright-core): keyboard review,
 * decisions that survive a reload, filters, inert article markup, and a server that refuses requests
 * that are not its own.
 */
import { request } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readGlossary } from '../../pipeline/glossary/parse.js';
import { DecisionStore } from '../../pipeline/review/decision-store.js';
import { startReviewServer, type ReviewServer } from '../../pipeline/review/review-server.js';
import { writeReviewSite } from '../../pipeline/review/write-review-site.js';
import { createReviewEnricher } from '../../pipeline/review/enrich-review.js';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { runJob } from '../../pipeline/run-job.js';
import { launchChromium } from '../helpers/browser.js';
import { scratchProject, SEED } from '../helpers/cli.js';

const XSS = '<img src=x onerror=alert(1)>';
const apertium = new ApertiumEngine();

let dir: string;
let server: ReviewServer;
let browser: Browser;
let dialogs: string[] = [];

beforeAll(async () => {
  dir = scratchProject('relais-review-page-');
  const hostile = join(dir, 'balises.txt');
  writeFileSync(hostile, `Un titre avec ${XSS}\n\nLe texte contient ${XSS} et <script>alert(2)</script> au milieu.\n\nUne phrase ordinaire sur Moscou.\n`);
  await runJob({ files: [SEED, hostile], targets: ['en', 'es'], engine: 'apertium', jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') });
  const glossary = readGlossary(join(dir, 'glossary.yaml'));
  const { enrich } = createReviewEnricher({ glossary, jobDir: join(dir, 'job'), engine: apertium });
  server = await startReviewServer({ jobDir: join(dir, 'job'), glossary, reviewer: 'test', enrich });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await apertium.close();
});

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(new URL(path, server.url).href);
  return page;
}

const stateOf = (page: Page, n: number) => page.locator(`tr[data-n="${n}"]`).getAttribute('data-state');

describe('the review page in Chromium', () => {
  test('approve, edit and reject with the keyboard; the decisions are still there after a reload', async () => {
    const page = await open('/a/haut-diplomate-americain/es');
    // Row 1 is active on load: approve it.
    await page.keyboard.press('a');
    await expect.poll(() => stateOf(page, 1)).toBe('approved');
    // Next row: edit, type, save with Ctrl+Enter.
    await page.keyboard.press('j');
    await page.keyboard.press('e');
    const area = page.locator('tr[data-n="2"] textarea');
    await area.fill('Texto revisado por una persona.');
    await area.press('Control+Enter');
    await expect.poll(() => stateOf(page, 2)).toBe('edited');
    // Two rows down, reject; then back up one and approve.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('r');
    await expect.poll(() => stateOf(page, 4)).toBe('rejected');
    await page.keyboard.press('k');
    await page.keyboard.press('a');
    await expect.poll(() => stateOf(page, 3)).toBe('approved');
    await expect.poll(() => page.locator('#counts').textContent()).toMatch(/2 approved · 1 edited · 1 rejected/);

    await page.reload();
    expect(await stateOf(page, 1)).toBe('approved');
    expect(await stateOf(page, 2)).toBe('edited');
    expect(await stateOf(page, 3)).toBe('approved');
    expect(await stateOf(page, 4)).toBe('rejected');
    expect(await stateOf(page, 5)).toBe('machine');
    expect(await page.locator('tr[data-n="2"] td.cur .text').textContent()).toBe('Texto revisado por una persona.');
    // The edit shows as a word diff against the machine translation.
    expect(await page.locator('tr[data-n="2"] td.cur ins').count()).toBeGreaterThan(0);
    await page.close();

    // In the database, with who and when.
    const store = new DecisionStore(join(dir, 'job'));
    try {
      const d = [...store.decisions('haut-diplomate-americain', 'es').values()];
      expect(d.map((x) => x.state).sort()).toEqual(['approved', 'approved', 'edited', 'rejected']);
      expect(d.every((x) => x.by === 'test' && !Number.isNaN(Date.parse(x.updatedAt)))).toBe(true);
    } finally {
      store.close();
    }
  });

  test('a reviewer gives a name on the page: it is recorded with the decision, shown on the row, and kept by the browser', async () => {
    const page = await open('/a/balises/en');
    await page.locator('#who').fill('Ana Ruiz');
    await page.locator('#who').press('Tab');
    await page.locator('tr[data-n="2"] td.src').click();
    await page.keyboard.press('a');
    await expect.poll(() => stateOf(page, 2)).toBe('approved');
    expect(await page.locator('tr[data-n="2"] td.state .by').textContent()).toBe('Ana Ruiz');
    await page.reload();
    expect(await page.locator('#who').inputValue()).toBe('Ana Ruiz');
    expect(await page.locator('tr[data-n="2"] td.state .by').textContent()).toBe('Ana Ruiz');
    const id = await page.locator('tr[data-n="2"]').getAttribute('data-id');
    await page.locator('tr[data-n="2"] td.src').click();
    await page.keyboard.press('u');
    await expect.poll(() => stateOf(page, 2)).toBe('machine');
    const store = new DecisionStore(join(dir, 'job'));
    try {
      expect(store.history('balises', 'en', id!).map((h) => h.by)).toEqual(['Ana Ruiz', 'Ana Ruiz (undo)']);
    } finally {
      store.close();
    }
    await page.close();
  });

  test('undo takes back the last decision only: an edit approved, then undone, is the edit again', async () => {
    const page = await open('/a/balises/es');
    const text = () => page.locator('tr[data-n="3"] td.cur .text').textContent();
    const machine = await text();
    await page.locator('tr[data-n="3"] td.src').click();
    await page.keyboard.press('e');
    await page.locator('tr[data-n="3"] textarea').fill('Una frase corregida sobre Moscú.');
    await page.locator('tr[data-n="3"] textarea').press('Control+Enter');
    await expect.poll(() => stateOf(page, 3)).toBe('edited');
    await page.keyboard.press('a');
    await expect.poll(() => stateOf(page, 3)).toBe('approved');
    await page.keyboard.press('u');
    await expect.poll(() => stateOf(page, 3)).toBe('edited');
    expect(await text()).toBe('Una frase corregida sobre Moscú.');
    expect(await page.locator('#status').textContent()).toBe('decision undone, now edited (segment 3)');
    await page.keyboard.press('u');
    await expect.poll(() => stateOf(page, 3)).toBe('machine');
    expect(await text()).toBe(machine);
    // The history keeps every step, the undos marked.
    const store = new DecisionStore(join(dir, 'job'));
    try {
      const id = await page.locator('tr[data-n="3"]').getAttribute('data-id');
      expect(store.history('balises', 'es', id!).map((h) => [h.state, h.by])).toEqual([
        ['edited', 'test'], ['approved', 'test'], ['edited', 'test (undo)'], ['machine', 'test (undo)'],
      ]);
    } finally {
      store.close();
    }
    await page.close();
  });

  test('an edit is saved without the spaces and line breaks the editor left around or inside a one-line sentence', async () => {
    const page = await open('/a/haut-diplomate-americain/es');
    await page.locator('tr[data-n="12"] td.src').click();
    await page.keyboard.press('e');
    const area = page.locator('tr[data-n="12"] textarea');
    await area.fill('  An ordinary sentence\nabout Moscow.  ');
    await area.press('Enter');
    await area.press('Control+Enter');
    await expect.poll(() => stateOf(page, 12)).toBe('edited');
    expect(await page.locator('tr[data-n="12"] td.cur .text').textContent()).toBe('An ordinary sentence about Moscow.');
    // (Undone: the other tests count this article's unreviewed rows.)
    await page.keyboard.press('u');
    await expect.poll(() => stateOf(page, 12)).toBe('machine');
    await page.close();
  });

  test('undo returns a segment to the machine translation; the filters show flagged or unreviewed rows only', async () => {
    const page = await open('/a/haut-diplomate-americain/en');
    await page.keyboard.press('a');
    await expect.poll(() => stateOf(page, 1)).toBe('approved');
    await page.keyboard.press('u');
    await expect.poll(() => stateOf(page, 1)).toBe('machine');
    await page.keyboard.press('a');
    await expect.poll(() => stateOf(page, 1)).toBe('approved');

    const visible = async () => page.locator('#review tbody tr:not([hidden])').count();
    const total = await visible();
    await page.selectOption('#filter', 'unreviewed');
    expect(await visible()).toBe(total - 1);
    await page.selectOption('#filter', 'flagged');
    const flagged = await page.locator('#review tbody tr[data-flagged="true"]').count();
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(total);
    expect(await visible()).toBe(flagged);
    // `f` moves to the next filter, from the keyboard even after the select was used: unreviewed, then
    // needing review (none yet).
    await page.keyboard.press('f');
    expect(await page.locator('#filter').inputValue()).toBe('unreviewed');
    expect(await visible()).toBe(total - 1);
    await page.keyboard.press('f');
    expect(await visible()).toBe(0);
    await page.close();
  });

  test('reviewing the unreviewed rows: a decided row leaves the view and the next one is selected', async () => {
    const page = await open('/a/balises/en');
    await page.selectOption('#filter', 'unreviewed');
    const shown = () => page.locator('#review tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.n));
    const before = await shown();
    expect(before.length).toBeGreaterThanOrEqual(3);
    // Keys go back to the rows: select the second shown row and approve it.
    await page.locator(`tr[data-n="${before[1]}"] td.src`).click();
    await page.keyboard.press('a');
    await expect.poll(shown).toEqual([before[0], ...before.slice(2)]);
    // The selection moved on to the row after it, not back to the top.
    expect(await page.locator('#review tbody tr.active').getAttribute('data-n')).toBe(before[2]);
    await page.keyboard.press('a');
    await expect.poll(shown).toEqual([before[0], ...before.slice(3)]);
    await page.close();
  });

  test('every row shows its round-trip risk; sorting puts the riskiest first; an edit is re-checked', async () => {
    const page = await open('/a/haut-diplomate-americain/en');
    const risks = (await page.locator('#review tbody td.risk').allTextContents()).map(Number);
    expect(risks).toHaveLength(15);
    for (const r of risks) expect(r).toBeGreaterThanOrEqual(0);
    await page.selectOption('#sort', 'risk');
    const sorted = (await page.locator('#review tbody td.risk').allTextContents()).map(Number);
    expect(sorted).toEqual([...risks].sort((a, b) => b - a));
    // A bad edit (the number dropped, most words gone) scores worse and is flagged by the QA checks.
    const row = page.locator('#review tbody tr').last();
    const n = await row.getAttribute('data-n');
    const before = Number(await row.locator('td.risk').textContent());
    await row.click();
    await page.keyboard.press('e');
    await page.locator(`tr[data-n="${n}"] textarea`).fill('Nothing.');
    await page.locator(`tr[data-n="${n}"] textarea`).press('Control+Enter');
    await expect.poll(() => stateOf(page, Number(n))).toBe('edited');
    const after = Number(await page.locator(`tr[data-n="${n}"] td.risk`).textContent());
    expect(after).toBeGreaterThan(before);
    expect(await page.locator(`tr[data-n="${n}"] td.qa`).textContent()).toMatch(/LENGTH_RATIO/);
    await page.keyboard.press('u');
    await expect.poll(() => stateOf(page, Number(n))).toBe('machine');
    await page.close();
  });

  test('markup in an article is shown as text and never runs', async () => {
    dialogs = [];
    const page = await open('/a/balises/en');
    const source = await page.locator('#review tbody td.src').allTextContents();
    expect(source.join('\n')).toContain(XSS);
    expect(source.join('\n')).toContain('<script>alert(2)</script>');
    expect(await page.locator('#review img, #review tbody script').count()).toBe(0);
    await page.keyboard.press('a');
    await expect.poll(() => stateOf(page, 1)).toBe('approved');
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    // The title, in <title> and <h1>, is text too.
    expect(await page.locator('h1').textContent()).toContain(XSS);
    await page.close();
  });

  test('the static copy (--html) renders the same rows, read-only', async () => {
    const out = join(dir, 'review-html');
    const files = await writeReviewSite({ jobDir: join(dir, 'job'), outDir: out, glossary: readGlossary(join(dir, 'glossary.yaml')) });
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(['balises/en.html', 'balises/es.html', 'haut-diplomate-americain/en.html', 'haut-diplomate-americain/es.html', 'index.html']);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${join(out, 'haut-diplomate-americain', 'es.html')}`);
    expect(await page.locator('#review tbody tr').count()).toBe(15);
    expect(await stateOf(page, 2)).toBe('edited');
    expect(await page.locator('button[data-act]').count()).toBe(0);
    // The filter works from the file too (its script is allowed by its own CSP nonce).
    await page.selectOption('#filter', 'unreviewed');
    expect(await page.locator('#review tbody tr:not([hidden])').count()).toBe(11);
    expect(errors).toEqual([]);
    expect(readFileSync(join(out, 'balises', 'en.html'), 'utf8')).not.toContain(XSS);
    await page.close();
  });
});

describe('the server', () => {
  function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const own = () => `127.0.0.1:${server.port}`;
  const decision = JSON.stringify({ namespace: 'haut-diplomate-americain', lang: 'en', id: 'x', action: 'approve' });

  test('listens on 127.0.0.1 only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  test('refuses a foreign Host (DNS rebinding) and a foreign or missing Origin on writes', async () => {
    expect((await raw('GET', '/', { host: own() })).status).toBe(200);
    expect((await raw('GET', '/', { host: `evil.example:${server.port}` })).status).toBe(421);
    const post = (headers: Record<string, string>) => raw('POST', '/api/decision', { host: own(), 'content-type': 'application/json', ...headers }, decision);
    expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: `http://${own()}`, 'content-type': 'text/plain' })).status).toBe(415);
    // Our own origin gets through to validation (unknown segment id → 404 with a message).
    const ok = await post({ origin: `http://${own()}` });
    expect(ok.status).toBe(404);
    expect(JSON.parse(ok.text)).toEqual({ error: 'no segment x in haut-diplomate-americain (en)' });
  });

  test('pages carry a CSP that allows only their own script', async () => {
    const page = await browser.newPage();
    const res = await page.goto(new URL('/a/haut-diplomate-americain/en', server.url).href);
    expect(res!.headers()['content-security-policy']).toMatch(/default-src 'none'; script-src 'nonce-[^']+'/);
    await page.close();
  });
});

describe('counts and articles stay true while the server runs', () => {
  test('an edit that the QA checks flag is counted as flagged after the save, after a reload and on the index; an article a later run adds is listed', async () => {
    const page = await open('/a/balises/en');
    const counts = () => page.locator('#counts').textContent();
    const flaggedIn = (text: string | null) => Number(/(\d+) flagged/.exec(text ?? '')?.[1]);
    const before = flaggedIn(await counts());
    // Find a row not flagged yet, and edit it into text the review-time QA checks flag (i18next syntax).
    const n = await page.locator('#review tbody tr[data-flagged="false"]').first().getAttribute('data-n');
    await page.locator(`tr[data-n="${n}"] td.src`).click();
    await page.keyboard.press('e');
    await page.locator(`tr[data-n="${n}"] textarea`).fill('Edited {{x}} text');
    await page.locator(`tr[data-n="${n}"] textarea`).press('Control+Enter');
    await expect.poll(() => page.locator(`tr[data-n="${n}"]`).getAttribute('data-flagged')).toBe('true');
    expect(flaggedIn(await counts())).toBe(before + 1);
    await page.reload();
    expect(flaggedIn(await counts())).toBe(before + 1);
    await page.goto(new URL('/', server.url).href);
    const indexRow = page.locator('tr', { has: page.locator('a[href="/a/balises/en"]') });
    expect(flaggedIn(await indexRow.textContent())).toBe(before + 1);

    // A run adds an article to the job: the index lists it and its page opens, without a restart.
    const extra = join(dir, 'ajout.txt');
    writeFileSync(extra, 'Ajout\n\nUne phrase ajoutée après le démarrage du serveur.\n');
    await runJob({ files: [SEED, join(dir, 'balises.txt'), extra], targets: ['en', 'es'], engine: 'apertium', jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') });
    await page.goto(new URL('/', server.url).href);
    expect(await page.locator('a[href="/a/ajout/en"]').count()).toBe(1);
    await page.goto(new URL('/a/ajout/en', server.url).href);
    expect(await page.locator('#review tbody tr').count()).toBeGreaterThan(0);
    await page.close();
  });
});

describe('accessibility', () => {
  test('the controls have names a screen reader can say, per segment; the selected row is marked as current', async () => {
    const page = await open('/a/balises/en');
    expect(await page.getByRole('combobox', { name: 'show' }).count()).toBe(1);
    expect(await page.getByRole('combobox', { name: 'sort' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'approve segment 2', exact: true }).count()).toBe(1);
    await page.keyboard.press('j');
    expect(await page.locator('tr[aria-current="true"]').getAttribute('data-n')).toBe('2');
    expect(await page.locator('tr[aria-current]').count()).toBe(1);
    await page.keyboard.press('e');
    expect(await page.getByRole('textbox', { name: 'edit segment 2' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.close();
  });
});

describe('two tabs on one segment', () => {
  test('a decision on a segment that changed since the page showed it is refused, and the row shows what is there now; Esc cancels one edit only', async () => {
    const a = await open('/a/balises/es');
    const b = await open('/a/balises/es');
    const text = (page: Page, n: number) => page.locator(`tr[data-n="${n}"] td.cur .text`).textContent();
    // Tab A edits row 3.
    await a.keyboard.press('j');
    await a.keyboard.press('j');
    await a.keyboard.press('e');
    await a.locator('tr[data-n="3"] textarea').fill('Texto de la pestaña A.');
    await a.locator('tr[data-n="3"] textarea').press('Control+Enter');
    await expect.poll(() => stateOf(a, 3)).toBe('edited');
    // Tab B, still showing the machine text, approves row 3: refused, and B now shows A's edit.
    const machine = await text(b, 3);
    expect(machine).not.toBe('Texto de la pestaña A.');
    await b.keyboard.press('j');
    await b.keyboard.press('j');
    await b.keyboard.press('a');
    await expect.poll(() => b.locator('#status').textContent()).toMatch(/not saved: segment 3 changed since this page showed it .* it is now edited, "Texto de la pestaña A\."/);
    expect(await stateOf(b, 3)).toBe('edited');
    expect(await text(b, 3)).toBe('Texto de la pestaña A.');
    const stored = () => {
      const store = new DecisionStore(join(dir, 'job'));
      try {
        return store.decisions('balises', 'es').get((store.decisions('balises', 'es').keys().next().value as string))!;
      } finally {
        store.close();
      }
    };
    expect(stored()).toMatchObject({ state: 'edited', text: 'Texto de la pestaña A.' });
    // Seen now, B can approve it.
    await b.keyboard.press('a');
    await expect.poll(() => stateOf(b, 3)).toBe('approved');
    expect(stored()).toMatchObject({ state: 'approved', text: 'Texto de la pestaña A.' });

    // Esc in one editor: that cell shows its text again; the page is not reloaded, the filter stays.
    await a.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    await a.selectOption('#filter', 'unreviewed');
    await a.keyboard.press('k');
    await a.keyboard.press('e');
    const editing = a.locator('#review tbody textarea');
    await editing.fill('a moitié tapé');
    await editing.press('Escape');
    expect(await a.locator('#review tbody textarea').count()).toBe(0);
    expect(await a.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
    expect(await a.locator('#filter').inputValue()).toBe('unreviewed');
    await expect.poll(() => a.locator('#status').textContent()).toBe('edit cancelled');
    await a.close();
    await b.close();
  });
});

describe('approving many rows at once', () => {
  test('"approve the unflagged rows shown" asks first, approves only rows shown without a flag or a decision, keeps the view', async () => {
    const page = await open('/a/haut-diplomate-americain/es');
    await page.selectOption('#filter', 'unreviewed');
    const candidates = await page.locator('#review tbody tr:not([hidden])[data-flagged="false"][data-state="machine"]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.n));
    const flaggedShown = await page.locator('#review tbody tr:not([hidden])[data-flagged="true"]').count();
    expect(candidates.length).toBeGreaterThan(0);
    expect(flaggedShown).toBeGreaterThan(0);
    // Declined: nothing happens.
    dialogs = [];
    await page.locator('#bulk').click();
    await expect.poll(() => dialogs).toEqual([`Approve ${candidates.length} rows shown (no QA flag, not decided yet)?`]);
    for (const n of candidates) expect(await stateOf(page, Number(n))).toBe('machine');
    // Accepted.
    page.removeAllListeners('dialog');
    page.once('dialog', (d) => void d.accept());
    await page.locator('#bulk').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe(`approved ${candidates.length}`);
    expect(await page.locator('#filter').inputValue()).toBe('unreviewed');
    // The approved rows left the "unreviewed" view; the flagged ones are still there to look at.
    const shownNow = await page.locator('#review tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.n));
    expect(shownNow.filter((n) => candidates.includes(n!))).toEqual([]);
    expect(shownNow.length).toBe(flaggedShown);
    for (const n of candidates) expect(await stateOf(page, Number(n))).toBe('approved');
    await page.close();
  });
});
