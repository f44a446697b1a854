/**
 * `npm start` and `npm test` run scripts/setup.mjs first. It reinstalls node modules only when they differ
 * from the lock file by content: a fresh clone (whose lock file is newer than everything) next to a
 * matching node_modules must not run `npm ci`, and a changed or missing package must.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain JavaScript: setup.mjs runs before anything is installed, so it has no types
import { installedDiffers } from '../../scripts/setup.mjs';

const lock = JSON.parse(readFileSync(join(import.meta.dirname, '../../package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; optional?: boolean }> };

/** The installed record npm would write: every package of the lock that is not optional, then `edit`. */
function installed(edit: (packages: Record<string, { version?: string }>) => void = () => {}): string {
  const packages: Record<string, { version?: string }> = {};
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.optional) packages[path] = { version: entry.version };
  edit(packages);
  const dir = mkdtempSync(join(tmpdir(), 'relais-setup-'));
  writeFileSync(join(dir, '.package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
  return join(dir, '.package-lock.json');
}

const LOCK = join(import.meta.dirname, '../../package-lock.json');

describe('setup: does node_modules match package-lock.json?', () => {
  test('the same packages at the same versions: no install, whatever the file dates', () => {
    expect(installedDiffers(LOCK, installed())).toBe('');
  });

  test.for([
    ['a package at another version', (p: Record<string, { version?: string }>) => { p['node_modules/yaml'] = { version: '0.0.1' }; }, /^yaml is 0\.0\.1, the lock file says \d/],
    ['a package missing', (p: Record<string, { version?: string }>) => { delete p['node_modules/i18next']; }, /^i18next is not installed$/],
    ['a package the lock does not have', (p: Record<string, { version?: string }>) => { p['node_modules/left-pad'] = { version: '1.3.0' }; }, /^left-pad is installed but not in the lock file$/],
  ] as const)('%s: install, and say why', ([, edit, why]) => {
    expect(installedDiffers(LOCK, installed(edit))).toMatch(why);
  });

  test('no record of an npm install: install', () => {
    expect(installedDiffers(LOCK, join(tmpdir(), 'relais-no-such-dir', '.package-lock.json'))).toMatch(/not installed by npm/);
  });

  test('the real node_modules of this checkout matches (the test run was set up by it)', () => {
    expect(installedDiffers(LOCK, join(import.meta.dirname, '../../node_modules/.package-lock.json'))).toBe('');
  });
});
