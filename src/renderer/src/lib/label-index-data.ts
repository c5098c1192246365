/**
 * The label picker's index as plain data, and how it is built from `labels.catalogue` rows (the
 * expensive part, run in the label-search Web Worker). Typed arrays are transferred, not copied,
 * and every string lives in one packed string with offsets (one flat copy instead of 300k small
 * strings). `LabelIndex` (label-index.ts) searches it.
 */

/** Codes are compared without dots, spaces and case, as coders type them. */
export function codeKey(code: string): string {
  return code.replace(/[.\s-]/g, '').toUpperCase();
}

/** Lower-case, no diacritics: "Ménière" is found by "meniere". */
export function fold(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(text) ? text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase() : text.toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;
export function words(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/**
 * Which variant of its concept a code is, from its title (ICD-10-CM's conventions):
 * - `general`: the unspecified code of its family ("E11.9 … without complications", "I21.9 Acute
 *   myocardial infarction, unspecified"), what a coder assigns when nothing more is known;
 * - `initial` / `subsequent` / `sequela`: the 7th-character encounter of injuries and poisonings;
 * - `other`: anything else.
 * Only a code ending in 9 whose title says so as a whole counts as general: "E11.8 … with
 * unspecified complications" is specific, and so is "E11.3219 …, unspecified eye" (an unknown
 * side of a specific complication, not the family's default).
 */
export function variantOf(code: string, title: string): 'general' | 'initial' | 'subsequent' | 'sequela' | 'other' {
  const t = title.toLowerCase();
  if (/\bsequela\b/.test(t)) return 'sequela';
  if (/\bsubsequent encounter\b/.test(t)) return 'subsequent';
  if (/\binitial encounter\b/.test(t)) return 'initial';
  if (/9$/.test(code) && /^unspecified\b|, unspecified( organism)?$|\bwithout complications?$|\bnot otherwise specified$/.test(t)) return 'general';
  return 'other';
}

/** Order among siblings: the general code and initial encounters first, sequelae last. */
const SIBLING_RANK = { general: 0, initial: 0, other: 1, subsequent: 2, sequela: 3 } as const;
/** Text search: the same preference as a score adjustment (a title's words decide first). */
// A sequela's title is 13 characters shorter than a subsequent encounter's ("sequela" against
// "subsequent encounter"), which the length preference rewards by 0.11: the gap here is larger.
const VARIANT_BONUS = { general: 0.5, initial: 0, other: 0, subsequent: -0.3, sequela: -0.5 } as const;

/**
 * The index as plain data: typed arrays (transferable) and string tables packed into one string.
 * A table is an offset array into `text`: string i is `text.slice(at[i], at[i + 1])`.
 */
export interface LabelIndexData {
  version: string;
  size: number;
  text: string;
  codeAt: Int32Array;
  titleAt: Int32Array;
  /** All synonyms, label by label; `synOf[i]…synOf[i + 1]` are label i's. */
  synAt: Int32Array;
  synOf: Int32Array;
  /** Distinct words of titles and synonyms, sorted. */
  wordAt: Int32Array;
  /** Code keys sorted, and the label index of each. */
  keyAt: Int32Array;
  codeOrder: Int32Array;
  ids: Int32Array;
  parent: Int32Array;
  category: Uint8Array;
  flagged: Uint8Array;
  childStart: Int32Array;
  children: Int32Array;
  roots: Int32Array;
  /** Postings as CSR over words: label index × 2 + (1 if the word is in the title). */
  postStart: Int32Array;
  postings: Int32Array;
  /** Word id of each title's first word (−1 when none). */
  firstWord: Int32Array;
  /**
   * Position of each label in a walk of the hierarchy where siblings come in code order, except
   * that the general (unspecified) code and initial encounters come first: the order of code
   * matches ("E11" lists E11.9, then E11.00, E11.01 …) and the tie-break of text matches.
   */
  codeRank: Int32Array;
  /** Score adjustment of text matches for the label's variant (see `variantOf`). */
  variantBonus: Float32Array;
  /** The label's top-level group below the roots (an ICD block such as E08-E13), or itself. */
  family: Int32Array;
}

/** The typed arrays of `data`, for `postMessage(data, transfer)`. */
export function transferables(data: LabelIndexData): ArrayBuffer[] {
  return Object.values(data)
    .filter((v): v is Int32Array | Uint8Array | Float32Array => ArrayBuffer.isView(v))
    .map((v) => v.buffer as ArrayBuffer);
}

/** Packs string tables into one string with an offset array per table. */
function pack(tables: readonly (readonly string[])[]): { text: string; at: Int32Array[] } {
  let pos = 0;
  const at = tables.map((t) => {
    const offsets = new Int32Array(t.length + 1);
    offsets[0] = pos;
    t.forEach((s, i) => (offsets[i + 1] = pos += s.length));
    return offsets;
  });
  return { text: tables.map((t) => t.join('')).join(''), at };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Parses `labels.catalogue` rows and builds the index data (the expensive part: run it in a worker). */
export function buildIndexData(rows: string, version = ''): LabelIndexData {
  const lines = rows.length ? rows.split('\n') : [];
  const n = lines.length;
  const ids = new Int32Array(n);
  const codes = new Array<string>(n);
  const titles = new Array<string>(n);
  const synonyms = new Array<string[]>(n);
  const parent = new Int32Array(n).fill(-1);
  const category = new Uint8Array(n);
  const flagged = new Uint8Array(n);
  const parentCodes = new Array<string>(n);
  const byCode = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const f = lines[i]!.split('\t');
    ids[i] = Number(f[0]);
    codes[i] = f[1] ?? '';
    parentCodes[i] = f[2] ?? '';
    category[i] = f[3] === 'g' ? 1 : 0;
    flagged[i] = f[4] === '1' ? 1 : 0;
    titles[i] = f[5] ?? '';
    synonyms[i] = f.length > 6 ? f.slice(6) : [];
    byCode.set(codes[i]!, i);
  }
  // Hierarchy: parent by code (a child may come before its parent); children as CSR, sorted by code.
  const childCount = new Int32Array(n);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parentCodes[i] ? byCode.get(parentCodes[i]!) : undefined;
    if (p !== undefined && p !== i) {
      parent[i] = p;
      childCount[p]!++;
    } else roots.push(i);
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i]! + childCount[i]!;
  const children = new Int32Array(childStart[n]!);
  const fill = childStart.slice(0, n);
  const byCodeOrder = Array.from({ length: n }, (_, i) => i).sort((a, b) => byString(codes[a]!, codes[b]!));
  for (const i of byCodeOrder) {
    const p = parent[i]!;
    if (p >= 0) children[fill[p]!++] = i;
  }
  const rank = new Int32Array(n);
  byCodeOrder.forEach((i, r) => (rank[i] = r));
  roots.sort((a, b) => rank[a]! - rank[b]!);
  const { codeRank, variantBonus, family } = orderings(n, codes, titles, parent, roots, childStart, children);
  // Code keys.
  const keys = Array.from({ length: n }, (_, i) => ({ key: codeKey(codes[i]!), i }));
  keys.sort((a, b) => byString(a.key, b.key) || a.i - b.i);
  const { sortedWords, postStart, postings, firstWord } = wordPostings(titles, synonyms);
  const synOf = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) synOf[i + 1] = synOf[i]! + synonyms[i]!.length;
  const packed = pack([codes, titles, synonyms.flat(), sortedWords, keys.map((k) => k.key)]);
  return {
    version,
    size: n,
    text: packed.text,
    codeAt: packed.at[0]!,
    titleAt: packed.at[1]!,
    synAt: packed.at[2]!,
    synOf,
    wordAt: packed.at[3]!,
    keyAt: packed.at[4]!,
    codeOrder: Int32Array.from(keys, (k) => k.i),
    ids,
    parent,
    category,
    flagged,
    childStart,
    children,
    roots: Int32Array.from(roots),
    postStart,
    postings,
    firstWord,
    codeRank,
    variantBonus,
    family,
  };
}

