/**
 * An Apertium process killed in the middle of a batch: the chain is restarted and the blocks it held
 * are sent again, so every answer is still what an undisturbed engine gives. Killed for real: a
 * single program of the chain (lt-proc, the tagger, a transfer step…) or a whole stage, chosen by a
 * seeded draw among the live processes, several times during one batch — in the engine, and under a
 * running `relais run`, whose bundles then equal an undisturbed run's.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import type { EngineSegment } from '../../pipeline/engines/engine.js';
import { ROOT } from '../helpers/cli.js';
import { CHAOS_LONG, CHAOS_SEED, chaosProject, countEngineRequests, publishedBundles, readEngineLog, removeProjects, runArgs, runRelais, seededRandom } from './harness.js';

afterAll(removeProjects);

const SENTENCES = readFileSync(join(ROOT, 'test/fixtures/corpus/wikinews-400.txt'), 'utf8').split('\n\n').map((l) => l.trim()).filter(Boolean);

/** Every process under `pid` (children, their children…), from /proc. */
function descendants(pid: number): Array<{ pid: number; name: string }> {
  const children = new Map<number, Array<{ pid: number; name: string }>>();
  for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') continue;
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), { pid: Number(d), name }]);
  }
  const out: Array<{ pid: number; name: string }> = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}

function killOne(candidates: ReadonlyArray<{ pid: number; name: string }>, random: () => number): string | undefined {
  if (candidates.length === 0) return undefined;
  const victim = candidates[Math.floor(random() * candidates.length)]!;
  try {
    process.kill(victim.pid, 'SIGKILL');
    return victim.name;
  } catch {
    return undefined; // exited on its own meanwhile
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an Apertium process killed mid-batch', () => {
  test.for([
    { name: 'fr→ca (fra-cat, with tagger resets)', target: 'ca' },
    { name: 'fr→en (fr-es then spa-eng)', target: 'en' },
  ])('$name: restarted, the batch retried, every answer equal to an undisturbed engine', { timeout: 180_000 }, async ({ target }) => {
    const segments: EngineSegment[] = SENTENCES.slice(0, CHAOS_LONG ? 400 : 160).map((text, i) => ({ id: `s${i}`, text }));
    const calm = new ApertiumEngine();
    const want = await calm.translate('fr', target, segments);
    await calm.close();

    const engine = new ApertiumEngine();
    const random = seededRandom(CHAOS_SEED);
    let settled = false;
    const got = engine.translate('fr', target, segments).finally(() => (settled = true));
    const killed: string[] = [];
    const stats = () => [...engine.pipelinesByMode().values()].reduce((a, p) => ({ sent: a.sent + p.blocksSent, restarts: a.restarts + p.restarts }), { sent: 0, restarts: 0 });
    for (let k = 0; k < (CHAOS_LONG ? 10 : 4) && !settled; k++) {
      // Let the chain recover and get going again before the next kill.
      const from = stats().sent;
      while (!settled && stats().sent < from + 15) await sleep(5);
      if (settled) break;
      // A stage (its bash, or the tagger), or one program in it; not the small bash each program runs under,
      // whose death changes nothing (superviseMembers).
      const ours = [...engine.pipelinesByMode().values()].flatMap((p) => p.pids.flatMap((pid) => [{ pid, name: 'stage' }, ...descendants(pid).filter((d) => d.name !== 'bash')]));
      const name = killOne(ours, random);
      if (name) killed.push(name);
    }
    expect(await got).toEqual(want);
    expect(killed.length, 'the batch ended before any process could be killed').toBeGreaterThanOrEqual(2);
    expect(stats().restarts).toBeGreaterThanOrEqual(1);
    console.log(`engine child ${target}: killed ${killed.join(', ')}; ${stats().restarts} restarts, ${stats().sent} blocks sent for ${segments.length * (target === 'en' ? 2 : 1)}`);
    await engine.close();
  });

  test('a program killed while the chain is idle (no block left to write to it): the next block is still answered', async () => {
    // A killed program used to end its neighbours only when they next wrote to it; with every block
    // already past them, bash waited for them forever and the next request hung (superviseMembers).
    const engine = new ApertiumEngine();
    try {
      expect(await engine.translate('fr', 'ca', [{ id: 'a', text: 'Le chat dort.' }])).toMatchObject([{ text: 'El gat dorm.' }]);
      const p = engine.pipelinesByMode().get('fra-cat')!;
      const last = p.pids.at(-1)!;
      const programs = descendants(last).filter((d) => d.name !== 'bash');
      expect(programs.length).toBeGreaterThan(1);
      process.kill(programs.at(-1)!.pid, 'SIGKILL'); // the stage's last program (lt-proc -p)
      await sleep(100);
      const answer = engine.translate('fr', 'ca', [{ id: 'b', text: 'Le chien dort.' }]);
      const hung = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000).unref());
      expect(await Promise.race([answer, hung])).toMatchObject([{ text: 'El gos dorm.' }]);
      expect(p.restarts).toBe(1);
    } finally {
      await Promise.race([engine.close(), sleep(5_000)]); // a hung chain never gets idle enough to close
    }
  }, 60_000);

  test('under relais run: Apertium programs killed while it translates; the run finishes, bundles as if undisturbed, no segment asked twice', async () => {
    const calm = chaosProject('relais-engine-child-calm-');
    expect((await runRelais(runArgs('apertium'), calm)).code).toBe(0);

    const dir = chaosProject('relais-engine-child-');
    const log = join(dir, 'engine.log');
    const random = seededRandom(CHAOS_SEED + 1);
    const run = runRelais(runArgs('apertium'), dir, { RELAIS_ENGINE_LOG: log });
    let done = false;
    void run.then(() => (done = true));
    const relaisPid = await new Promise<number>((res) => {
      const poll = () => {
        const lock = join(dir, 'job', 'lock');
        if (existsSync(lock)) res((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid);
        else setTimeout(poll, 5);
      };
      poll();
    });
    const killed: string[] = [];
    for (let k = 0; k < 3 && !done; k++) {
      await sleep(150);
      const programs = descendants(relaisPid).filter((p) => p.name !== 'bash');
      const name = killOne(programs, random);
      if (name) killed.push(name);
    }
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(killed.length, 'relais finished before any Apertium process could be killed').toBeGreaterThanOrEqual(1);
    console.log(`engine child under relais run: killed ${killed.join(', ')}`);
    expect(publishedBundles(join(dir, 'locales'))).toEqual(publishedBundles(join(calm, 'locales')));
    expect(countEngineRequests(readEngineLog(log), new Map()).duplicates).toEqual([]);
  }, 180_000);
});
