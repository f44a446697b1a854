import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export const TMX_DTD = join(ROOT, 'test/fixtures/schemas/tmx14/tmx14.dtd');

/** Validate with the official DTD; fails loudly (with the fix) when xmllint is missing. */
export function validateTmx(file: string): { ok: boolean; output: string } {
  if (!existsSync('/usr/bin/xmllint')) throw new Error('xmllint is missing: apt-get install libxml2-utils (npm test installs it when run as root)');
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--dtdvalid', TMX_DTD, file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
