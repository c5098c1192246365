/**
 * An in-memory type-ahead index over a whole label catalogue (ICD-10-CM: 94k codes), built from
 * `labels.catalogue` rows. Pure TypeScript with no DOM: it runs inside the label-search Web Worker,
 * and on the UI thread only where workers are unavailable.
 *
 * Why here and not in SQLite: a round trip plus an FTS5 query per keystroke measured p95 36 ms,
 * max 62 ms on the demo catalogue (short prefixes such as "d" match most of it); this index answers
 * in about a millisecond (`npm run bench:ui`).
 *
 * Search: every query word must prefix-match a word of the code's title or synonyms (type-ahead:
 * "diab mell" finds "Diabetes mellitus"); a query that looks like a code also matches code keys
 * ("e119", "E11.9" and "E11 9" find E11.9). Ranking: exact code, code prefix (shorter first),
 * then text hits scored by field (title over synonym), whole-word over prefix hits, a title that
 * starts with the first word, shorter titles, and a little for labels already used in training.
 */

export interface LabelHit {
  id: number;
  code: string;
  title: string;
  kind: 'code' | 'category';
  /** No children: assignable in a leaf-only catalogue (ICD-10-CM's billable codes). */
  leaf: boolean;
  flagged: boolean;
  trainCount: number;
  childCount: number;
  /** Ancestors' codes and titles, root first (chapter › block › category). */
  path: { code: string; title: string }[];
  /** The synonym that matched, when the title did not. */
  matchedSynonym: string | null;
}

