/**
 * The head of an HMM tagger's .prob file, and the replay of Apertium 3.8.3's
 * find_similar_ambiguity_class that tells whether a block changed the tagger's open class.
 * Real .prob files of the installed pairs, plus hand-built ones for the edge cases.
 */
import { describe, expect, test } from 'vitest';
import { taggerModel } from '../../pipeline/engines/apertium-process.js';
import { openClassAfter, parseHmmTaggerModel, readHmmTaggerModel, sameTagSet, tagSetOf, type HmmTaggerModel } from '../../pipeline/engines/hmm-tagger-model.js';

/** lttoolbox's Compression::multibyte_write. */
function int(n: number): number[] {
  if (n < 0x40) return [n];
  if (n < 0x4000) return [0x40 | (n >> 8), n & 0xff];
  if (n < 0x400000) return [0x80 | (n >> 16), (n >> 8) & 0xff, n & 0xff];
  return [0xc0 | (n >>> 24), (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}
const str = (s: string): number[] => [...int(s.length), ...[...s].flatMap((c) => int(c.codePointAt(0)!))];

/** A .prob head as TaggerDataHMM::write lays it out (the matrices after N and M are left out). */
function probFile(o: { tags: string[]; open: number[]; classes: number[][]; n?: number; m?: number }): Uint8Array {
  const bytes: number[] = [];
  bytes.push(...int(o.open.length));
  o.open.forEach((t, i) => bytes.push(...int(t - (i === 0 ? 0 : o.open[i - 1]!))));
  bytes.push(...int(1), ...int(0), ...int(1)); // one forbid rule
  bytes.push(...int(o.tags.length), ...o.tags.flatMap(str));
  bytes.push(...int(o.tags.length), ...o.tags.flatMap((t, i) => [...str(t), ...int(i)]));
  bytes.push(...int(1), ...int(2), ...int(2), ...int(0), ...int(1)); // one enforce rule
  bytes.push(...int(1), ...str('pref'));
  bytes.push(...int(1), ...str('kEOF'), ...int(5));
  bytes.push(...int(o.classes.length), ...o.classes.flatMap((c) => [...int(c.length), ...c.flatMap(int)]));
  bytes.push(...int(o.n ?? o.tags.length), ...int(o.m ?? o.classes.length));
  return Uint8Array.from(bytes);
}

const names = (m: HmmTaggerModel, tags: readonly number[]): string =>
  `{${tags.map((t) => [...m.tagIndex].find(([, i]) => i === t)![0]).join(',')}}`;

describe('reading a .prob head', () => {
  test('the pairs relais uses: every file reads, and fra-cat has the open class its messages name', () => {
    for (const [file, classes] of [
      ['apertium-fr-es/fr-es.prob', 342],
      ['apertium-fra-cat/fra-cat.prob', 416],
      ['apertium-eo-fr/fr-eo.prob', 427],
      ['apertium-oci-fra/fra-oci.prob', 416],
      ['apertium-eng-spa/spa-eng.prob', 314],
    ] as const) {
      expect(readHmmTaggerModel(`/usr/share/apertium/${file}`).classes, file).toHaveLength(classes);
    }
    const m = readHmmTaggerModel('/usr/share/apertium/apertium-fra-cat/fra-cat.prob');
    expect(names(m, m.openClass)).toBe(
      '{ACRONIMOM,ACRONIMOF,ACRONIMOMF,NOMM,NOMF,NOMMF,ADV,CNJADV,DETNT,INTERJ,ANTROPONIM,TOPONIM,ORGANISATION,NPALTRES,VLEXINF,VLEXGER,VLEXPPRES,VLEXPARTPI,VLEXPFCI,VLEXIPI,VLEXSUBJ,VLEXIMP,ADJF,ADJM,ADJMF,IMPLEXPRNENC}',
    );
    // The open class is one of the known classes (the tagger's training adds it).
    expect(m.classes.some((c) => sameTagSet(c, m.openClass))).toBe(true);
  });

  test('integers of one to four bytes, and tag names beyond ASCII', () => {
    const tags = Array.from({ length: 70 }, (_, i) => (i === 69 ? 'ÉTÉ' : `T${i}`));
    const m = parseHmmTaggerModel(probFile({ tags, open: [2, 65, 69], classes: [[2, 65, 69], [65], [0, 69]] }));
    expect(m.openClass).toEqual([2, 65, 69]);
    expect(m.classes).toEqual([[2, 65, 69], [65], [0, 69]]);
    expect(tagSetOf(m, '{ÉTÉ,T0}')).toEqual([0, 69]);
    for (const n of [0, 63, 64, 16383, 16384, 4194303, 4194304, 1e9]) {
      const m2 = parseHmmTaggerModel(Uint8Array.from([...int(0), ...int(0), ...int(0), ...int(0), ...int(0), ...int(0), ...int(1), ...str('x'), ...int(n), ...int(0), ...int(0), ...int(0)]));
      expect(m2.classes).toEqual([]); // the constant's value was read whole, whatever its size
    }
  });

  test('a cut or inconsistent file is refused, naming it', () => {
    const good = probFile({ tags: ['A', 'B', 'C'], open: [0, 1], classes: [[0, 1], [2]] });
    expect(() => parseHmmTaggerModel(good.subarray(0, good.length - 3), 'x.prob')).toThrow(/x\.prob: ends early/);
    expect(() => parseHmmTaggerModel(probFile({ tags: ['A', 'B', 'C'], open: [0, 1], classes: [[0, 1], [2]], m: 5 }), 'y.prob')).toThrow(/y\.prob: not an HMM tagger file/);
    expect(() => parseHmmTaggerModel(probFile({ tags: ['A', 'B'], open: [0, 7], classes: [[0, 1]] }), 'z.prob')).toThrow(/z\.prob/);
  });
});

describe('the open class after a word of a class the .prob lacks', () => {
  const m = parseHmmTaggerModel(
    probFile({
      tags: ['A', 'B', 'C', 'D', 'E', 'F'],
      open: [3, 4, 5],
      classes: [[3, 4, 5], [0], [3, 4], [4, 5], [1, 2], [1, 2, 5]],
    }),
  );

  test('it becomes the known classes, in file order, each smaller than the last, that hold the word’s tags', () => {
    // {E}: [3,4] comes first and is smaller than the open class; [4,5] is not smaller than [3,4].
    expect(openClassAfter(m, m.openClass, [4])).toEqual([3, 4]);
    expect(openClassAfter(m, m.openClass, [5])).toEqual([4, 5]);
  });

  test('no smaller known class holds the tags: the open class stays as it was', () => {
    const after = openClassAfter(m, m.openClass, [0, 5]);
    expect(after).toEqual([3, 4, 5]);
    expect(sameTagSet(after, m.openClass)).toBe(true);
    // A larger class that holds them ([1,2,5] for {B,F}) is not taken either: only smaller ones are.
    expect(openClassAfter(m, m.openClass, [1, 5])).toEqual([3, 4, 5]);
  });

  test('from an open class already changed, the walk starts from it (and may keep a class without the tags)', () => {
    expect(openClassAfter(m, [3, 4], [5])).toEqual([3, 4]);
    expect(openClassAfter(m, [3, 4], [3])).toEqual([3, 4]);
  });

  test('real fra-cat: the class of "CSA présente." moves it; that of "comme" does not', () => {
    const fc = readHmmTaggerModel('/usr/share/apertium/apertium-fra-cat/fra-cat.prob');
    const poison = openClassAfter(fc, fc.openClass, tagSetOf(fc, '{VLEXPFCI,ADJF}')!);
    expect(names(fc, poison)).toBe('{VLEXPFCI,VLEXSUBJ,ADJF}');
    const comme = openClassAfter(fc, fc.openClass, tagSetOf(fc, '{ADV,CNJADV,PREP,RELADV}')!);
    expect(sameTagSet(comme, fc.openClass)).toBe(true);
  });

  test('class names as the tagger prints them', () => {
    expect(tagSetOf(m, '{B,A}')).toEqual([0, 1]);
    expect(tagSetOf(m, '{}')).toEqual([]);
    expect(tagSetOf(m, '{A,ZZ}')).toBeUndefined();
    expect(tagSetOf(m, 'A,B')).toBeUndefined();
  });
});

describe('which taggers relais follows', () => {
  const prob = '/usr/share/apertium/apertium-fra-cat/fra-cat.prob';
  test('the HMM tagger of a mode: its .prob is read once', () => {
    const m = taggerModel(`apertium-tagger -d -z -g  '${prob}'`);
    expect(m?.classes).toHaveLength(416);
    expect(taggerModel(`apertium-tagger -d -z -g '${prob}'`)).toBe(m);
  });

  test('other tagger kinds, an unreadable file, a shell command: not followed (every new class then replaces the tagger)', () => {
    expect(taggerModel(`apertium-tagger -d -z -w -g '${prob}'`)).toBeNull();
    expect(taggerModel(`apertium-tagger -d -z -g --unigram=1 '${prob}'`)).toBeNull();
    expect(taggerModel(`apertium-tagger -d -z -g '/nonexistent/x.prob'`)).toBeNull();
    expect(taggerModel(`apertium-tagger -d -z -g "$HOME/x.prob"`)).toBeNull();
    expect(taggerModel(`apertium-tagger -d -z -g '/usr/share/apertium/apertium-fra-cat/fra-cat.autogen.bin'`)).toBeNull();
  });
});
