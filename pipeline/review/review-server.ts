/**
 * `relais review`: the review pages served on 127.0.0.1, decisions saved to the job's review.sqlite.
 *
 * Safety: binds to 127.0.0.1 only; answers only requests whose Host is its own address (a DNS-rebinding
 * page cannot talk to it) and, for writes, whose Origin is its own (another site open in the browser
 * cannot post decisions); decisions are JSON only; every text is escaped by the renderer; a CSP with a
 * fresh nonce per page allows no other script.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Glossary, Lang } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { JobStore } from '../job/job-store.js';
import { DecisionStore } from './decision-store.js';
import { loadReviewArticle } from './build-review.js';
import { countSegments, seenMark, type Decision, type ReviewArticle } from './review-model.js';
import { withQaChecks } from './qa-checks.js';
import { renderCounts, renderIndexPage, renderReviewPage, renderRow } from './render-review.js';

export interface ReviewServerOptions {
  jobDir: string;
  /** The glossary names are marked and checked with; a function is asked again at each request (a run may change it). */
  glossary: Glossary | (() => Glossary);
  /** @default 0 (any free port) */
  port?: number;
  /** Who decides, recorded with each decision. @default $USER */
  reviewer?: string;
  /** Re-checks a segment's current text after an edit (QA flags, risk); the page shows the result. */
  enrich?: (article: ReviewArticle) => Promise<ReviewArticle> | ReviewArticle;
}

export interface ReviewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startReviewServer(o: ReviewServerOptions): Promise<ReviewServer> {
  const job = new JobStore(o.jobDir);
  job.readManifest(); // a folder that is no job is refused now, not at the first request
  const decisions = new DecisionStore(job.dir);
  const reviewer = o.reviewer ?? process.env.USER ?? 'reviewer';
  const enrich = o.enrich ?? ((a: ReviewArticle) => a);
  let origins: Set<string> = new Set();