/** The hierarchy walk (`codeRank`), the variant of each code, and each label's top-level group. */
function orderings(
  n: number,
  codes: readonly string[],
  titles: readonly string[],
  parent: Int32Array,
  roots: readonly number[],
  childStart: Int32Array,
  children: Int32Array,
): { codeRank: Int32Array; variantBonus: Float32Array; family: Int32Array } {
  const variantBonus = new Float32Array(n);
  const siblingRank = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = variantOf(codes[i]!, titles[i]!);
    variantBonus[i] = VARIANT_BONUS[v];
    siblingRank[i] = SIBLING_RANK[v];
  }
  // `children` is in code order; a stable sort by sibling rank keeps code order within a rank.
  const bySibling = (list: ArrayLike<number>): number[] => Array.from(list).sort((a, b) => siblingRank[a]! - siblingRank[b]!);
  const codeRank = new Int32Array(n).fill(-1);
  let next = 0;
  const stack = bySibling(roots).reverse();
  while (stack.length) {
    const i = stack.pop()!;
    if (codeRank[i] !== -1) continue; // a cycle in a broken hierarchy: visit once
    codeRank[i] = next++;
    const kids = bySibling(children.subarray(childStart[i]!, childStart[i + 1]!));
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
  }
  for (let i = 0; i < n; i++) if (codeRank[i] === -1) codeRank[i] = next++;
  const family = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let f = i;
    for (let steps = 0; parent[f]! >= 0 && parent[parent[f]!]! >= 0 && steps < 64; steps++) f = parent[f]!;
    family[i] = f;
  }
  return { codeRank, variantBonus, family };
}

