/**
 * Balanced spherical 2-means, applied recursively (Parabel, PECOS XR-Linear): the label set is
 * split in two halves by the difference of a label's cosine to two centroids (the larger half by
 * at most one), each half again, `depth` times, giving 2^depth leaf clusters whose sizes differ by
 * at most one. Labels are rows of unit-norm sparse vectors (PIFA).
 */
import { Rng } from '../engine/rng';
import type { SparseVector } from './sparse';

export interface BinaryHierarchy {
  /** Labels (indices into the vectors) ordered so that every cluster at every depth is contiguous. */
  order: Int32Array;
  /** bounds[d] [2^d + 1]: cluster c at depth d is order[bounds[d][c] .. bounds[d][c + 1]). */
  bounds: Int32Array[];
}

/** A dense accumulator that remembers which entries it touched, so clearing costs what filling did. */
class Centroid {
  readonly values: Float64Array;
  #touched: number[] = [];
  constructor(dim: number) {
    this.values = new Float64Array(dim);
  }
  clear(): void {
    for (const f of this.#touched) this.values[f] = 0;
    this.#touched = [];
  }
  add(v: SparseVector): void {
    for (let k = 0; k < v.indices.length; k++) {
      const f = v.indices[k]!;
      if (this.values[f] === 0) this.#touched.push(f);
      this.values[f]! += v.values[k]!;
    }
  }
  normalize(): void {
    let n = 0;
    for (const f of this.#touched) n += this.values[f]! * this.values[f]!;
    const s = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (const f of this.#touched) this.values[f]! *= s;
  }
  dot(v: SparseVector): number {
    let s = 0;
    for (let k = 0; k < v.indices.length; k++) s += this.values[v.indices[k]!]! * v.values[k]!;
    return s;
  }
}

/**
 * Splits order[a..b) in place into a first part of ceil(n/2) and a second of floor(n/2) labels,
 * by balanced spherical 2-means (at most `maxIter` reassignments; stops when nothing moves).
 */
function bisect(order: Int32Array, a: number, b: number, vectors: readonly SparseVector[], c1: Centroid, c2: Centroid, rng: Rng, maxIter: number): void {
  const n = b - a;
  if (n < 2) return;
  const half = Math.ceil(n / 2);
  const items = Array.from(order.subarray(a, b));
  // Seeds: a random label and the one least similar to it (a random pair can be two near-twins,
  // and balanced 2-means started from twins splits every other pair between the halves).
  const i1 = rng.int(n);
  c1.clear();
  c2.clear();
  c1.add(vectors[items[i1]!]!);
  let i2 = i1 === 0 ? 1 : 0;
  let least = Infinity;
  for (let i = 0; i < n; i++) {
    if (i === i1) continue;
    const s = c1.dot(vectors[items[i]!]!);
    if (s < least) {
      least = s;
      i2 = i;
    }
  }
  c2.add(vectors[items[i2]!]!);
  let side = new Uint8Array(n).fill(2);
  const score = new Float64Array(n);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let it = 0; it < maxIter; it++) {
    for (let i = 0; i < n; i++) score[i] = c1.dot(vectors[items[i]!]!) - c2.dot(vectors[items[i]!]!);
    idx.sort((x, y) => score[y]! - score[x]! || items[x]! - items[y]!);
    const next = new Uint8Array(n);
    idx.forEach((i, r) => (next[i] = r < half ? 0 : 1));
    const moved = next.some((s, i) => s !== side[i]);
    side = next;
    if (!moved) break;
    c1.clear();
    c2.clear();
    for (let i = 0; i < n; i++) (side[i] === 0 ? c1 : c2).add(vectors[items[i]!]!);
    c1.normalize();
    c2.normalize();
  }
  // Stable order inside each half (by label index), so equal inputs give equal trees.
  const first = items.filter((_, i) => side[i] === 0).sort((x, y) => x - y);
  const second = items.filter((_, i) => side[i] === 1).sort((x, y) => x - y);
  order.set(first, a);
  order.set(second, a + first.length);
}

/** Recursive balanced bisection of `labels` (indices into `vectors`) to depth `depth`. */
export function balancedHierarchy(vectors: readonly SparseVector[], labels: ArrayLike<number>, depth: number, o: { seed: number; dim: number; maxIter?: number }): BinaryHierarchy {
  const order = Int32Array.from(labels);
  const n = order.length;
  if (depth < 0 || 2 ** depth > Math.max(1, n)) throw new Error(`clustering: depth ${depth} needs at least ${2 ** depth} labels, got ${n}`);
  const rng = new Rng(o.seed);
  const c1 = new Centroid(o.dim);
  const c2 = new Centroid(o.dim);
  const bounds: Int32Array[] = [Int32Array.of(0, n)];
  for (let d = 0; d < depth; d++) {
    const prev = bounds[d]!;
    const next = new Int32Array(2 ** (d + 1) + 1);
    for (let c = 0; c < prev.length - 1; c++) {
      const a = prev[c]!;
      const b = prev[c + 1]!;
      bisect(order, a, b, vectors, c1, c2, rng, o.maxIter ?? 20);
      next[2 * c] = a;
      next[2 * c + 1] = a + Math.ceil((b - a) / 2);
    }
    next[next.length - 1] = n;
    bounds.push(next);
  }
  return { order, bounds };
}
