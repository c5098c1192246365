/**
 * The queue's ranking maths, pure (no SQLite, no model): how a document's score is made from its
 * evidence, how two rankings fuse, the seeded shuffle, and `OrderedList`, the ranked order a
 * cache keeps and updates one document at a time.
 *
 * An order is by score, largest first, ties by ascending document id (stable across calls).
 */

/** Labels with at most this many training documents are "rare" for the rare-first order (PLANT.md §3: few = 1–5). */
export const RARE_MAX_TRAIN_DOCS = 5;

/** Zero-shot labels count fully; a label with n examples by 1 / (1 + n/4) (0.44 at n = 5). */
export function rarity(trainDocs: number): number {
  return 1 / (1 + 0.25 * trainDocs);
}

/** The weight of a few-shot label's MIG seeds beside its description: α = n / (n + 2). */
export function migBlend(trainDocs: number): number {
  return trainDocs / (trainDocs + 2);
}

export interface Ranked {
  ids: number[];
  scores: number[];
}

/** Orders before: larger score first, then the smaller id. */
export function before(scoreA: number, idA: number, scoreB: number, idB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && idA < idB);
}

/** Ranks the documents with a score (null = not in the order), best first. */
export function rankBy(ids: ArrayLike<number>, score: (id: number) => number | null): Ranked {
  const keptIds: number[] = [];
  const negScores: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const s = score(ids[i]!);
    if (s === null) continue;
    keptIds.push(ids[i]!);
    negScores.push(-s);
  }
  // Positions sorted over plain arrays, no object per document (250,000 objects cost seconds).
  const order = Array.from({ length: keptIds.length }, (_, i) => i);
  order.sort((a, b) => negScores[a]! - negScores[b]! || keptIds[a]! - keptIds[b]!);
  return { ids: order.map((i) => keptIds[i]!), scores: order.map((i) => -negScores[i]!) };
}

/** Lets the event loop run other work (a request) before continuing. */
export const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const SLICE_MS = 8;
const RUN = 1 << 14;

/**
 * `rankBy` for large orders, in time slices of a few milliseconds so the host answers meanwhile
 * (sorting 250,000 documents in one go held it for half a second and more): scores in slices,
 * sorted runs of 16,384, then merged pairwise in slices. Same order as `rankBy`.
 */
export async function rankInSlices(idsOrRead: ArrayLike<number> | Promise<ArrayLike<number>>, score: (id: number) => number | null, sliceMs = SLICE_MS): Promise<Ranked> {
  const ids = await idsOrRead;
  if (ids.length <= RUN) return rankBy(ids, score);
  let deadline = performance.now() + sliceMs;
  const pause = async (): Promise<void> => {
    if (performance.now() < deadline) return;
    await yieldNow();
    deadline = performance.now() + sliceMs;
  };
  const keptIds: number[] = [];
  const neg: number[] = [];
  let ascending = true;
  for (let i = 0; i < ids.length; i++) {
    const s = score(ids[i]!);
    if (s !== null) {
      if (keptIds.length > 0 && ids[i]! <= keptIds[keptIds.length - 1]!) ascending = false;
      keptIds.push(ids[i]!);
      neg.push(-s);
    }
    if ((i & 1023) === 1023) await pause();
  }
  const cmp = (a: number, b: number): number => neg[a]! - neg[b]! || keptIds[a]! - keptIds[b]!;
  if (!ascending) {
    const order = await sortInSlices(Array.from({ length: keptIds.length }, (_, i) => i), cmp, pause);
    return { ids: order.map((i) => keptIds[i]!), scores: order.map((i) => -neg[i]!) };
  }
  // Ids in ascending order are already in tie order, so the documents scored exactly 0 (most of a
  // large corpus for a keyword order: 186,000 of 187,000 while the index grows) stay where they
  // are, between the positive and the negative scores, and only those are sorted.
  const above: number[] = [];
  const zero: number[] = [];
  const below: number[] = [];
  for (let i = 0; i < neg.length; i++) (neg[i]! < 0 ? above : neg[i] === 0 ? zero : below).push(i);
  const order = [...(await sortInSlices(above, cmp, pause)), ...zero, ...(await sortInSlices(below, cmp, pause))];
  return { ids: order.map((i) => keptIds[i]!), scores: order.map((i) => -neg[i]!) };
}

