/**
 * Editing on the review page, in a real headless Chromium, on a page rendered in live mode and opened
 * from a file (editing needs no server until a decision is saved): a sentence that needs review again
 * starts its edit from the text reviewed before, a row being edited stays in view whatever the filter,
 * and leaving the page with an unsaved edit asks first.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Glossary } from '../../pipeline/artifacts.js';
import { renderReviewPage } from '../../pipeline/review/render-review.js';
import type { ReviewArticle, ReviewSegment } from '../../pipeline/review/review-model.js';
import { launchChromium } from '../helpers/browser.js';

const GLOSSARY = { source: 'fr', languages: ['es'], terms: [] } as unknown as Glossary;

function segment(n: number, extra: Partial<ReviewSegment> = {}): ReviewSegment {
  const target = `Frase ${n} de la máquina.`;
  return { id: `s${n}`, paragraph: n, index: 0, source: `Phrase ${n}.`, machine: target, target, current: target, state: 'machine', flags: [], termsApplied: [], ...extra };
}

const ARTICLE: ReviewArticle = {
  namespace: 'edits', sourceLang: 'fr', targetLang: 'es', title: 'Ediciones',
  segments: [
    segment(1),
    // The French changed under an edit, and so did the machine translation: the reviewer's text is the one before.
    segment(2, { source: 'Il est arrivé vendredi à Berlin.', target: 'Ha llegado viernes a Berlín.', current: 'Ha llegado viernes a Berlín.', state: 'needs-review', reviewedText: 'Llegó el jueves a Berlín, según la cancillería.', previousSource: 'Il est arrivé jeudi à Berlin.' }),
    // A rejection carried to a changed sentence: nothing to start from.
    segment(3, { state: 'needs-review', reviewedText: 'Frase 3 de la máquina, rechazada.', reviewedState: 'rejected' }),
    segment(4, { flags: [{ code: 'NUMBER_MISMATCH', message: 'a number differs' }, { code: 'UNKNOWN_WORD', message: 'x' }] as ReviewSegment['flags'] }),
    segment(5, { state: 'edited', current: 'Frase 5 corregida por Ana.', flags: [{ code: 'UNKNOWN_WORD', message: 'y' }] as ReviewSegment['flags'] }),
    segment(6, { state: 'approved' }),
  ],
};

let browser: Browser;
let file: string;
let page: Page;
beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), 'relais-review-edit-')), 'es.html');
  writeFileSync(file, renderReviewPage(ARTICLE, GLOSSARY, { mode: 'live', indexHref: 'index.html' }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  page = await browser.newPage();
  await page.goto(`file://${file}`);
});

const shownRows = () => page.locator('#review tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.n));

describe('finding rows', () => {
  test('by state, by QA check (with its count), and by text with "/" — Esc clears, Enter goes back to the rows', async () => {
    await page.selectOption('#filter', 'edited');
    expect(await shownRows()).toEqual(['5']);
    await page.selectOption('#filter', 'approved');
    expect(await shownRows()).toEqual(['6']);
    await page.selectOption('#filter', 'all');
    expect(await page.locator('#code option').allTextContents()).toEqual(['any check', 'NUMBER_MISMATCH (1)', 'UNKNOWN_WORD (2)']);
    await page.selectOption('#code', 'UNKNOWN_WORD');
    expect(await shownRows()).toEqual(['4', '5']);
    await page.selectOption('#code', '');
    await page.locator('tr[data-n="1"] td.src').click();
    await page.keyboard.press('/');
    await page.keyboard.type('corregida');
    await expect.poll(shownRows).toEqual(['5']);
    expect(await page.locator('#status').textContent()).toBe('1 found');
    await page.keyboard.press('Enter');
    // The keys are the rows' again: j does not type into the search box.
    expect(await page.locator('tr[aria-current="true"]').getAttribute('data-n')).toBe('5');
    await page.locator('#search').focus();
    await page.keyboard.press('Escape');
    await expect.poll(shownRows).toEqual(['1', '2', '3', '4', '5', '6']);
    // In the source too ("Berlin" is in the French of row 2 only).
    await page.locator('#search').fill('vendredi');
    await expect.poll(shownRows).toEqual(['2']);
    await page.close();
  });
});

describe('editing on the review page', () => {
  test('a sentence needing review again starts from the text reviewed before; others from their current text', async () => {
    await page.locator('tr[data-n="2"] td.src').click();
    await page.keyboard.press('e');
    expect(await page.locator('tr[data-n="2"] textarea').inputValue()).toBe('Llegó el jueves a Berlín, según la cancillería.');
    expect(await page.locator('#status').textContent()).toBe('editing from the text reviewed before (Esc cancels)');
    // Esc gives the row its text back.
    await page.keyboard.press('Escape');
    expect(await page.locator('tr[data-n="2"] td.cur .text').textContent()).toBe('Ha llegado viernes a Berlín.');
    for (const n of [3, 4]) {
      await page.locator(`tr[data-n="${n}"] td.src`).click();
      await page.keyboard.press('e');
      expect(await page.locator(`tr[data-n="${n}"] textarea`).inputValue()).toBe(`Frase ${n} de la máquina.`);
    }
    await page.close();
  });

  test('a row being edited stays in view when the filter would hide it', async () => {
    await page.locator('tr[data-n="4"] td.src').click();
    await page.keyboard.press('e');
    await page.locator('tr[data-n="4"] textarea').fill('Texto sin guardar.');
    await page.selectOption('#filter', 'needs-review');
    const shown = await page.locator('#review tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.n));
    expect(shown).toEqual(['2', '3', '4']);
    expect(await page.locator('tr[data-n="4"] textarea').inputValue()).toBe('Texto sin guardar.');
    await page.close();
  });

  test('leaving with an unsaved edit asks first; with none, or an edit left as it was, it does not', async () => {
    // Headless Chromium does not run beforeunload on navigation or close: the event is dispatched as the
    // browser would, and "asks" is the page cancelling it (which makes a browser show its prompt).
    const leaving = () => page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    });
    expect(await leaving()).toBe(false);
    await page.locator('tr[data-n="1"] td.src').click();
    await page.keyboard.press('e');
    expect(await leaving()).toBe(false);
    await page.keyboard.type(' Y una corrección.');
    expect(await leaving()).toBe(true);
    // Esc cancels the edit: nothing unsaved any more.
    await page.keyboard.press('Escape');
    expect(await leaving()).toBe(false);
    await page.close();
  });
});
