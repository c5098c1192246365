/**
 * The trained lexical ranker and its prediction: beam search down the label tree (PECOS
 * XR-Linear). At each level the children of the nodes in the beam are scored by their linear
 * models, a child's path score is its parent's times post(w·x + b), and the best `beam` nodes go
 * on; at the label level every child of the beam is a candidate. The flat one-vs-rest model is the
 * one-level tree, so every label is scored.
 *
 * post: squared hinge → exp(−max(0, 1 − v)³) (PECOS's "l3-hinge"), logistic → sigmoid(v).
 */
import type { LinearLoss } from './dcd';
import type { SparseVector } from './sparse';
import type { GroupChunk } from './train-group';
import { nodesAt, type LabelTree } from './tree';

/** One level's models, feature-major per parent group (what beam search reads). */
export interface RankerLevel {
  /** [P + 1] group p's features are feats[featStart[p] .. featStart[p + 1]). */
  featStart: Float64Array;
  feats: Int32Array;
  /** [feats + 1] entries of feats[i]: entryStart[i] .. entryStart[i + 1]. */
  entryStart: Float64Array;
  /** Child of the entry, local to its group (0 … m − 1). */
  child: Int32Array;
  weight: Float32Array;
  /** [nodes of this level] bias term of each node. */
  bias: Float32Array;
}

export interface LexicalRanker {
  tree: LabelTree;
  levels: RankerLevel[];
  loss: LinearLoss;
}

export interface RankedLabels {
  /** Model label ids, best first. */
  labels: Int32Array;
  /** Path score in (0, 1] (product of post-processed node scores). */
  scores: Float32Array;
  /** The label's own linear score w·x + b. */
  raw: Float32Array;
}

export const postScore = (loss: LinearLoss, v: number): number => (loss === 'logistic' ? 1 / (1 + Math.exp(-v)) : Math.exp(-(Math.max(0, 1 - v) ** 3)));

/** Puts a level's group chunks (one per parent, in parent order; slices of one group merged) into one RankerLevel. */
export function assembleLevel(tree: LabelTree, k: number, chunks: readonly GroupChunk[][], featureCount: number): RankerLevel {
  const cs = tree.levels[k]!.childStart;
  const P = cs.length - 1;
  const bias = new Float32Array(nodesAt(tree, k));
  const merged = chunks.map((slices, p) => mergeSlices(slices, featureCount, bias, cs[p]!));
  if (merged.length !== P) throw new Error(`level ${k}: ${merged.length} groups trained, the tree has ${P}`);
  const nFeats = merged.reduce((a, c) => a + c.feats.length, 0);
  const nEntries = merged.reduce((a, c) => a + c.child.length, 0);
  const level: RankerLevel = { featStart: new Float64Array(P + 1), feats: new Int32Array(nFeats), entryStart: new Float64Array(nFeats + 1), child: new Int32Array(nEntries), weight: new Float32Array(nEntries), bias };
  let fo = 0;
  let eo = 0;
  merged.forEach((c, p) => {
    level.feats.set(c.feats, fo);
    for (let i = 0; i < c.feats.length; i++) level.entryStart[fo + i] = eo + c.entryStart[i]!;
    level.child.set(c.child, eo);
    level.weight.set(c.weight, eo);
    fo += c.feats.length;
    eo += c.child.length;
    level.featStart[p + 1] = fo;
  });
  level.entryStart[nFeats] = eo;
  return level;
}

/** Merges the chunks of one group's child slices (counting sort by feature) and writes their biases. */
function mergeSlices(slices: readonly GroupChunk[], featureCount: number, bias: Float32Array, firstNode: number): { feats: Int32Array; entryStart: Int32Array; child: Int32Array; weight: Float32Array } {
  for (const s of slices) for (let c = s.childRange[0]; c < s.childRange[1]; c++) bias[firstNode + c] = s.bias[c]!;
  if (slices.length === 1) return slices[0]!;
  const count = new Int32Array(featureCount);
  for (const s of slices) s.feats.forEach((f, i) => (count[f]! += s.entryStart[i + 1]! - s.entryStart[i]!));
  const feats: number[] = [];
  const start: number[] = [0];
  const at = new Int32Array(featureCount);
  for (let f = 0, off = 0; f < featureCount; f++) {
    if (count[f] === 0) continue;
    feats.push(f);
    at[f] = off;
    off += count[f]!;
    start.push(off);
  }
  const total = start[start.length - 1]!;
  const child = new Int32Array(total);
  const weight = new Float32Array(total);
  // Slices cover ascending child ranges, so appending slice by slice keeps children ascending per feature.
  for (const s of slices) {
    s.feats.forEach((f, i) => {
      for (let e = s.entryStart[i]!; e < s.entryStart[i + 1]!; e++) {
        const p = at[f]!++;
        child[p] = s.child[e]!;
        weight[p] = s.weight[e]!;
      }
    });
  }
  return { feats: Int32Array.from(feats), entryStart: Int32Array.from(start), child, weight };
}

