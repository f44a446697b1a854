/**
 * `npm run screenshot`: the README's picture of the review page, made from the seed article with real
 * Apertium and a few decisions, in Debian's Chromium → scripts/screenshots/review-page.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/helpers/browser.js';
import { readGlossary } from '../pipeline/glossary/parse.js';
import { startReviewServer } from '../pipeline/review/review-server.js';
import { createReviewEnricher } from '../pipeline/review/enrich-review.js';
import { ApertiumEngine } from '../pipeline/engines/apertium.js';
import { runJob } from '../pipeline/run-job.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'scripts/screenshots/review-page.png');

const dir = mkdtempSync(join(tmpdir(), 'relais-screenshot-'));
try {
  await runJob({ files: [join(ROOT, 'seeds/haut-diplomate-americain.fr.txt')], targets: ['es'], jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(ROOT, 'glossary.yaml'), memoryFile: false });
  const glossary = readGlossary(join(ROOT, 'glossary.yaml'));
  const engine = new ApertiumEngine();
  const { enrich } = createReviewEnricher({ glossary, jobDir: join(dir, 'job'), engine });
  const server = await startReviewServer({ jobDir: join(dir, 'job'), glossary, reviewer: 'screenshot', enrich });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(new URL('/a/haut-diplomate-americain/es', server.url).href);
    await page.keyboard.press('a');
    await page.waitForSelector('tr[data-n="1"][data-state="approved"]');
    await page.keyboard.press('j');
    await page.keyboard.press('e');
    await page.locator('tr[data-n="2"] textarea').fill('El secretario de Estado estadounidense Antony Blinken descartó negociaciones entre Rusia y Ucrania, y afirmó que Moscú no había mostrado su voluntad de mantener conversaciones «constructivas».');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('tr[data-n="2"][data-state="edited"]');
    await page.keyboard.press('j');
    await page.screenshot({ path: OUT });
    console.log(`written: ${OUT}`);
  } finally {
    await browser.close();
    await server.close();
    await engine.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
