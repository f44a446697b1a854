#!/usr/bin/env node
// Runs before `npm start` and `npm test` on a fresh machine: installs what is missing, then builds.
// Uses only Node built-ins, because node_modules may not exist yet.
//
//   node scripts/setup.mjs              what `npm start` needs: node modules, Apertium, a build
//   node scripts/setup.mjs --for-tests  also xmllint (TMX validation), Chromium (review page) and redis-server (queue mode)
//   node scripts/setup.mjs --for-bench  also GNU time (`npm run bench` runs this first: CPU time and peak RSS of child processes)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--for-tests');
const forBench = process.argv.includes('--for-bench');
const log = (msg) => process.stderr.write(`relais setup: ${msg}\n`);

/** Debian packages and a file each one provides, to check without asking dpkg. */
const APERTIUM = [
  ['apertium', '/usr/bin/apertium-wblank-mode'],
  ['apertium-fr-es', '/usr/share/apertium/modes/fr-es.mode'],
  ['apertium-fra-cat', '/usr/share/apertium/modes/fra-cat.mode'],
  ['apertium-eng-spa', '/usr/share/apertium/modes/spa-eng.mode'],
  ['apertium-eo-fr', '/usr/share/apertium/modes/fr-eo.mode'],
  ['apertium-oci-fra', '/usr/share/apertium/modes/fra-oci.mode'],
];
const TEST_ONLY = [
  ['libxml2-utils', '/usr/bin/xmllint'],
  ['chromium', '/usr/bin/chromium'],
  ['redis-server', '/usr/bin/redis-server'],
];
const BENCH_ONLY = [
  ['time', '/usr/bin/time'],
  ['redis-server', '/usr/bin/redis-server'],
];

function ensureDebianPackages() {
  const wanted = [...APERTIUM, ...(forTests ? TEST_ONLY : []), ...(forBench ? BENCH_ONLY : [])];
  const missing = [...new Set(wanted.filter(([, file]) => !existsSync(file)).map(([pkg]) => pkg))];
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    log(`missing Debian packages: ${missing.join(', ')}`);
    log(hasApt ? `run this as root, then try again:\n\n  sudo ${command}\n` : `this machine has no apt-get; install the equivalent of: ${missing.join(' ')}`);
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) {
      log(`apt-get ${args[0]} failed (exit ${r.status}). Run it yourself and try again:\n\n  ${command}\n`);
      process.exit(1);
    }
  }
}

/**
 * npm ci when node_modules does not hold what the lock file says. npm records what it installed in
 * node_modules/.package-lock.json: every package there must have the lock's version, and every package
 * the lock does not mark optional (other platforms' builds) must be there. Compared by content, not by
 * date: a fresh clone has a newer lock file than a node_modules that still matches it.
 */
function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.package-lock.json');
  const why = installedDiffers(lock, stamp);
  if (!why) return;
  // npm ci empties node_modules first; through a link that is another project's folder.
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    log(`node_modules is a link to ${realpathSync(modules)}, which does not match package-lock.json (${why}).`);
    log('npm ci would empty the folder it points to. Remove the link (rm node_modules) and run npm again, or run `npm ci` where it points.');
    process.exit(1);
  }
  log(`installing node modules (npm ci): ${why}`);
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    log('npm ci failed. Fix the error above, then run `npm ci` in the project folder.');
    process.exit(1);
  }
}

/** Why node_modules does not match the lock file, or '' when it does. */
export function installedDiffers(lockFile, installedFile) {
  if (!existsSync(installedFile)) return 'node_modules is missing or was not installed by npm';
  let wanted;
  let installed;
  try {
    wanted = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
    installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  } catch (e) {
    return `cannot compare node_modules with package-lock.json (${e.message})`;
  }
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '' || !path.startsWith('node_modules/')) continue;
    const has = installed[path];
    if (!has) { if (!entry.optional) return `${path.slice('node_modules/'.length)} is not installed`; continue; }
    if (has.version !== entry.version) return `${path.slice('node_modules/'.length)} is ${has.version}, the lock file says ${entry.version}`;
  }
  for (const path of Object.keys(installed)) {
    if (path.startsWith('node_modules/') && !wanted[path]) return `${path.slice('node_modules/'.length)} is installed but not in the lock file`;
  }
  return '';
}

function build() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    log('the TypeScript build failed (errors above).');
    process.exit(1);
  }
}

// Run as a script (imported by a test, it only exports installedDiffers).
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 17)) {
    log(`Node ${process.versions.node} is too old: relais needs Node 20.17 or newer.`);
    process.exit(1);
  }
  ensureNodeModules();
  ensureDebianPackages();
  build();
}