/** Linear scores of the m children of group p for document x: acc[c] = w_c·x (bias not added). */
export function scoreGroup(level: RankerLevel, p: number, x: SparseVector, acc: Float64Array): void {
  const feats = level.feats;
  let lo = level.featStart[p]!;
  const hi = level.featStart[p + 1]!;
  const xi = x.indices;
  for (let j = 0; j < xi.length && lo < hi; j++) {
    const f = xi[j]!;
    if (feats[lo]! > f) continue;
    if (feats[lo]! < f) {
      // gallop forward, then binary search for the first feature ≥ f
      let step = 1;
      while (lo + step < hi && feats[lo + step]! < f) step *= 2;
      let a = lo + (step >> 1);
      let b = Math.min(lo + step, hi);
      while (a < b) {
        const mid = (a + b) >> 1;
        if (feats[mid]! < f) a = mid + 1;
        else b = mid;
      }
      lo = a;
      if (lo >= hi || feats[lo]! !== f) continue;
    }
    const v = x.values[j]!;
    for (let e = level.entryStart[lo]!, end = level.entryStart[lo + 1]!; e < end; e++) acc[level.child[e]!]! += level.weight[e]! * v;
    lo++;
  }
}

/** Scratch of one predicting thread: a score buffer as wide as the widest group. */
export class RankerScratch {
  #acc = new Float64Array(64);
  acc(m: number): Float64Array {
    if (this.#acc.length < m) this.#acc = new Float64Array(Math.max(m, 2 * this.#acc.length));
    const a = this.#acc.subarray(0, m);
    a.fill(0);
    return a;
  }
}

/** Indices of the k best of (score desc, node asc) among n, best first (partial selection, then a sort of k). */
function bestOf(score: Float64Array, node: Int32Array, n: number, k: number): number[] {
  const better = (a: number, b: number): boolean => score[a]! > score[b]! || (score[a] === score[b] && node[a]! < node[b]!);
  const idx: number[] = [];
  if (n <= k) for (let i = 0; i < n; i++) idx.push(i);
  else {
    // min-heap (by "better") of the k best so far
    const heap: number[] = [];
    const swap = (i: number, j: number): void => {
      const t = heap[i]!;
      heap[i] = heap[j]!;
      heap[j] = t;
    };
    for (let i = 0; i < n; i++) {
      if (heap.length < k) {
        heap.push(i);
        for (let j = heap.length - 1; j > 0; ) {
          const p = (j - 1) >> 1;
          if (!better(heap[p]!, heap[j]!)) break;
          swap(p, j);
          j = p;
        }
      } else if (better(i, heap[0]!)) {
        heap[0] = i;
        for (let j = 0; ; ) {
          const l = 2 * j + 1;
          const r = l + 1;
          let m = j;
          if (l < k && better(heap[m]!, heap[l]!)) m = l;
          if (r < k && better(heap[m]!, heap[r]!)) m = r;
          if (m === j) break;
          swap(j, m);
          j = m;
        }
      }
    }
    idx.push(...heap);
  }
  return idx.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}

/** Beam search: the `topK` best labels of x (all candidates of the beam's leaf groups when topK ≥ their number). */
export function rankLabels(r: LexicalRanker, x: SparseVector, o: { beam: number; topK: number }, scratch = new RankerScratch()): RankedLabels {
  const K = r.levels.length;
  let beamNodes = Int32Array.of(0);
  let beamScores = Float64Array.of(1);
  for (let k = 0; k < K; k++) {
    const level = r.levels[k]!;
    const cs = r.tree.levels[k]!.childStart;
    let n = 0;
    for (const p of beamNodes) n += cs[p + 1]! - cs[p]!;
    const node = new Int32Array(n);
    const score = new Float64Array(n);
    const raw = new Float64Array(n);
    let at = 0;
    beamNodes.forEach((p, b) => {
      const first = cs[p]!;
      const m = cs[p + 1]! - first;
      const acc = scratch.acc(m);
      scoreGroup(level, p, x, acc);
      const ps = beamScores[b]!;
      for (let c = 0; c < m; c++) {
        const v = acc[c]! + level.bias[first + c]!;
        node[at] = first + c;
        raw[at] = v;
        score[at] = ps * postScore(r.loss, v);
        at++;
      }
    });
    const best = bestOf(score, node, n, k < K - 1 ? o.beam : o.topK);
    if (k < K - 1) {
      beamNodes = Int32Array.from(best, (i) => node[i]!);
      beamScores = Float64Array.from(best, (i) => score[i]!);
    } else {
      return { labels: Int32Array.from(best, (i) => r.tree.labels[node[i]!]!), scores: Float32Array.from(best, (i) => score[i]!), raw: Float32Array.from(best, (i) => raw[i]!) };
    }
  }
  return { labels: new Int32Array(0), scores: new Float32Array(0), raw: new Float32Array(0) };
}

/** Weights stored over all levels (model size). */
export const rankerEntries = (r: LexicalRanker): number => r.levels.reduce((a, l) => a + l.weight.length, 0);