  /**
   * Which segments are flagged once the review-time QA checks ran (what the page shows): kept per article
   * and language, and updated with each decision, so that the counts after a decision and on the index
   * say what the page says (QA checks only — cheap — where a page was not loaded yet).
   */
  const flagged = new Map<string, Set<string>>();
  // The glossary of this request; the flags counted with another one are counted again.
  let glossary = typeof o.glossary === 'function' ? o.glossary() : o.glossary;
  const currentGlossary = () => {
    const now = typeof o.glossary === 'function' ? o.glossary() : o.glossary;
    if (now !== glossary) {
      glossary = now;
      flagged.clear();
    }
    return glossary;
  };
  const flaggedKey = (ns: string, lang: string) => `${ns}\n${lang}`;
  const remember = (a: ReviewArticle) => flagged.set(flaggedKey(a.namespace, a.targetLang), new Set(a.segments.filter((x) => x.flags.length > 0).map((x) => x.id)));
  const countsOf = (a: ReviewArticle) => {
    const ids = flagged.get(flaggedKey(a.namespace, a.targetLang)) ?? remember(withQaChecks(a, glossary)).get(flaggedKey(a.namespace, a.targetLang))!;
    return { ...countSegments(a.segments), flagged: a.segments.filter((x) => ids.has(x.id)).length };
  };
  const load = async (ns: string, lang: Lang) => {
    const a = await enrich(loadReviewArticle(job, decisions, ns, lang));
    remember(a);
    return a;
  };
  // The job's articles and languages as they are now: a run may add some while the server is up.
  const manifest = () => job.readManifest();
  const known = (ns: string, lang: string) => {
    const m = manifest();
    return m.sources.some((s) => s.namespace === ns) && m.targets.includes(lang);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof RelaisError ? (e.code === 'JOB_INCOMPLETE' ? 404 : 400) : 500;
      sendJson(res, status, { error: e instanceof RelaisError ? e.message : 'internal error' });
      if (!(e instanceof RelaisError)) process.stderr.write(`relais review: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    currentGlossary();
    const host = req.headers.host ?? '';
    if (!origins.has(`http://${host}`)) return sendText(res, 421, 'relais review answers only on its own address (Host header refused)');
    const origin = req.headers.origin;
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (origin !== undefined && !origins.has(origin)) return sendText(res, 403, 'foreign Origin refused');
      if (url.pathname === '/') {
        const nonce = newNonce();
        const entries = [];
        const m = manifest();
        for (const { namespace } of m.sources) {
          for (const lang of m.targets) {
            try {
              const a = loadReviewArticle(job, decisions, namespace, lang);
              entries.push({ namespace, title: a.title, lang, href: `/a/${encodeURIComponent(namespace)}/${encodeURIComponent(lang)}`, counts: countsOf(a) });
            } catch (e) {
              if (!(e instanceof RelaisError && e.code === 'JOB_INCOMPLETE')) throw e;
            }
          }
        }
        return sendHtml(res, renderIndexPage(entries, { nonce, jobDir: job.dir }), nonce);
      }
      const m = /^\/a\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (m) {
        const [ns, lang] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
        if (!known(ns, lang)) return sendText(res, 404, 'no such article or language in this job');
        const nonce = newNonce();
        return sendHtml(res, renderReviewPage(await load(ns, lang), glossary, { mode: 'live', nonce, indexHref: '/' }), nonce);
      }
      return sendText(res, 404, 'not found');
    }
    // Writes need our own Origin (browsers always send it on POST) and JSON (no form can post it).
    if (req.method === 'POST' && (origin === undefined || !origins.has(origin))) return sendJson(res, 403, { error: 'foreign or missing Origin refused' });
    if (req.method === 'POST' && !/^application\/json\b/.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, { error: 'decisions are JSON' });
    if (req.method === 'POST' && url.pathname === '/api/approve-many') {
      // Approve several rows at once (the page's "approve the unflagged rows shown"): each only if it is
      // still what the page showed (its seen mark), in one transaction.
      const body = parseBulkRequest(await readBody(req));
      if (!known(body.namespace, body.lang)) return sendJson(res, 404, { error: 'no such article or language in this job' });
      const article = loadReviewArticle(job, decisions, body.namespace, body.lang);
      const byId = new Map(article.segments.map((x) => [x.id, x]));
      const by = reviewerName(body.reviewer) ?? reviewer;
      const now = new Date().toISOString();
      const approve: Decision[] = [];
      let skipped = 0;
      for (const item of body.items) {
        const seg = byId.get(item.id);
        if (!seg || item.seen !== seenMark(seg) || seg.state === 'approved' || seg.state === 'rejected') { skipped++; continue; }
        approve.push({ namespace: body.namespace, lang: body.lang, segmentId: seg.id, state: 'approved', text: seg.current, source: seg.source, machine: seg.target, updatedAt: now, by });
      }
      decisions.save(approve);
      flagged.delete(flaggedKey(body.namespace, body.lang));
      return sendJson(res, 200, { approved: approve.length, skipped });
    }
    if (req.method === 'POST' && url.pathname === '/api/decision') {
      const body = parseDecisionRequest(await readBody(req));
      if (!known(body.namespace, body.lang)) return sendJson(res, 404, { error: 'no such article or language in this job' });
      // The decision needs the segment's texts and state only: the QA checks and risk (enrich) are made
      // again for the one segment that changed, not for the whole article (9,500 rows: ~1.4 s a decision).
      const before = loadReviewArticle(job, decisions, body.namespace, body.lang);
      const seg = before.segments.find((s) => s.id === body.id);
      if (!seg) return sendJson(res, 404, { error: `no segment ${body.id} in ${body.namespace} (${body.lang})` });
      if (body.seen !== undefined && body.seen !== seenMark(seg)) {
        const i = before.segments.indexOf(seg);
        const row = (await enrich({ ...before, segments: [seg] })).segments[0]!;
        const text = seg.current.length > 60 ? `${seg.current.slice(0, 60)}…` : seg.current;
        return sendJson(res, 409, {
          error: `segment ${i + 1} changed since this page showed it (another tab, another reviewer or a new run): it is now ${seg.state}, "${text}". The row shows it now; decide again`,
          row: renderRow(before, row, i + 1, glossary, 'live'),
        });
      }
      // Who decides: the name the reviewer gave on the page, else the server's user.
      const by = reviewerName(body.reviewer) ?? reviewer;
      if (body.action === 'clear') {
        decisions.clear(body.namespace, body.lang, seg.id, by);
      } else if (body.action === 'undo') {
        decisions.undo(body.namespace, body.lang, seg.id, by);
      } else {
        const text = body.action === 'edit' ? tidyEdit(body.text!, seg.source) : seg.current;
        const state: Decision['state'] = body.action === 'approve' ? 'approved' : body.action === 'reject' ? 'rejected' : text === seg.target ? 'approved' : 'edited';
        decisions.save([{ namespace: body.namespace, lang: body.lang, segmentId: seg.id, state, text: state === 'rejected' ? seg.target : text, source: seg.source, machine: seg.target, updatedAt: new Date().toISOString(), by }]);
      }
      const after = loadReviewArticle(job, decisions, body.namespace, body.lang);
      const i = after.segments.findIndex((s) => s.id === seg.id);
      const row = (await enrich({ ...after, segments: [after.segments[i]!] })).segments[0]!;
      const ids = flagged.get(flaggedKey(body.namespace, body.lang));
      if (ids) {
        if (row.flags.length > 0) ids.add(row.id);
        else ids.delete(row.id);
      }
      return sendJson(res, 200, { row: renderRow(after, row, i + 1, glossary, 'live'), counts: renderCounts(countsOf(after)), state: row.state });
    }
    return sendText(res, 405, 'method not allowed');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(new RelaisError('OPTION_INVALID', e.code === 'EADDRINUSE' ? `port ${o.port} is already in use` : `cannot listen on 127.0.0.1:${o.port ?? 0}: ${e.message}`, { hint: 'Choose another port with --port, or --port 0 for any free one.' }));
    });
    server.listen(o.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          decisions.close();
          resolve();
        });
      }),
  };
}