/** Sorts `indices` by `cmp`: sorted runs of 16,384, then merged pairwise, pausing between slices. */
async function sortInSlices(indices: number[], cmp: (a: number, b: number) => number, pause: () => Promise<void>): Promise<number[]> {
  let runs: number[][] = [];
  for (let start = 0; start < indices.length; start += RUN) {
    const run = indices.slice(start, start + RUN);
    run.sort(cmp);
    runs.push(run);
    await pause();
  }
  while (runs.length > 1) {
    const next: number[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r]!;
      const b = runs[r + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out = new Array<number>(a.length + b.length);
      let i = 0;
      let j = 0;
      for (let k = 0; k < out.length; k++) {
        out[k] = j >= b.length || (i < a.length && cmp(a[i]!, b[j]!) <= 0) ? a[i++]! : b[j++]!;
        if ((k & 4095) === 4095) await pause();
      }
      next.push(out);
    }
    runs = next;
  }
  return runs[0] ?? [];
}

/** The largest value (a loop: `Math.max(...xs)` throws RangeError past ~120,000 values). */
export function maxOf(xs: ArrayLike<number>, floor = -Infinity): number {
  let m = floor;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > m) m = xs[i]!;
  return m;
}

/**
 * The best score of a document over its candidate labels: each candidate's evidence × the
 * rarity of its label, for labels with at most RARE_MAX_TRAIN_DOCS training documents. Returns
 * the winning index into `candidates`, or −1 when none is rare.
 */
export function bestRare(candidates: readonly { label: number; evidence: number }[], trainCount: (label: number) => number): { score: number; index: number } {
  let score = 0;
  let index = -1;
  candidates.forEach((c, i) => {
    const n = trainCount(c.label);
    if (n > RARE_MAX_TRAIN_DOCS) return;
    const s = c.evidence * rarity(n);
    if (s > score) {
      score = s;
      index = i;
    }
  });
  return { score, index };
}

/**
 * Merges two rankings of the same documents by the larger of their scores, each first divided by
 * its own scale (keyword evidence and model scores live on different scales). `scaleA`/`scaleB`
 * default to each side's maximum; a cache passes the ones it started with, so one document's
 * update never rescales every other. Also says which side won for each document.
 */
export function fuse(a: Ranked, b: Ranked, scaleA = maxOf(a.scores, 1e-12), scaleB = maxOf(b.scores, 1e-12)): Ranked & { fromB: Set<number> } {
  // Dense by document id (ids are row ids, at most a few hundred thousand): no Map per document.
  const size = Math.max(maxOf(a.ids, 0), maxOf(b.ids, 0)) + 1;
  const best = new Float64Array(size).fill(-Infinity);
  const winner = new Uint8Array(size);
  a.ids.forEach((id, i) => (best[id] = Math.max(best[id]!, a.scores[i]! / scaleA)));
  b.ids.forEach((id, i) => {
    const s = b.scores[i]! / scaleB;
    if (s > best[id]!) {
      best[id] = s;
      winner[id] = 1;
    }
  });
  const ids: number[] = [];
  for (let id = 0; id < size; id++) if (best[id] !== -Infinity) ids.push(id);
  const ranked = rankBy(ids, (id) => best[id]!);
  return { ...ranked, fromB: new Set(ranked.ids.filter((id) => winner[id] === 1)) };
}

/** Mixes a 32-bit integer (murmur3's finaliser): a stable shuffle key for the random order. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The random order's sort key of a document under a seed (larger first, like a score). */
export function shuffleKey(id: number, seed: number): number {
  return -mix32(id ^ mix32(seed));
}

