/**
 * The label tree of the lexical ranker (Parabel / Bonsai / PECOS XR-Linear): levels of clusters
 * above the labels. Level k's nodes are grouped under their parents at level k − 1 (the root for
 * k = 0), each group contiguous; the last level's nodes are the labels themselves. A flat
 * one-vs-rest model is the one-level tree (every label a child of the root).
 */
import type { BinaryHierarchy } from './cluster';

export interface LabelTree {
  /** levels[k].childStart [P_k + 1]: the children of parent p are nodes childStart[p] .. childStart[p + 1] of level k. */
  levels: { childStart: Int32Array }[];
  /** [nodes of the last level] the model label id of each label node. */
  labels: Int32Array;
}

export const nodesAt = (t: LabelTree, k: number): number => t.levels[k]!.childStart[t.levels[k]!.childStart.length - 1]!;

/** The one-level tree: every label is a child of the root. */
export function flatTree(labels: ArrayLike<number>): LabelTree {
  return { levels: [{ childStart: Int32Array.of(0, labels.length) }], labels: Int32Array.from(labels) };
}

/**
 * Cuts a binary hierarchy into tree levels every `step` binary levels (branching 2^step; the
 * last cluster level is the hierarchy's leaves, so its branching may be smaller), then the labels.
 * `labelOf` maps the hierarchy's items to model label ids.
 */
export function treeFromHierarchy(h: BinaryHierarchy, step: number, labelOf: ArrayLike<number>): LabelTree {
  const depth = h.bounds.length - 1;
  const cuts: number[] = [];
  for (let d = step; d < depth; d += step) cuts.push(d);
  if (depth > 0) cuts.push(depth);
  const levels: { childStart: Int32Array }[] = [];
  let prev = 0;
  for (const d of cuts) {
    const fan = 2 ** (d - prev);
    const parents = 2 ** prev;
    levels.push({ childStart: Int32Array.from({ length: parents + 1 }, (_, p) => p * fan) });
    prev = d;
  }
  levels.push({ childStart: Int32Array.from(h.bounds[depth]!) });
  return { levels, labels: Int32Array.from(h.order, (i) => labelOf[i]!) };
}

/**
 * For each level k, the node containing each label node: ancestor[k][q] for label node q. The
 * last level maps q to itself.
 */
export function ancestors(t: LabelTree): Int32Array[] {
  const K = t.levels.length;
  const out: Int32Array[] = new Array(K);
  out[K - 1] = Int32Array.from({ length: t.labels.length }, (_, q) => q);
  for (let k = K - 1; k > 0; k--) {
    const cs = t.levels[k]!.childStart;
    const parentOf = new Int32Array(nodesAt(t, k));
    for (let p = 0; p + 1 < cs.length; p++) for (let c = cs[p]!; c < cs[p + 1]!; c++) parentOf[c] = p;
    out[k - 1] = Int32Array.from(out[k]!, (n) => parentOf[n]!);
  }
  return out;
}

/** Depth (binary levels) of a hierarchy whose leaf clusters hold at most `leafSize` labels. */
export function hierarchyDepth(numLabels: number, leafSize: number): number {
  let d = 0;
  while (Math.ceil(numLabels / 2 ** d) > leafSize) d++;
  return d;
}
