/**
 * Training of the lexical ranker: exact one-vs-rest when the catalogue is small enough for it to
 * pay, otherwise a label tree (PIFA → balanced spherical 2-means → one linear model per node,
 * trained on the documents that reach its parent). Tasks are tree groups (a parent's children),
 * large ones cut into child slices, run largest first on the given runner (threads).
 */
import { balancedHierarchy } from './cluster';
import { DEFAULT_SOLVER, type LinearLoss } from './dcd';
import type { GroupRunner } from './group-runner';
import { labelDocs, pifaVectors } from './pifa';
import { assembleLevel, type LexicalRanker } from './ranker';
import { nnzOf, type Csr } from './sparse';
import type { GroupChunk, GroupTask, GroupTrainOptions } from './train-group';
import { ancestors, flatTree, hierarchyDepth, nodesAt, treeFromHierarchy, type LabelTree } from './tree';

export interface RankerOptions {
  loss: LinearLoss;
  /** Regularisation C of every node's model. */
  C: number;
  /** Solver stopping tolerance (liblinear's default 0.1). */
  eps: number;
  maxIter: number;
  /** |w| below this is pruned. */
  threshold: number;
  /** 'auto': one-vs-rest while labels × nnz(X) ≤ flatWorkLimit, else the tree. */
  structure: 'auto' | 'flat' | 'tree';
  flatWorkLimit: number;
  /** Leaf clusters hold at most this many labels. */
  leafSize: number;
  /** Binary levels per tree level (branching 2^branchBits). */
  branchBits: number;
  pifaTerms: number;
  seed: number;
  /**
   * null: each model learns a (regularised) bias, as liblinear's -B 1. A number: no learned bias,
   * every score is offset by it instead.
   */
  fixedOffset: number | null;
}

export const DEFAULT_RANKER_OPTIONS: RankerOptions = Object.freeze({
  loss: 'squaredHinge',
  C: 1,
  eps: 0.1,
  maxIter: 100,
  threshold: 0.01,
  structure: 'auto',
  flatWorkLimit: 2e9,
  leafSize: 100,
  branchBits: 4,
  pifaTerms: 256,
  seed: 1,
  fixedOffset: null,
});

export interface RankerTrainStats {
  structure: 'flat' | 'tree';
  trainedLabels: number;
  levels: number[];
  tasks: number;
  solverIterations: number;
  /** Σ solver passes × nnz visited, over every node model. */
  solverWork: number;
  entries: number;
}

/** Builds the label tree over the labels that have training documents. */
export function buildTree(X: Csr, docLabels: readonly ArrayLike<number>[], numLabels: number, o: RankerOptions): LabelTree {
  const ld = labelDocs(docLabels, numLabels);
  const trained = Array.from({ length: numLabels }, (_, l) => l).filter((l) => ld.start[l + 1]! > ld.start[l]!);
  const flat = o.structure === 'flat' || (o.structure === 'auto' && trained.length * nnzOf(X) <= o.flatWorkLimit) || trained.length <= o.leafSize;
  if (flat) return flatTree(trained);
  const vectors = pifaVectors(X, ld, trained, o.pifaTerms);
  const depth = hierarchyDepth(trained.length, o.leafSize);
  const h = balancedHierarchy(vectors, Int32Array.from(trained.keys()), depth, { seed: o.seed, dim: X.cols });
  return treeFromHierarchy(h, o.branchBits, trained);
}

/** The training tasks of every level: for each parent, its documents and their positive children. */
export function groupTasks(tree: LabelTree, docLabels: readonly ArrayLike<number>[], numLabels: number): { level: number; parent: number; task: GroupTask }[][] {
  const anc = ancestors(tree);
  const labelNode = new Int32Array(numLabels).fill(-1);
  tree.labels.forEach((l, q) => (labelNode[l] = q));
  const out: { level: number; parent: number; task: GroupTask }[][] = [];
  tree.levels.forEach((lv, k) => {
    const cs = lv.childStart;
    const P = cs.length - 1;
    const parentOf = new Int32Array(nodesAt(tree, k));
    for (let p = 0; p < P; p++) for (let c = cs[p]!; c < cs[p + 1]!; c++) parentOf[c] = p;
    // bucket (doc, local child) pairs by parent
    const docs: number[][] = Array.from({ length: P }, () => []);
    const pos: number[][][] = Array.from({ length: P }, () => []);
    docLabels.forEach((ls, d) => {
      const nodes = [...new Set(Array.from(ls, (l) => labelNode[l]!).filter((q) => q >= 0).map((q) => anc[k]![q]!))].sort((a, b) => a - b);
      const byParent = new Map<number, number[]>();
      for (const n of nodes) {
        const p = parentOf[n]!;
        byParent.set(p, [...(byParent.get(p) ?? []), n - cs[p]!]);
      }
      // the root's children see every document (documents without labels are negatives everywhere)
      if (k === 0 && !byParent.has(0)) byParent.set(0, []);
      for (const [p, children] of byParent) {
        docs[p]!.push(d);
        pos[p]!.push(children);
      }
    });
    out.push(
      docs.map((ds, p) => {
        const posStart = new Int32Array(ds.length + 1);
        pos[p]!.forEach((c, i) => (posStart[i + 1] = posStart[i]! + c.length));
        return { level: k, parent: p, task: { id: 0, docs: Int32Array.from(ds), posStart, pos: Int32Array.from(pos[p]!.flat()), children: cs[p + 1]! - cs[p]! } };
      }),
    );
  });
  return out;
}

