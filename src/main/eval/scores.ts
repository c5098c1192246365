/**
 * Score inputs for evaluation, and the two primitives every metric needs: an order-preserving
 * integer key for float32 scores and top-k selection.
 *
 * Conventions (shared by every metric in this folder):
 * - Higher score = more likely. Scores are compared as float32.
 * - NaN is treated as −∞. A score of −∞ means "not ranked, not predicted": such a label never
 *   enters a top-k list and never passes a threshold. Sparse rows give −∞ to unlisted labels.
 * - Ties in top-k: the lower label index comes first (stable by label index).
 */

/** A sparse score row: only `labels` are scored, every other label is −∞. */
export interface SparseScores {
  readonly labels: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
}

/** One document's scores over L labels: dense [L], or sparse (e.g. a model's top-k list). */
export type DocScores = Float32Array | SparseScores;

/** Read access to D score rows over L labels, whatever their storage. */
export class ScoreMatrix {
  readonly numDocs: number;
  readonly numLabels: number;
  readonly #rows: readonly DocScores[];
  readonly #scratch: Float32Array;

  constructor(rows: readonly DocScores[], numLabels: number) {
    this.numDocs = rows.length;
    this.numLabels = numLabels;
    this.#rows = rows;
    this.#scratch = new Float32Array(numLabels);
    rows.forEach((row, d) => {
      if (row instanceof Float32Array) {
        if (row.length !== numLabels) throw new Error(`scores: document ${d} has ${row.length} scores, expected ${numLabels}`);
      } else {
        if (row.labels.length !== row.scores.length) {
          throw new Error(`scores: document ${d} lists ${row.labels.length} labels but ${row.scores.length} scores`);
        }
        for (let i = 0; i < row.labels.length; i++) {
          const l = row.labels[i]!;
          if (!(l >= 0 && l < numLabels)) throw new Error(`scores: document ${d} lists label ${l}, outside [0, ${numLabels})`);
        }
      }
    });
  }

  /**
   * Dense scores of document d. Dense inputs are returned as is; sparse ones are expanded into a
   * scratch buffer that the next call overwrites — copy it if you keep it.
   */
  row(d: number): Float32Array {
    const row = this.#rows[d]!;
    if (row instanceof Float32Array) return row;
    const out = this.#scratch.fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < row.labels.length; i++) out[row.labels[i]!] = row.scores[i]!;
    return out;
  }

  /**
   * Scores of labels [l0, l1) for every document, label-major: out[(l − l0)·D + d].
   * Used by per-label metrics (AUC, per-label thresholds) a block at a time, to bound memory.
   */
  columns(l0: number, l1: number, out = new Float32Array((l1 - l0) * this.numDocs)): Float32Array {
    const n = this.numDocs;
    for (let d = 0; d < n; d++) {
      const row = this.#rows[d]!;
      if (row instanceof Float32Array) {
        for (let l = l0; l < l1; l++) out[(l - l0) * n + d] = row[l]!;
      } else {
        for (let l = l0; l < l1; l++) out[(l - l0) * n + d] = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < row.labels.length; i++) {
          const l = row.labels[i]!;
          if (l >= l0 && l < l1) out[(l - l0) * n + d] = row.scores[i]!;
        }
      }
    }
    return out;
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * An unsigned 32-bit key with key(a) < key(b) ⇔ a < b for float32 values (−0 = +0; NaN → key of
 * −∞). Lets metrics sort scores natively as integers or pack them with a flag into a float64.
 */
export function scoreKey(score: number): number {
  f32[0] = score !== score ? Number.NEGATIVE_INFINITY : score === 0 ? 0 : score;
  const bits = u32[0]!;
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

/** scoreKey(−∞): scores with this key are "not ranked". */
export const NEG_INF_KEY = scoreKey(Number.NEGATIVE_INFINITY);

/**
 * Indices of the k highest scores, best first; ties by lower label index; NaN/−∞ never selected
 * (so fewer than k may come back). O(L) typical, O(L·k) worst case; no full sort.
 * @param allowed optional [L] mask: only labels with allowed[l] ≠ 0 compete
 */
export function topK(scores: Float32Array, k: number, allowed?: Uint8Array): Int32Array {
  const idx = new Int32Array(k);
  const val = new Float64Array(k);
  let count = 0;
  for (let l = 0; l < scores.length; l++) {
    if (allowed !== undefined && allowed[l] === 0) continue;
    const s = scores[l]!;
    if (!(s > Number.NEGATIVE_INFINITY)) continue; // NaN or −∞
    // Strictly greater: an equal score with a higher index must not displace an earlier label.
    if (count === k && !(s > val[k - 1]!)) continue;
    let i = count < k ? count++ : k - 1;
    while (i > 0 && s > val[i - 1]!) {
      val[i] = val[i - 1]!;
      idx[i] = idx[i - 1]!;
      i--;
    }
    val[i] = s;
    idx[i] = l;
  }
  return count === k ? idx : idx.slice(0, count);
}

/**
 * `topK` of a dense or sparse row with the same rules (ties by lower label index; −∞/NaN never
 * selected); a sparse row costs its listed entries, not L.
 */
export function topKOf(row: DocScores, k: number, allowed?: Uint8Array): Int32Array {
  if (row instanceof Float32Array) return topK(row, k, allowed);
  const idx = new Int32Array(k);
  const val = new Float64Array(k);
  let count = 0;
  for (let i = 0; i < row.labels.length; i++) {
    const l = row.labels[i]!;
    if (allowed !== undefined && allowed[l] === 0) continue;
    const s = Math.fround(row.scores[i]!);
    if (!(s > Number.NEGATIVE_INFINITY)) continue;
    const better = (j: number) => s > val[j]! || (s === val[j]! && l < idx[j]!);
    if (count === k && !better(k - 1)) continue;
    let j = count < k ? count++ : k - 1;
    while (j > 0 && better(j - 1)) {
      val[j] = val[j - 1]!;
      idx[j] = idx[j - 1]!;
      j--;
    }
    val[j] = s;
    idx[j] = l;
  }
  return count === k ? idx : idx.slice(0, count);
}

/** Distinct, ascending, validated gold label ids per document. */
export function normalizeGold(gold: readonly ArrayLike<number>[], numDocs: number, numLabels: number): Int32Array[] {
  if (gold.length !== numDocs) throw new Error(`gold: ${gold.length} label sets for ${numDocs} score rows`);
  return gold.map((labels, d) => {
    const out = Int32Array.from(labels).sort();
    let n = 0;
    for (let i = 0; i < out.length; i++) {
      const l = out[i]!;
      if (!(l >= 0 && l < numLabels)) throw new Error(`gold: document ${d} has label ${l}, outside [0, ${numLabels})`);
      if (i === 0 || l !== out[i - 1]) out[n++] = l;
    }
    return out.slice(0, n);
  });
}

/** For each label, the documents whose gold set contains it (ascending). */
export function invertGold(gold: readonly Int32Array[], numLabels: number): Int32Array[] {
  const counts = new Int32Array(numLabels);
  for (const g of gold) for (const l of g) counts[l]!++;
  const out = Array.from({ length: numLabels }, (_, l) => new Int32Array(counts[l]!));
  counts.fill(0);
  gold.forEach((g, d) => {
    for (const l of g) out[l]![counts[l]!++] = d;
  });
  return out;
}
