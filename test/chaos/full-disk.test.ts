/**
 * A full disk and a read-only locales/: a clear WRITE_FAILED naming the file and the reason, the
 * previous bundles byte-identical, and once the disk is freed (or writable again) `relais publish`
 * or the next run finishes the job. A full disk under the job folder in the middle of translation loses
 * nothing journaled. The disk is a real small tmpfs mounted for the test (root can mount here; the test
 * fails, naming the fix, where it cannot).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { chaosProject, countEngineRequests, journaled, publishedBundles, readEngineLog, removeProjects, runArgs, runRelais } from './harness.js';
import { snapshot } from '../helpers/snapshot.js';

afterAll(removeProjects); // after afterEach has unmounted

const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) spawnSync('umount', ['-l', dir]);
});

/** A real tmpfs of `size` at `dir` (unmounted after the test). */
function mountTmpfs(dir: string, size: string): void {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`this test fills a small tmpfs, and \`mount -t tmpfs\` failed: ${(r.stderr || r.error?.message || '').trim()}. Run the tests as root with CAP_SYS_ADMIN (the dev container does; with docker: \`docker run --cap-add SYS_ADMIN\`).`);
  }
  mounted.push(dir);
}

function remount(dir: string, options: string): void {
  const r = spawnSync('mount', ['-o', `remount,${options}`, dir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

/** Fill the file system of `dir` to the last byte. */
function fill(dir: string): string {
  const filler = join(dir, '.filler');
  spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { encoding: 'utf8' });
  spawnSync('dd', ['if=/dev/zero', `of=${filler}-tail`, 'bs=64'], { encoding: 'utf8' });
  return filler;
}


/** A new paragraph in the first article: the next publish has something to change. */
function editArticle(dir: string, text: string): void {
  appendFileSync(join(dir, 'depeches-un.txt'), `\n${text}\n`);
}

/** The bundles a run of the same articles publishes on a healthy disk. */
async function healthyBundles(dir: string): Promise<Map<string, string | Buffer>> {
  const clean = chaosProject('relais-disk-clean-');
  for (const f of ['depeches-un.txt', 'depeches-deux.txt', 'haut-diplomate-americain.fr.txt']) {
    spawnSync('cp', [join(dir, f), join(clean, f)]);
  }
  const r = await runRelais(runArgs('pseudo'), clean);
  expect(r.code, r.stderr).toBe(0);
  return publishedBundles(join(clean, 'locales'));
}

describe('locales/ on a full disk, then read-only', () => {
  test('WRITE_FAILED saying why, previous bundles intact; publishing works again once fixed', async () => {
    const dir = chaosProject('relais-disk-');
    const locales = join(dir, 'locales');
    mountTmpfs(locales, '2m');
    expect((await runRelais(runArgs('pseudo'), dir)).code).toBe(0);

    // Full.
    editArticle(dir, 'Le disque est plein ce matin.');
    const filler = fill(locales);
    const before = snapshot(locales);
    const full = await runRelais(runArgs('pseudo'), dir);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/^relais: error: \S+ WRITE_FAILED could not publish \S+: the disk is full\n  → Nothing was published; the previous bundles are intact\. .*run `relais publish`\.\n$/);
    expect(full.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(locales)).toEqual(before);
    rmSync(filler);
    rmSync(`${filler}-tail`);
    const publish = await runRelais(['publish', '--job', 'job'], dir);
    expect(publish.code, publish.stderr).toBe(0);
    expect(publishedBundles(locales)).toEqual(await healthyBundles(dir));

    // Read-only.
    editArticle(dir, 'Le dossier est en lecture seule.');
    remount(locales, 'ro');
    const ro = snapshot(locales);
    const refused = await runRelais(runArgs('pseudo'), dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/WRITE_FAILED could not publish \S+: locales is on a read-only file system\n  → Nothing was published; the previous bundles are intact/);
    expect(snapshot(locales)).toEqual(ro);
    remount(locales, 'rw');
    expect((await runRelais(['publish', '--job', 'job'], dir)).code).toBe(0);
    expect(publishedBundles(locales)).toEqual(await healthyBundles(dir));
  }, 120_000);
});

describe('the job folder fills up', () => {
  let healthy: Map<string, string | Buffer>;
  beforeAll(async () => {
    healthy = await healthyBundles(chaosProject('relais-disk-job-healthy-'));
  }, 60_000);

  // The smaller the disk, the earlier it is full: in a translation journal, in the review store, in align.
  test.for(['150k', '250k', '400k', '600k'])('a %s disk: WRITE_FAILED "the disk is full" naming the file; once freed, the next run resumes without asking the engine again', { timeout: 120_000 }, async (size) => {
    const dir = chaosProject('relais-disk-job-');
    const job = join(dir, 'job');
    mountTmpfs(job, size);
    const full = await runRelais(runArgs('pseudo'), dir);
    expect(full.code, full.stderr).toBe(1);
    expect(full.stderr).toMatch(/^relais: error: \S+ WRITE_FAILED .*: the disk is full\n/);
    const before = journaled(job);
    remount(job, 'size=16m');
    const log = join(dir, 'engine.log');
    const resumed = await runRelais(runArgs('pseudo'), dir, { RELAIS_ENGINE_LOG: log });
    expect(resumed.code, resumed.stderr).toBe(0);
    const count = countEngineRequests(readEngineLog(log), before);
    expect(count.resent).toEqual([]);
    expect(publishedBundles(join(dir, 'locales'))).toEqual(healthy);
  });
});
