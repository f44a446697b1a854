/**
 * `relais review --html OUTDIR`: the review pages as static, read-only files — `index.html` and
 * `<namespace>/<lang>.html` — for sharing or archiving a review without running a server.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve, sep } from 'node:path';
import type { Glossary } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { writeFileAtomically } from '../job/fs-atomic.js';
import { JobStore } from '../job/job-store.js';
import { DecisionStore } from './decision-store.js';
import { loadReviewArticle } from './build-review.js';
import { countSegments, type ReviewArticle } from './review-model.js';
import { renderIndexPage, renderReviewPage } from './render-review.js';

export async function writeReviewSite(
  o: { jobDir: string; outDir: string; glossary: Glossary; enrich?: (a: ReviewArticle) => Promise<ReviewArticle> | ReviewArticle },
): Promise<string[]> {
  const job = new JobStore(o.jobDir);
  const manifest = job.readManifest();
  const decisions = new DecisionStore(job.dir);
  const root = resolve(o.outDir);
  const files: string[] = [];
  try {
    const entries = [];
    for (const { namespace } of manifest.sources) {
      for (const lang of manifest.targets) {
        let article: ReviewArticle;
        try {
          article = loadReviewArticle(job, decisions, namespace, lang);
        } catch (e) {
          if (e instanceof RelaisError && e.code === 'JOB_INCOMPLETE') continue;
          throw e;
        }
        if (o.enrich) article = await o.enrich(article);
        const file = join(root, namespace, `${lang}.html`);
        if (!file.startsWith(root + sep)) throw new RelaisError('OPTION_INVALID', `refusing to write outside ${root}: ${namespace}/${lang}.html`);
        writeFileAtomically(file, renderReviewPage(article, o.glossary, { mode: 'static', indexHref: '../index.html', nonce: randomBytes(16).toString('base64') }));
        files.push(file);
        entries.push({ namespace, title: article.title, lang, href: `${encodeURIComponent(namespace)}/${encodeURIComponent(lang)}.html`, counts: countSegments(article.segments) });
      }
    }
    const index = join(root, 'index.html');
    writeFileAtomically(index, renderIndexPage(entries, { jobDir: job.dir }));
    files.unshift(index);
    return files;
  } finally {
    decisions.close();
  }
}
