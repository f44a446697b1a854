/**
 * The review page of a long article in a real headless Chromium: its rows are laid out and painted only
 * near the screen (CSS content-visibility), so that a 1 MB article's ~10,000 rows do not have to be
 * measured together before anything shows. Asserted through what the browser reports (which rows it
 * skips, where the columns are), never by timing: the header's columns line up with every row's, rows
 * far below are skipped until scrolled to, keyboard moves reach them, and the table keeps its roles.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Glossary } from '../../pipeline/artifacts.js';
import { renderReviewPage } from '../../pipeline/review/render-review.js';
import { renderAlignedHtml } from '../../pipeline/stages/align/render-html.js';
import type { ReviewArticle, ReviewSegment } from '../../pipeline/review/review-model.js';
import { launchChromium } from '../helpers/browser.js';

const ROWS = 3000;
const GLOSSARY = { source: 'fr', languages: ['es'], terms: [] } as unknown as Glossary;

function article(): ReviewArticle {
  const segments: ReviewSegment[] = [];
  for (let i = 0; i < ROWS; i++) {
    const long = i % 7 === 0 ? ' Une proposition de plus, pour que la ligne se replie sur plusieurs lignes dans sa colonne.' : '';
    segments.push({
      id: `s${i.toString(16).padStart(8, '0')}`, paragraph: Math.floor(i / 5), index: i % 5,
      source: `Phrase numéro ${i + 1} de l'article.${long}`, machine: `Frase número ${i + 1} del artículo.`, target: `Frase número ${i + 1} del artículo.${long ? ' Una proposición más.' : ''}`,
      current: `Frase número ${i + 1} del artículo.${long ? ' Una proposición más.' : ''}`, state: 'machine',
      flags: i % 50 === 0 ? [{ code: 'LENGTH_RATIO', message: 'the target is short' }] as ReviewSegment['flags'] : [], termsApplied: [], risk: (i % 10) / 10,
    });
  }
  return { namespace: 'long', sourceLang: 'fr', targetLang: 'es', title: 'Un long article', segments };
}

let browser: Browser;
let page: Page;
beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'relais-review-large-')), 'es.html');
  writeFileSync(file, renderReviewPage(article(), GLOSSARY, { mode: 'static', nonce: 'n0nce', indexHref: 'index.html' }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  expect(errors).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
});

/** Whether Chromium lays out and paints the row's cells now (false: skipped while off screen). */
const rendered = (n: number) => page.locator(`tr[data-n="${n}"] td.src`).evaluate((td) => td.checkVisibility({ contentVisibilityAuto: true }));

