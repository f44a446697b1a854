/**
 * `relais publish --remove NS`: an article taken down from every language at once — each language gets a
 * new version without it, swapped in atomically; locales/manifest.json stops describing it; the other
 * articles stay byte for byte; a namespace that is not published is refused before anything moves.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, scratchProject, SEED } from '../helpers/cli.js';

const tree = (dir: string) => Object.fromEntries(['fr', 'es', 'ca'].map((l) => [l, readdirSync(join(dir, 'locales', l)).sort()]));

describe('relais publish --remove', () => {
  test('takes an article down from every language and from the manifest; the others stay as they were', () => {
    const dir = scratchProject('relais-take-down-');
    writeFileSync(join(dir, 'breve.txt'), 'Brève\n\nLe ministre est arrivé à Moscou.\n');
    expect(runCli(['run', SEED, 'breve.txt', '--to', 'es,ca', '--no-tm', '-q'], dir).code).toBe(0);
    const seed = readFileSync(join(dir, 'locales', 'es', 'haut-diplomate-americain.json'), 'utf8');
    expect(tree(dir).es).toEqual(['breve.json', 'haut-diplomate-americain.json']);

    const r = runCli(['publish', '--remove', 'breve'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('took down breve from locales (fr, es, ca)\n');
    expect(r.stderr).toMatch(/publishes it again: leave its file out of the run/);
    for (const l of ['fr', 'es', 'ca']) expect(tree(dir)[l]).toEqual(['haut-diplomate-americain.json']);
    expect(readFileSync(join(dir, 'locales', 'es', 'haut-diplomate-americain.json'), 'utf8')).toBe(seed);
    const manifest = JSON.parse(readFileSync(join(dir, 'locales', 'manifest.json'), 'utf8')) as { namespaces: string[]; bundles: Record<string, Record<string, unknown>> };
    expect(manifest.namespaces).toEqual(['haut-diplomate-americain']);
    for (const l of ['fr', 'es', 'ca']) expect(Object.keys(manifest.bundles[l]!)).toEqual(['haut-diplomate-americain']);

    // A name that is not published there: refused, nothing moves.
    const again = runCli(['publish', '--remove', 'breve'], dir);
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/OPTION_INVALID nothing is published under "breve" in locales/)]);
    expect(runCli(['publish', '--remove', '../x'], dir).code).toBe(1);
    expect(existsSync(join(dir, 'locales', 'es', 'haut-diplomate-americain.json'))).toBe(true);
  });
});