export interface SearchResult {
  items: LabelHit[];
  /** How many labels match in all (the list holds the best `limit`). */
  total: number;
}

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
function words(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

function lowerBound(arr: readonly string[], value: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Words sort by UTF-16 units; every word with prefix p lies in [p, p + U+FFFF). */
function prefixRange(sorted: readonly string[], prefix: string): [number, number] {
  return [lowerBound(sorted, prefix), lowerBound(sorted, `${prefix}\uffff`)];
}

export class LabelIndex {
  readonly size: number;
  readonly version: string;
  readonly #ids: Int32Array;
  readonly #codes: string[];
  readonly #titles: string[];
  readonly #synonyms: string[][];
  readonly #parent: Int32Array;
  readonly #category: Uint8Array;
  readonly #flagged: Uint8Array;
  readonly #childStart: Int32Array;
  readonly #children: Int32Array;
  readonly #roots: Int32Array;
  readonly #titleLength: Uint16Array;
  #trainCounts: Int32Array;
  readonly #byId = new Map<number, number>();
  /** Code keys sorted, and the label index of each. */
  readonly #codeKeys: string[];
  readonly #codeOrder: Int32Array;
  /** Distinct words of titles and synonyms, sorted; postings as CSR: label index × 2 + (1 if the word is in the title). */
  readonly #words: string[];
  readonly #postStart: Int32Array;
  readonly #postings: Int32Array;
  /** Word id of each title's first word (−1 when none). */
  readonly #firstWord: Int32Array;
  // Scratch for search: an epoch per label avoids clearing arrays between queries.
  readonly #epoch: Uint32Array;
  readonly #hits: Uint8Array;
  readonly #score: Float32Array;
  readonly #termBest: Float32Array;
  readonly #codeEpoch: Uint32Array;
  #currentEpoch = 0;

  constructor(rows: string, version = '') {
    this.version = version;
    const lines = rows.length ? rows.split('\n') : [];
    const n = lines.length;
    this.size = n;
    this.#ids = new Int32Array(n);
    this.#codes = new Array<string>(n);
    this.#titles = new Array<string>(n);
    this.#synonyms = new Array<string[]>(n);
    this.#parent = new Int32Array(n).fill(-1);
    this.#category = new Uint8Array(n);
    this.#flagged = new Uint8Array(n);
    this.#titleLength = new Uint16Array(n);
    this.#trainCounts = new Int32Array(n);
    const parentCodes = new Array<string>(n);
    const byCode = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const f = lines[i]!.split('\t');
      this.#ids[i] = Number(f[0]);
      this.#codes[i] = f[1] ?? '';
      parentCodes[i] = f[2] ?? '';
      this.#category[i] = f[3] === 'g' ? 1 : 0;
      this.#flagged[i] = f[4] === '1' ? 1 : 0;
      this.#titles[i] = f[5] ?? '';
      this.#synonyms[i] = f.length > 6 ? f.slice(6) : [];
      this.#titleLength[i] = Math.min(65535, this.#titles[i]!.length);
      this.#byId.set(this.#ids[i]!, i);
      byCode.set(this.#codes[i]!, i);
    }
    // Hierarchy: parent by code (a child may come before its parent); children as CSR, sorted by code.
    const childCount = new Int32Array(n);
    const roots: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = parentCodes[i] ? byCode.get(parentCodes[i]!) : undefined;
      if (p !== undefined && p !== i) {
        this.#parent[i] = p;
        childCount[p]!++;
      } else roots.push(i);
    }
    this.#childStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.#childStart[i + 1] = this.#childStart[i]! + childCount[i]!;
    this.#children = new Int32Array(this.#childStart[n]!);
    const fill = this.#childStart.slice(0, n);
    const byCodeOrder = Array.from({ length: n }, (_, i) => i).sort((a, b) => (this.#codes[a]! < this.#codes[b]! ? -1 : this.#codes[a]! > this.#codes[b]! ? 1 : 0));
    for (const i of byCodeOrder) {
      const p = this.#parent[i]!;
      if (p >= 0) this.#children[fill[p]!++] = i;
    }
    const rank = new Int32Array(n);
    byCodeOrder.forEach((i, r) => (rank[i] = r));
    this.#roots = Int32Array.from(roots.sort((a, b) => rank[a]! - rank[b]!));
    // Code keys.
    const keys = Array.from({ length: n }, (_, i) => ({ key: codeKey(this.#codes[i]!), i }));
    keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
    this.#codeKeys = keys.map((k) => k.key);
    this.#codeOrder = Int32Array.from(keys, (k) => k.i);
    // Word postings.
    const wordIds = new Map<string, number>();
    const perLabel: number[][] = new Array<number[]>(n);
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
      const titleWords = words(this.#titles[i]!);
      titleWords.forEach((w, k) => {
        const id = idOf(w);
        if (k === 0) firstWordTmp[i] = id;
        entries.set(id, 1);
      });
      for (const s of this.#synonyms[i]!) for (const w of words(s)) if (!entries.has(idOf(w))) entries.set(idOf(w), 0);
      const list: number[] = [];
      for (const [id, inTitle] of entries) list.push(id, inTitle);
      perLabel[i] = list;
      totalPostings += entries.size;
    }
    // Renumber words in sorted order so prefix ranges are contiguous.
    const order = Array.from({ length: wordList.length }, (_, id) => id).sort((a, b) => (wordList[a]! < wordList[b]! ? -1 : 1));
    const newId = new Int32Array(wordList.length);
    order.forEach((old, k) => (newId[old] = k));
    this.#words = order.map((old) => wordList[old]!);
    const count = new Int32Array(this.#words.length);
    for (const list of perLabel) for (let k = 0; k < list.length; k += 2) count[newId[list[k]!]!]!++;
    this.#postStart = new Int32Array(this.#words.length + 1);
    for (let w = 0; w < this.#words.length; w++) this.#postStart[w + 1] = this.#postStart[w]! + count[w]!;
    this.#postings = new Int32Array(totalPostings);
    const at = this.#postStart.slice(0, this.#words.length);
    perLabel.forEach((list, i) => {
      for (let k = 0; k < list.length; k += 2) {
        const w = newId[list[k]!]!;
        this.#postings[at[w]!++] = i * 2 + list[k + 1]!;
      }
    });
    this.#firstWord = Int32Array.from(firstWordTmp, (id) => (id < 0 ? -1 : newId[id]!));
    this.#epoch = new Uint32Array(n);
    this.#hits = new Uint8Array(n);
    this.#score = new Float32Array(n);
    this.#termBest = new Float32Array(n);
    this.#codeEpoch = new Uint32Array(n);
  }

  /** Replaces the training-document counts (`labels.counts`: [labelId, count, …]). */
  setTrainCounts(flat: readonly number[]): void {
    const counts = new Int32Array(this.size);
    for (let k = 0; k + 1 < flat.length; k += 2) {
      const i = this.#byId.get(flat[k]!);
      if (i !== undefined) counts[i] = flat[k + 1]!;
    }
    this.#trainCounts = counts;
  }

  isLeaf(i: number): boolean {
    return this.#childStart[i + 1] === this.#childStart[i] && this.#category[i] === 0;
  }

  /** The hit for one label row id (null when unknown). */
  get(id: number): LabelHit | null {
    const i = this.#byId.get(id);
    return i === undefined ? null : this.#hit(i, null);
  }

  /** Top-level nodes (ICD chapters), or the children of `parentId`, in code order. */
  children(parentId: number | null): LabelHit[] {
    let list: ArrayLike<number>;
    if (parentId === null) list = this.#roots;
    else {
      const p = this.#byId.get(parentId);
      if (p === undefined) return [];
      list = this.#children.subarray(this.#childStart[p]!, this.#childStart[p + 1]!);
    }
    return Array.from(list, (i) => this.#hit(i, null));
  }

  search(query: string, options: { limit?: number; leafOnly?: boolean } = {}): SearchResult {
    const limit = options.limit ?? 50;
    const leafOnly = options.leafOnly ?? false;
    const trimmed = query.trim();
    if (!trimmed) return { items: [], total: 0 };
    const epoch = this.#nextEpoch();
    const accept = (i: number): boolean => !leafOnly || this.isLeaf(i);
    const picked: number[] = [];
    // 1. Codes, when the query looks like one ("e11", "E11.9", "A00-A09"): exact key, then keys
    //    with that prefix, shorter codes first.
    const key = codeKey(trimmed);
    let codeMatches = 0;
    if (/^[A-Z]{1,2}\d[A-Z0-9]{0,10}$/.test(key) || /^\d{2,}[A-Z0-9]*$/.test(key)) {
      const [lo, hi] = prefixRange(this.#codeKeys, key);
      const matches: number[] = [];
      for (let r = lo; r < hi; r++) {
        const i = this.#codeOrder[r]!;
        this.#codeEpoch[i] = epoch;
        if (accept(i)) matches.push(i);
      }
      codeMatches = matches.length;
      matches.sort((a, b) => this.#codes[a]!.length - this.#codes[b]!.length || (this.#codes[a]! < this.#codes[b]! ? -1 : 1));
      picked.push(...matches.slice(0, limit));
    }
    // 2. Words: every query word prefix-matches a word of the label (AND). `#hits[i]` counts the
    //    terms label i matched so far (terms taken rarest first, so candidates only shrink);
    //    `#score` sums the best hit of each finished term, `#termBest` holds the current term's.
    const terms = [...new Set(words(trimmed))].slice(0, 8);
    let textMatches = 0;
    if (terms.length > 0) {
      const ranges = terms.map((t) => prefixRange(this.#words, t));
      const size = (k: number): number => this.#postStart[ranges[k]![1]]! - this.#postStart[ranges[k]![0]]!;
      const order = terms.map((_, k) => k).sort((a, b) => size(a) - size(b));
      order.forEach((k, step) => {
        const [lo, hi] = ranges[k]!;
        const termLength = terms[k]!.length;
        for (let w = lo; w < hi; w++) {
          const exact = this.#words[w]!.length === termLength;
          for (let p = this.#postStart[w]!; p < this.#postStart[w + 1]!; p++) {
            const entry = this.#postings[p]!;
            const i = entry >> 1;
            // Title hits count double; whole words 1.5×.
            const s = ((entry & 1) === 1 ? 2 : 1) * (exact ? 1.5 : 1);
            if (step === 0) {
              if (this.#epoch[i] !== epoch) {
                this.#epoch[i] = epoch;
                this.#hits[i] = 1;
                this.#score[i] = 0;
                this.#termBest[i] = s;
              } else if (s > this.#termBest[i]!) this.#termBest[i] = s;
            } else if (this.#epoch[i] === epoch) {
              if (this.#hits[i] === step) {
                this.#score[i] = this.#score[i]! + this.#termBest[i]!;
                this.#hits[i] = step + 1;
                this.#termBest[i] = s;
              } else if (this.#hits[i] === step + 1 && s > this.#termBest[i]!) this.#termBest[i] = s;
            }
          }
        }
      });
      const need = order.length;
      const [first0, first1] = ranges[0]!;
      const scoreOf = (i: number): number => {
        let s = this.#score[i]! + this.#termBest[i]!;
        const fw = this.#firstWord[i]!;
        if (fw >= first0 && fw < first1) s += 1.5; // the title starts with the first query word
        s -= this.#titleLength[i]! / 120; // shorter, more general titles first
        const n = this.#trainCounts[i]!;
        if (n > 0) s += 0.25 + Math.min(0.75, Math.log10(1 + n) / 4); // labels in use
        if (this.#category[i]) s -= 0.5;
        return s;
      };
      // Every survivor appears in the last term's postings: collect each once (#hits → 0xff).
      const top: { i: number; s: number }[] = [];
      const [lo, hi] = ranges[order[need - 1]!]!;
      for (let w = lo; w < hi; w++) {
        for (let p = this.#postStart[w]!; p < this.#postStart[w + 1]!; p++) {
          const i = this.#postings[p]! >> 1;
          if (this.#epoch[i] !== epoch || this.#hits[i] !== need) continue;
          this.#hits[i] = 0xff;
          // Code matches are listed (and counted) already.
          if (!accept(i) || this.#codeEpoch[i] === epoch) continue;
          textMatches++;
          const s = scoreOf(i);
          if (top.length === limit && s <= top[limit - 1]!.s) continue;
          let pos = top.length;
          while (pos > 0 && top[pos - 1]!.s < s) pos--;
          top.splice(pos, 0, { i, s });
          if (top.length > limit) top.pop();
        }
      }
      for (const t of top) {
        if (picked.length >= limit) break;
        picked.push(t.i);
      }
    }
    return { items: picked.map((i) => this.#hit(i, terms)), total: codeMatches + textMatches };
  }

  #nextEpoch(): number {
    this.#currentEpoch++;
    if (this.#currentEpoch === 0xffffffff) {
      this.#epoch.fill(0);
      this.#codeEpoch.fill(0);
      this.#currentEpoch = 1;
    }
    return this.#currentEpoch;
  }

  #hit(i: number, terms: string[] | null): LabelHit {
    const path: { code: string; title: string }[] = [];
    for (let p = this.#parent[i]!; p >= 0 && path.length < 12; p = this.#parent[p]!) path.unshift({ code: this.#codes[p]!, title: this.#titles[p]! });
    let matchedSynonym: string | null = null;
    if (terms && terms.length) {
      const titleWords = words(this.#titles[i]!);
      const inTitle = terms.every((t) => titleWords.some((w) => w.startsWith(t)));
      if (!inTitle) matchedSynonym = this.#synonyms[i]!.find((s) => terms.every((t) => words(s).some((w) => w.startsWith(t)))) ?? this.#synonyms[i]![0] ?? null;
    }
    return {
      id: this.#ids[i]!,
      code: this.#codes[i]!,
      title: this.#titles[i]!,
      kind: this.#category[i] ? 'category' : 'code',
      leaf: this.isLeaf(i),
      flagged: this.#flagged[i] === 1,
      trainCount: this.#trainCounts[i]!,
      childCount: this.#childStart[i + 1]! - this.#childStart[i]!,
      path,
      matchedSynonym,
    };
  }
}