describe(`the review page with ${ROWS} rows`, () => {
  test('every row is in the page; rows far below the screen are skipped by layout until scrolled to', async () => {
    expect(await page.locator('#review tbody tr').count()).toBe(ROWS);
    expect(await rendered(1)).toBe(true);
    expect(await rendered(ROWS)).toBe(false);
    expect(await rendered(ROWS / 2)).toBe(false);
    await page.locator(`tr[data-n="${ROWS}"]`).scrollIntoViewIfNeeded();
    await expect.poll(() => rendered(ROWS)).toBe(true);
    // Row 1 has the keys' focus, which keeps it rendered; its neighbours far from the screen are not.
    expect(await rendered(100)).toBe(false);
  });

  test('the header stays on screen and its columns line up with the rows, near and far', async () => {
    const columns = (selector: string) => page.locator(selector).evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().left)));
    const header = await columns('#review thead th');
    expect(header).toHaveLength(7);
    expect(new Set(header).size).toBe(7);
    await page.locator('tr[data-n="1"]').scrollIntoViewIfNeeded();
    expect(await columns('tr[data-n="1"] td')).toEqual(header);
    await page.locator('tr[data-n="2101"]').scrollIntoViewIfNeeded();
    expect(await columns('tr[data-n="2101"] td')).toEqual(header);
    const top = await page.locator('#review thead').evaluate((h) => h.getBoundingClientRect().top);
    expect(top).toBe(0);
    // A long row is as tall as its text: the next row starts below it, not over it.
    const box = (n: number) => page.locator(`tr[data-n="${n}"]`).boundingBox();
    const [long, next] = [await box(2101), await box(2102)];
    expect(next!.y).toBeGreaterThanOrEqual(long!.y + long!.height - 1);
    expect(long!.height).toBeGreaterThan(next!.height);
  });

  test('filters and the risk sort reach rows that were never on screen', async () => {
    await page.selectOption('#filter', 'flagged');
    expect(await page.locator('#review tbody tr:not([hidden])').count()).toBe(ROWS / 50);
    await page.selectOption('#filter', 'all');
    await page.selectOption('#sort', 'risk');
    expect(await page.locator('#review tbody tr').first().locator('td.risk').textContent()).toBe('0.90');
    await page.selectOption('#sort', 'doc');
  });

  test('it is still a table to assistive technology: every row, and the cells of the rows the keys reach', async () => {
    const roles = async (p: Page) => {
      const cdp = await p.context().newCDPSession(p);
      const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: Array<{ ignored: boolean; role?: { value: string }; name?: { value: string } }> };
      return nodes.filter((n) => !n.ignored);
    };
    const count = (nodes: Awaited<ReturnType<typeof roles>>, role: string) => nodes.filter((n) => n.role?.value === role).length;
    let nodes = await roles(page);
    expect(count(nodes, 'table')).toBe(1);
    expect(count(nodes, 'columnheader')).toBe(7);
    expect(count(nodes, 'row')).toBe(ROWS + 1);
    // Move far down with the keys: the selected row's cells are there to be read.
    await page.locator('tr[data-n="1"]').click();
    for (let i = 0; i < 40; i++) await page.keyboard.press('j');
    expect(await page.locator('tr[aria-current="true"]').getAttribute('data-n')).toBe('41');
    nodes = await roles(page);
    const cells = nodes.filter((n) => n.role?.value === 'cell').map((n) => n.name?.value ?? '');
    expect(cells.some((c) => c.startsWith('Phrase numéro 41 '))).toBe(true);
    // (Rows far from the screen are exposed as rows; their cells come when they come near.)
    expect(cells.some((c) => c.startsWith('Phrase numéro 2900 '))).toBe(false);
  });
});

describe('a news-sized article', () => {
  test('is laid out whole: every cell is in the accessibility tree from the start', async () => {
    const short = article();
    short.segments = short.segments.slice(0, 40);
    const file = join(mkdtempSync(join(tmpdir(), 'relais-review-short-')), 'es.html');
    writeFileSync(file, renderReviewPage(short, GLOSSARY, { mode: 'static', nonce: 'n0nce', indexHref: 'index.html' }));
    const p = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await p.goto(`file://${file}`);
    const cdp = await p.context().newCDPSession(p);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: Array<{ ignored: boolean; role?: { value: string } }> };
    expect(nodes.filter((n) => !n.ignored && n.role?.value === 'cell')).toHaveLength(40 * 7);
    expect(await p.locator('tr[data-n="40"] td.src').evaluate((td) => td.checkVisibility({ contentVisibilityAuto: true }))).toBe(true);
    await p.close();
  });
});

describe('the aligned page a run writes (align/<lang>.html), long', () => {
  test('rows far below are skipped by layout, and the columns line up with the header', async () => {
    const a = article();
    const file = join(mkdtempSync(join(tmpdir(), 'relais-aligned-large-')), 'es.html');
    const translated = { kind: 'translate', version: 1, namespace: a.namespace, sourceLang: 'fr', targetLang: 'es', engine: { id: 'pseudo', version: '1' },
      segments: a.segments.map((s) => ({ id: s.id, source: s.source, machine: s.target, target: s.target, termsApplied: [], flags: s.flags, unknownWords: [], cacheKey: `k-${s.id}` })) };
    writeFileSync(file, renderAlignedHtml(translated as Parameters<typeof renderAlignedHtml>[0], GLOSSARY, a.title));
    const p = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await p.goto(`file://${file}`);
    expect(await p.locator('#aligned tbody tr').count()).toBe(ROWS);
    const shown = (n: number) => p.locator('#aligned tbody tr').nth(n - 1).locator('td').nth(1).evaluate((td) => td.checkVisibility({ contentVisibilityAuto: true }));
    expect(await shown(1)).toBe(true);
    expect(await shown(ROWS)).toBe(false);
    const header = await p.locator('#aligned thead th').evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().left)));
    expect(await p.locator('#aligned tbody tr').first().locator('td').evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().left)))).toEqual(header);
    await p.close();
  });
});