/** Distinct words of titles and synonyms (sorted, so a prefix is a range) and their postings. */
function wordPostings(titles: readonly string[], synonyms: readonly string[][]): { sortedWords: string[]; postStart: Int32Array; postings: Int32Array; firstWord: Int32Array } {
  const n = titles.length;
  const wordIds = new Map<string, number>();
  const perLabel = new Array<number[]>(n);
  const wordList: string[] = [];
  const idOf = (w: string): number => {
    let id = wordIds.get(w);
    if (id === undefined) {
      id = wordList.length;
      wordIds.set(w, id);
      wordList.push(w);
    }
    return id;
  };
  const firstWordTmp = new Int32Array(n).fill(-1);
  let totalPostings = 0;
  for (let i = 0; i < n; i++) {
    const entries = new Map<number, number>();
    words(titles[i]!).forEach((w, k) => {
      const id = idOf(w);
      if (k === 0) firstWordTmp[i] = id;
      entries.set(id, 1);
    });
    for (const s of synonyms[i]!) for (const w of words(s)) if (!entries.has(idOf(w))) entries.set(idOf(w), 0);
    const list: number[] = [];
    for (const [id, inTitle] of entries) list.push(id, inTitle);
    perLabel[i] = list;
    totalPostings += entries.size;
  }
  // Renumber words in sorted order so prefix ranges are contiguous.
  const order = Array.from({ length: wordList.length }, (_, id) => id).sort((a, b) => byString(wordList[a]!, wordList[b]!));
  const newId = new Int32Array(wordList.length);
  order.forEach((old, k) => (newId[old] = k));
  const sortedWords = order.map((old) => wordList[old]!);
  const count = new Int32Array(sortedWords.length);
  for (const list of perLabel) for (let k = 0; k < list.length; k += 2) count[newId[list[k]!]!]!++;
  const postStart = new Int32Array(sortedWords.length + 1);
  for (let w = 0; w < sortedWords.length; w++) postStart[w + 1] = postStart[w]! + count[w]!;
  const postings = new Int32Array(totalPostings);
  const at = postStart.slice(0, sortedWords.length);
  perLabel.forEach((list, i) => {
    for (let k = 0; k < list.length; k += 2) postings[at[newId[list[k]!]!]!++] = i * 2 + list[k + 1]!;
  });
  return { sortedWords, postStart, postings, firstWord: Int32Array.from(firstWordTmp, (id) => (id < 0 ? -1 : newId[id]!)) };
}

/** Binary search over a packed, sorted table: the first entry not below `value`. */
export function lowerBoundAt(text: string, at: Int32Array, value: string): number {
  let lo = 0;
  let hi = at.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (text.slice(at[mid]!, at[mid + 1]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every entry with prefix p lies in [p, p + U+FFFF) of a sorted table. */
export function prefixRange(text: string, at: Int32Array, prefix: string): [number, number] {
  return [lowerBoundAt(text, at, prefix), lowerBoundAt(text, at, `${prefix}\uffff`)];
}