const taskCost = (X: Csr, t: GroupTask): number => {
  let nnz = 0;
  for (const d of t.docs) nnz += X.indptr[d + 1]! - X.indptr[d]!;
  const [a, b] = t.childRange ?? [0, t.children];
  return nnz * Math.max(1, b - a);
};

/** Cuts groups costing more than `maxCost` into child slices of about that cost. */
export function sliceTasks(X: Csr, tasks: GroupTask[], maxCost: number): GroupTask[] {
  const out: GroupTask[] = [];
  for (const t of tasks) {
    const cost = taskCost(X, t);
    const parts = Math.min(t.children, Math.max(1, Math.ceil(cost / maxCost)));
    if (parts === 1 || t.children === 1) {
      out.push(t);
      continue;
    }
    for (let s = 0; s < parts; s++) {
      const a = Math.floor((s * t.children) / parts);
      const b = Math.floor(((s + 1) * t.children) / parts);
      if (b > a) out.push({ ...t, childRange: [a, b] });
    }
  }
  return out;
}

export interface TrainRankerHooks {
  runner: GroupRunner;
  /** Called as tasks finish: work done and total in units of nnz × children (monotone). */
  onProgress?: (done: number, total: number) => void;
  signal?: { readonly aborted: boolean };
  threads?: number;
}

export function groupOptions(o: RankerOptions): GroupTrainOptions {
  return { solver: { ...DEFAULT_SOLVER, loss: o.loss, C: o.C, eps: o.eps, maxIter: o.maxIter, seed: o.seed }, threshold: o.threshold, ...(o.fixedOffset === null ? { bias: 1 } : { bias: 0, offset: o.fixedOffset }) };
}

/** Trains every node model of `tree` and assembles the ranker. */
export async function trainRanker(X: Csr, docLabels: readonly ArrayLike<number>[], numLabels: number, options: Partial<RankerOptions>, hooks: TrainRankerHooks, givenTree?: LabelTree): Promise<{ ranker: LexicalRanker; stats: RankerTrainStats }> {
  const o = { ...DEFAULT_RANKER_OPTIONS, ...options };
  const tree = givenTree ?? buildTree(X, docLabels, numLabels, o);
  const perLevel = groupTasks(tree, docLabels, numLabels);
  const all: { level: number; parent: number; task: GroupTask }[] = [];
  perLevel.forEach((lv) => lv.forEach((g) => all.push(g)));
  all.forEach((g, i) => (g.task.id = i));
  const total = all.reduce((a, g) => a + taskCost(X, g.task), 0);
  const threads = Math.max(1, hooks.threads ?? 1);
  const tasks = sliceTasks(X, all.map((g) => g.task), Math.max(1, total / (threads * 4))).sort((a, b) => taskCost(X, b) - taskCost(X, a));
  const chunks: GroupChunk[][] = all.map(() => []);
  let done = 0;
  let iterations = 0;
  let work = 0;
  hooks.onProgress?.(0, total);
  await hooks.runner.run(
    tasks,
    (chunk, task) => {
      chunks[chunk.id]!.push(chunk);
      iterations += chunk.solverIterations;
      work += chunk.solverWork;
      done += taskCost(X, task);
      hooks.onProgress?.(Math.min(done, total), total);
    },
    hooks.signal,
  );
  const levels = perLevel.map((lv, k) => {
    const byParent = lv.map((g) => {
      const slices = chunks[g.task.id]!;
      // slices arrive in completion order; merging needs ascending child ranges
      return [...slices].sort((a, b) => a.childRange[0] - b.childRange[0]);
    });
    return assembleLevel(tree, k, byParent, X.cols);
  });
  const ranker: LexicalRanker = { tree, levels, loss: o.loss };
  return {
    ranker,
    stats: { structure: tree.levels.length === 1 ? 'flat' : 'tree', trainedLabels: tree.labels.length, levels: tree.levels.map((_, k) => nodesAt(tree, k)), tasks: tasks.length, solverIterations: iterations, solverWork: work, entries: levels.reduce((a, l) => a + l.weight.length, 0) },
  };
}
