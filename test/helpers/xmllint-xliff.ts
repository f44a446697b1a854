import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** Official OASIS schemas, copied from ../shared/schemas so the tests need no network. */
export const XLIFF21_XSD = join(ROOT, 'test/fixtures/schemas/xliff21/xliff_core_2.0.xsd');
export const XLIFF12_XSD = join(ROOT, 'test/fixtures/schemas/xliff12/xliff-core-1.2-strict.xsd');
const XLIFF12_CATALOG = join(ROOT, 'test/fixtures/schemas/xliff12/catalog.xml');

function xmllint(args: string[], env: NodeJS.ProcessEnv = {}): { ok: boolean; output: string } {
  if (!existsSync('/usr/bin/xmllint')) throw new Error('xmllint is missing: apt-get install libxml2-utils (npm test installs it when run as root)');
  const r = spawnSync('xmllint', ['--noout', '--nonet', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  // xmllint prints "FILE validates" on success; only what is left is a problem.
  const output = `${r.stdout}${r.stderr}`.replace(/^.* validates\n/m, '');
  return { ok: r.status === 0, output };
}

/** Validate an XLIFF 2.x file (XLIFF 2.1 keeps the 2.0 core namespace) against the core schema. */
export function validateXliff(file: string): { ok: boolean; output: string } {
  return xmllint(['--schema', XLIFF21_XSD, file]);
}

/** Validate an XLIFF 1.2 file against the 1.2 strict schema (its xml.xsd import is mapped by a catalog). */
export function validateXliff12(file: string): { ok: boolean; output: string } {
  return xmllint(['--schema', XLIFF12_XSD, file], { XML_CATALOG_FILES: XLIFF12_CATALOG });
}