interface DecisionRequest {
  namespace: string;
  lang: string;
  id: string;
  /** `undo`: the decision before the last one comes back; `clear`: back to the machine translation. */
  action: 'approve' | 'edit' | 'reject' | 'clear' | 'undo';
  text?: string;
  /** The row's `data-seen` when the page showed it (seenMark): the decision is refused if it changed since. */
  seen?: string;
  /** The reviewer's name as given on the page (recorded with the decision). */
  reviewer?: string;
}

/**
 * A reviewer's text as it is published: without the spaces and line breaks an editor leaves at its
 * ends (Enter before Ctrl+Enter), and on one line when the French sentence is on one (a line break
 * inside a bundle value is no sentence's).
 */
export function tidyEdit(text: string, source: string): string {
  const trimmed = text.trim();
  return source.includes('\n') ? trimmed : trimmed.replace(/[ \t]*\r?\n\s*/g, ' ');
}

/** The name a reviewer gave on the page, as recorded: no control or format characters, 60 at most. */
function reviewerName(given: string | undefined): string | undefined {
  return given?.trim().replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 60) || undefined;
}

function parseBulkRequest(raw: string): { namespace: string; lang: string; items: Array<{ id: string; seen: string }>; reviewer?: string } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new RelaisError('OPTION_INVALID', 'the request body is not JSON');
  }
  const o = v as { namespace?: unknown; lang?: unknown; items?: unknown; reviewer?: unknown };
  const ok = typeof o?.namespace === 'string' && typeof o.lang === 'string' && Array.isArray(o.items)
    && o.items.every((i: { id?: unknown; seen?: unknown }) => typeof i?.id === 'string' && typeof i.seen === 'string')
    && (o.reviewer === undefined || typeof o.reviewer === 'string');
  if (!ok) throw new RelaisError('OPTION_INVALID', 'approving many needs namespace, lang and items [{ id, seen }]');
  return o as { namespace: string; lang: string; items: Array<{ id: string; seen: string }>; reviewer?: string };
}

function parseDecisionRequest(raw: string): DecisionRequest {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new RelaisError('OPTION_INVALID', 'the request body is not JSON');
  }
  const o = v as Partial<DecisionRequest>;
  const str = (x: unknown) => typeof x === 'string' && x.length > 0;
  if (!o || !str(o.namespace) || !str(o.lang) || !str(o.id) || !['approve', 'edit', 'reject', 'clear', 'undo'].includes(o.action as string)) {
    throw new RelaisError('OPTION_INVALID', 'a decision needs namespace, lang, id and action (approve, edit, reject, undo or clear)');
  }
  if (o.action === 'edit' && (typeof o.text !== 'string' || o.text.trim() === '')) throw new RelaisError('OPTION_INVALID', 'an edit needs a non-empty text');
  if (o.action === 'edit' && o.text!.includes('\u0000')) throw new RelaisError('OPTION_INVALID', 'the text contains a NUL character');
  if (o.seen !== undefined && typeof o.seen !== 'string') throw new RelaisError('OPTION_INVALID', 'seen must be the row\'s data-seen');
  if (o.reviewer !== undefined && typeof o.reviewer !== 'string') throw new RelaisError('OPTION_INVALID', 'reviewer must be a name');
  return o as DecisionRequest;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RelaisError('OPTION_INVALID', 'request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function newNonce(): string {
  return randomBytes(16).toString('base64');
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

function sendHtml(res: ServerResponse, html: string, nonce: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  });
  res.end(html);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
