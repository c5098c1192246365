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
import { matcherParents } from './matcher-negatives';
import { assembleLevel, type LexicalRanker, type RankerLevel } from './ranker';
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
  /**
   * Label tree: each training document also joins the groups of the `matcherBeam` best parents
   * the already-trained levels route it to, as a negative (matcher-aware negatives). 0: teacher
   * forcing only.
   */
  matcherBeam: number;
}

export const DEFAULT_RANKER_OPTIONS: RankerOptions = Object.freeze({
  loss: 'squaredHinge',
  C: 1,
  // Looser than liblinear's 0.1 / 1,000: a ranker needs each label's order, not its optimum.
  // EURLEX57K-45,000: solver work 8.9e10 → 5.5e10, P@5 69.3 → 69.2; CodiEsp-500 no loss
  // (docs/benchmarks.md, "Lexical ranker").
  eps: 0.5,
  maxIter: 10,
  threshold: 0.035,
  structure: 'auto',
  // One-vs-rest up to ~2 min on 2 cores: at EURLEX57K-5,000 (6e9) it beats the tree by 1.6 P@5.
  flatWorkLimit: 1e10,
  leafSize: 100,
  branchBits: 4,
  pifaTerms: 256,
  seed: 1,
  fixedOffset: null,
  matcherBeam: 0,
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
  return tree.levels.map((_, k) => groupTasksAt(tree, k, docLabels, numLabels));
}

/**
 * The training tasks of level k: for each parent, the documents that reach it and their positive
 * children. Teacher forcing: a document reaches the parents of its labels; `extraParents[d]`
 * (matcher-aware negatives) adds parents it reaches by the beam, where it is a negative for every
 * child it has no label under.
 */
export function groupTasksAt(tree: LabelTree, k: number, docLabels: readonly ArrayLike<number>[], numLabels: number, extraParents?: readonly ArrayLike<number>[]): { level: number; parent: number; task: GroupTask }[] {
  const anc = ancestors(tree);
  const labelNode = new Int32Array(numLabels).fill(-1);
  tree.labels.forEach((l, q) => (labelNode[l] = q));
  const cs = tree.levels[k]!.childStart;
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
    const extra = extraParents?.[d];
    if (extra) for (const p of Array.from(extra)) if (!byParent.has(p)) byParent.set(p, []);
    for (const p of [...byParent.keys()].sort((a, b) => a - b)) {
      docs[p]!.push(d);
      pos[p]!.push(byParent.get(p)!);
    }
  });
  return docs.map((ds, p) => {
    const posStart = new Int32Array(ds.length + 1);
    pos[p]!.forEach((c, i) => (posStart[i + 1] = posStart[i]! + c.length));
    return { level: k, parent: p, task: { id: 0, docs: Int32Array.from(ds), posStart, pos: Int32Array.from(pos[p]!.flat()), children: cs[p + 1]! - cs[p]! } };
  });
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

/**
 * Largest task (labels × non-zeros of its rows): progress moves when a task finishes, so the
 * exact one-vs-rest of EURLEX57K-45,000 (≈ 10¹¹) reports about every minute, not every four.
 * A slice copies its rows once; slicing never changes a model (each label's solver seed is its own).
 */
export const MAX_TASK_COST = 4e9;

export interface TrainRankerHooks {
  runner: GroupRunner;
  /** Called as tasks finish: the share of the work done, as done / total (monotone). */
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
  const K = tree.levels.length;
  const threads = Math.max(1, hooks.threads ?? 1);
  const matcher = o.matcherBeam > 0 && K > 1;
  // Without matcher negatives every level's tasks are known up front and run as one batch; with
  // them level k's tasks need levels < k trained, so the levels run one after another.
  const batches: number[][] = matcher ? tree.levels.map((_, k) => [k]) : [tree.levels.map((_, k) => k)];
  const perLevel: { level: number; parent: number; task: GroupTask }[][] = new Array(K);
  const levels: RankerLevel[] = [];
  // Progress: a fraction that only grows. The teacher-forced cost of every level is known now;
  // matcher negatives add to a level's cost when it starts, so the total is re-estimated then.
  const teacherForced = groupTasks(tree, docLabels, numLabels);
  const tfCost = teacherForced.map((lv) => lv.reduce((a, g) => a + taskCost(X, g.task), 0));
  const levelCost = [...tfCost];
  const UNITS = 1e9;
  let reported = 0;
  let doneCost = 0;
  const report = (): void => {
    const total = levelCost.reduce((a, b) => a + b, 0);
    reported = Math.max(reported, Math.min(UNITS, Math.floor((doneCost / Math.max(1, total)) * UNITS)));
    hooks.onProgress?.(reported, UNITS);
  };
  report();
  let iterations = 0;
  let work = 0;
  let taskCount = 0;
  let nextId = 0;
  for (const batch of batches) {
    const all: { level: number; parent: number; task: GroupTask }[] = [];
    for (const k of batch) {
      const extra = matcher && k > 0 ? matcherParents(tree, levels, k - 1, X, o.matcherBeam, o.loss) : undefined;
      perLevel[k] = extra ? groupTasksAt(tree, k, docLabels, numLabels, extra) : teacherForced[k]!;
      levelCost[k] = perLevel[k]!.reduce((a, g) => a + taskCost(X, g.task), 0);
      for (const g of perLevel[k]!) all.push(g);
    }
    all.forEach((g) => (g.task.id = nextId++));
    const batchTotal = all.reduce((a, g) => a + taskCost(X, g.task), 0);
    const tasks = sliceTasks(X, all.map((g) => g.task), Math.max(1, Math.min(batchTotal / (threads * 4), MAX_TASK_COST))).sort((a, b) => taskCost(X, b) - taskCost(X, a));
    taskCount += tasks.length;
    const chunks = new Map<number, GroupChunk[]>(all.map((g) => [g.task.id, []]));
    await hooks.runner.run(
      tasks,
      (chunk, task) => {
        chunks.get(chunk.id)!.push(chunk);
        iterations += chunk.solverIterations;
        work += chunk.solverWork;
        doneCost += taskCost(X, task);
        report();
      },
      hooks.signal,
    );
    for (const k of batch) {
      // slices arrive in completion order; merging needs ascending child ranges
      const byParent = perLevel[k]!.map((g) => [...chunks.get(g.task.id)!].sort((a, b) => a.childRange[0] - b.childRange[0]));
      levels[k] = assembleLevel(tree, k, byParent, X.cols);
    }
  }
  const ranker: LexicalRanker = { tree, levels, loss: o.loss };
  return {
    ranker,
    stats: { structure: K === 1 ? 'flat' : 'tree', trainedLabels: tree.labels.length, levels: tree.levels.map((_, k) => nodesAt(tree, k)), tasks: taskCount, solverIterations: iterations, solverWork: work, entries: levels.reduce((a, l) => a + l.weight.length, 0) },
  };
}