/**
 * A ranked order that can be updated a document at a time: the ids and their scores in order,
 * and each id's score, so an id is found by binary search. Removing or re-inserting one document
 * moves only the documents between its old and new place (a copy within one array).
 */
export class OrderedList {
  #ids: number[];
  #scores: number[];
  readonly #score = new Map<number, number>();

  constructor(ranked: Ranked, indexed = false) {
    this.#ids = ranked.ids.slice();
    this.#scores = ranked.scores.slice();
    if (!indexed) ranked.ids.forEach((id, i) => this.#score.set(id, ranked.scores[i]!));
  }

  /** The list of a long ranking, its score index filled in slices (250,000 entries are ~50 ms). */
  static async build(ranked: Ranked, slice = 20_000): Promise<OrderedList> {
    const list = new OrderedList(ranked, true);
    for (let i = 0; i < ranked.ids.length; i++) {
      list.#score.set(ranked.ids[i]!, ranked.scores[i]!);
      if (i % slice === slice - 1) await yieldNow();
    }
    return list;
  }

  get length(): number {
    return this.#ids.length;
  }

  has(id: number): boolean {
    return this.#score.has(id);
  }

  scoreOf(id: number): number | undefined {
    return this.#score.get(id);
  }

  /** The documents at positions [offset, offset + limit), with their scores. */
  page(offset: number, limit: number): { ids: number[]; scores: number[] } {
    return { ids: this.#ids.slice(offset, offset + limit), scores: this.#scores.slice(offset, offset + limit) };
  }

  ids(): readonly number[] {
    return this.#ids;
  }

  remove(id: number): void {
    const s = this.#score.get(id);
    if (s === undefined) return;
    const at = this.#position(s, id);
    this.#ids.splice(at, 1);
    this.#scores.splice(at, 1);
    this.#score.delete(id);
  }

  /** Puts the document at its place for `score` (null: takes it out of the order). */
  set(id: number, score: number | null): void {
    this.remove(id);
    if (score === null) return;
    const at = this.#position(score, id);
    this.#ids.splice(at, 0, id);
    this.#scores.splice(at, 0, score);
    this.#score.set(id, score);
  }

  /**
   * Puts many documents at their places at once (null: out of the order; a later entry for the
   * same id wins): one pass over the order and a merge, where one `set` each would move the whole
   * order per document (1,058 documents after 200 writes at 250,000 cost 153 ms).
   */
  setMany(updates: Iterable<readonly [number, number | null]>): void {
    const next = new Map<number, number | null>();
    for (const [id, score] of updates) next.set(id, score);
    if (next.size <= 16) {
      for (const [id, score] of next) this.set(id, score);
      return;
    }
    const ins = [...next].filter((e): e is [number, number] => e[1] !== null).sort((a, b) => (before(a[1], a[0], b[1], b[0]) ? -1 : before(b[1], b[0], a[1], a[0]) ? 1 : 0));
    const ids: number[] = [];
    const scores: number[] = [];
    let j = 0;
    for (let i = 0; i < this.#ids.length; i++) {
      const id = this.#ids[i]!;
      const score = this.#scores[i]!;
      if (next.has(id)) continue;
      while (j < ins.length && before(ins[j]![1], ins[j]![0], score, id)) {
        ids.push(ins[j]![0]);
        scores.push(ins[j]![1]);
        j++;
      }
      ids.push(id);
      scores.push(score);
    }
    for (; j < ins.length; j++) {
      ids.push(ins[j]![0]);
      scores.push(ins[j]![1]);
    }
    this.#ids = ids;
    this.#scores = scores;
    for (const [id, score] of next) {
      if (score === null) this.#score.delete(id);
      else this.#score.set(id, score);
    }
  }

  /** The first position whose entry does not come before (score, id). */
  #position(score: number, id: number): number {
    let lo = 0;
    let hi = this.#ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.#scores[mid]!, this.#ids[mid]!, score, id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
