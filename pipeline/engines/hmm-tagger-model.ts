/**
 * What relais needs to know of an HMM tagger's `.prob` file to follow the one piece of state
 * `apertium-tagger -g` carries from one block to the next: its open ambiguity class.
 *
 * In Apertium 3.8.3, a word whose ambiguity class is missing from the `.prob` goes through
 * `find_similar_ambiguity_class`, which walks the known classes in file order and assigns each
 * smaller one that includes the word's tags to a reference to the open class (the tag set given to
 * unknown words), so that class stays changed for the rest of the process's life. Often nothing is
 * assigned — no known class smaller than the current open class includes the word's tags — and the
 * tagger is exactly as it was. `apertium-tagger -d` names the class of every such word on stderr
 * (`New ambiguity class: {ADV,CNJADV,PREP,RELADV}`), so replaying those walks here tells whether
 * a block left the tagger changed — and only then does it need replacing.
 *
 * The `.prob` layout read here is `TaggerDataHMM::read` (open class, forbid rules, tag names, tag
 * index, enforce rules, prefer rules, constants, ambiguity classes, N, M, …), in lttoolbox's
 * multibyte integers. Only the part up to the ambiguity classes is read.
 */
import { readFileSync } from 'node:fs';

/** A set of tag indices, sorted ascending (as `std::set<int>` iterates). */
export type TagSet = readonly number[];

export interface HmmTaggerModel {
  /** The open class a fresh tagger starts with. */
  readonly openClass: TagSet;
  /** Ambiguity classes in file order (the order `find_similar_ambiguity_class` walks them). */
  readonly classes: readonly TagSet[];
  /** Tag name → index, as the tagger prints names in its messages. */
  readonly tagIndex: ReadonlyMap<string, number>;
}

/**
 * Read the head of an HMM `.prob` file. Throws if it does not have the expected shape (the caller
 * then treats every reported class as a change, which is always safe).
 */
export function readHmmTaggerModel(path: string): HmmTaggerModel {
  return parseHmmTaggerModel(readFileSync(path), path);
}

export function parseHmmTaggerModel(buf: Uint8Array, name = 'tagger data'): HmmTaggerModel {
  let p = 0;
  const byte = (): number => {
    if (p >= buf.length) throw new Error(`${name}: ends early, at byte ${p}`);
    return buf[p++]!;
  };
  // lttoolbox Compression::multibyte_read: the top two bits of the first byte give the length.
  const int = (): number => {
    const first = byte();
    const extra = first >> 6;
    let value = first & 0x3f;
    for (let i = 0; i < extra; i++) value = value * 256 + byte();
    return value;
  };
  const string = (): string => {
    let s = '';
    for (let n = int(); n > 0; n--) s += String.fromCodePoint(int());
    return s;
  };
  const openClass: number[] = [];
  for (let n = int(), tag = 0; n > 0; n--) openClass.push((tag += int())); // stored as differences
  for (let n = int(); n > 0; n--) int(), int(); // forbid rules
  const names: string[] = [];
  for (let n = int(); n > 0; n--) names.push(string());
  const index = new Map<string, number>();
  for (let n = int(); n > 0; n--) {
    const key = string();
    index.set(key, int());
  }
  for (let n = int(); n > 0; n--) {
    int();
    for (let m = int(); m > 0; m--) int(); // enforce rules
  }
  for (let n = int(); n > 0; n--) string(); // prefer rules
  for (let n = int(); n > 0; n--) string(), int(); // constants
  const classes: number[][] = [];
  for (let n = int(); n > 0; n--) {
    const c: number[] = [];
    for (let m = int(); m > 0; m--) c.push(int());
    classes.push(c.sort((a, b) => a - b));
  }
  const N = int();
  const M = int();
  // The tags the messages name: array_tags, by position (the tagger prints array_tags[tag]).
  const tagIndex = new Map<string, number>();
  names.forEach((tag, i) => {
    if (!tagIndex.has(tag)) tagIndex.set(tag, i);
  });
  if (N !== index.size || M !== classes.length || N > names.length || openClass.some((t) => t >= N) || classes.some((c) => c.some((t) => t >= N))) {
    throw new Error(`${name}: not an HMM tagger file relais can read (N=${N}, M=${M}, ${index.size} tags, ${classes.length} classes)`);
  }
  for (const [tag, i] of tagIndex) if (index.has(tag) && index.get(tag) !== i) throw new Error(`${name}: tag ${tag} has two indices`);
  return { openClass, classes, tagIndex };
}

/**
 * The tag set of a class as the tagger names it in `New ambiguity class: {A,B,C}`; `undefined`
 * if a name is not one of the model's tags.
 */
export function tagSetOf(model: HmmTaggerModel, names: string): TagSet | undefined {
  const inner = /^\{(.*)\}$/.exec(names.trim())?.[1];
  if (inner === undefined) return undefined;
  const tags: number[] = [];
  for (const name of inner === '' ? [] : inner.split(',')) {
    const i = model.tagIndex.get(name);
    if (i === undefined) return undefined;
    tags.push(i);
  }
  return [...new Set(tags)].sort((a, b) => a - b);
}

/**
 * The open class after the tagger met a word of the unknown class `tags`, starting from `open`:
 * `find_similar_ambiguity_class` of Apertium 3.8.3, which keeps the last class, in file order,
 * that is smaller than the open class at that moment and includes `tags`.
 */
export function openClassAfter(model: HmmTaggerModel, open: TagSet, tags: TagSet): TagSet {
  let current = open;
  for (const c of model.classes) {
    if (c.length >= current.length) continue;
    if (includesAll(c, tags)) current = c;
  }
  return current;
}

export function sameTagSet(a: TagSet, b: TagSet): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** Both sorted ascending: does `big` hold every tag of `small`? */
function includesAll(big: TagSet, small: TagSet): boolean {
  let i = 0;
  for (const t of small) {
    while (i < big.length && big[i]! < t) i++;
    if (big[i] !== t) return false;
  }
  return true;
}
