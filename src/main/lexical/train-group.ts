/**
 * Trains the linear models of one tree group — the children of one parent node — on the
 * documents that reach that parent (teacher-forced negatives: PECOS "TFN"). Pure and
 * self-contained so it runs the same in a worker thread and in the calling thread.
 *
 * The group's documents are copied into a local matrix with compact feature ids first: the
 * solver's dense weight vector then spans only the features these documents use (tens of
 * thousands instead of ~400k), which keeps it in cache, and the rows are read sequentially.
 */
import { extractWeights, solveBinary, type SolverOptions } from './dcd';
import type { Csr } from './sparse';

export interface GroupTask {
  /** Identifies the group to the caller (level and parent). */
  id: number;
  /** Rows of X that reach the parent. */
  docs: Int32Array;
  /** Positive children per document: pos[posStart[i] .. posStart[i + 1]) for docs[i] (local child indices). */
  posStart: Int32Array;
  pos: Int32Array;
  /** Number of children m. */
  children: number;
  /** Train only children [from, to) (a large flat group is split over threads this way); default all. */
  childRange?: [number, number];
}

/** A group's weights, feature-major (what prediction reads): for feats[i], entries entryStart[i] .. entryStart[i + 1]. */
export interface GroupChunk {
  id: number;
  /** Global feature ids with a weight for some child, ascending. */
  feats: Int32Array;
  entryStart: Int32Array;
  /** Local child index of each entry (ascending within a feature). */
  child: Int32Array;
  weight: Float32Array;
  /** [m] each child's bias term (bias value × bias weight); only [from, to) of childRange are set. */
  bias: Float32Array;
  /** The children this chunk trained. */
  childRange: [number, number];
  solverIterations: number;
  /** Σ over the children of the entries of X the solver read and wrote (a machine-independent cost). */
  solverWork: number;
}

export interface GroupTrainOptions {
  solver: SolverOptions;
  /** Weights with |w| below this are dropped (DiSMEC / PECOS pruning). */
  threshold: number;
  /** Value of the constant bias feature (0: no learned bias). */
  bias: number;
  /** A fixed score offset of every model (with bias 0: a fixed negative bias, see train-ranker.ts). */
  offset?: number;
}

/** The bias of a single child: it needs no model, every document that reaches its parent reaches it. */
export const PASS_THROUGH_BIAS = 1e9;

/** Scratch buffers of one thread, reused across groups. */
export class GroupScratch {
  readonly localOf: Int32Array;
  #w = new Float64Array(1024);
  constructor(features: number) {
    this.localOf = new Int32Array(features).fill(-1);
  }
  weights(n: number): Float64Array {
    if (this.#w.length < n) this.#w = new Float64Array(Math.max(n, this.#w.length * 2));
    return this.#w;
  }
}

function localMatrix(X: Csr, docs: Int32Array, scratch: GroupScratch): { M: Csr; globalOf: Int32Array } {
  const localOf = scratch.localOf;
  const globalOf: number[] = [];
  let nnz = 0;
  for (let i = 0; i < docs.length; i++) nnz += X.indptr[docs[i]! + 1]! - X.indptr[docs[i]!]!;
  const indptr = new Float64Array(docs.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  let p = 0;
  for (let i = 0; i < docs.length; i++) {
    const r = docs[i]!;
    for (let k = X.indptr[r]!, end = X.indptr[r + 1]!; k < end; k++) {
      const f = X.indices[k]!;
      let l = localOf[f]!;
      if (l < 0) {
        l = globalOf.length;
        localOf[f] = l;
        globalOf.push(f);
      }
      indices[p] = l;
      data[p] = X.data[k]!;
      p++;
    }
    indptr[i + 1] = p;
  }
  for (const f of globalOf) localOf[f] = -1;
  // Local ids follow first appearance, so each row's indices are no longer ascending; the solver does not need them to be.
  return { M: { rows: docs.length, cols: globalOf.length, indptr, indices, data }, globalOf: Int32Array.from(globalOf) };
}

export function trainGroup(X: Csr, task: GroupTask, o: GroupTrainOptions, scratch: GroupScratch): GroupChunk {
  const m = task.children;
  const [from, to] = task.childRange ?? [0, m];
  if (m === 1) {
    return { id: task.id, feats: new Int32Array(0), entryStart: Int32Array.of(0), child: new Int32Array(0), weight: new Float32Array(0), bias: Float32Array.of(PASS_THROUGH_BIAS), childRange: [0, 1], solverIterations: 0, solverWork: 0 };
  }
  const { M, globalOf } = localMatrix(X, task.docs, scratch);
  const rows = Int32Array.from({ length: M.rows }, (_, i) => i);
  const w = scratch.weights(M.cols).subarray(0, M.cols);
  const y = new Int8Array(M.rows);
  const bias = new Float32Array(m);
  const positives: number[][] = Array.from({ length: to - from }, () => []);
  for (let i = 0; i < M.rows; i++) {
    for (let k = task.posStart[i]!; k < task.posStart[i + 1]!; k++) {
      const c = task.pos[k]!;
      if (c >= from && c < to) positives[c - from]!.push(i);
    }
  }
  const kept: { child: number; indices: Int32Array; values: Float32Array }[] = [];
  let iterations = 0;
  let work = 0;
  for (let c = from; c < to; c++) {
    y.fill(-1);
    for (const i of positives[c - from]!) y[i] = 1;
    const problem = { X: M, rows, y, bias: o.bias, offset: o.offset ?? 0 };
    const r = solveBinary(problem, w, { ...o.solver, seed: o.solver.seed + c });
    iterations += r.iterations;
    work += r.visited;
    const wts = extractWeights(problem, r.alpha, w, o.threshold);
    kept.push({ child: c, indices: wts.indices, values: wts.values });
    bias[c] = r.wBias * o.bias + (o.offset ?? 0);
  }
  return { id: task.id, ...featureMajor(kept, globalOf), bias, childRange: [from, to], solverIterations: iterations, solverWork: work };
}

/**
 * Turns per-child weight vectors (local feature ids) into the feature-major layout by a counting
 * sort over the local features: children stay ascending within each feature.
 */
function featureMajor(kept: readonly { child: number; indices: Int32Array; values: Float32Array }[], globalOf: Int32Array): Pick<GroupChunk, 'feats' | 'entryStart' | 'child' | 'weight'> {
  const F = globalOf.length;
  const count = new Int32Array(F + 1);
  let total = 0;
  for (const k of kept) {
    for (let j = 0; j < k.indices.length; j++) count[k.indices[j]! + 1]!++;
    total += k.indices.length;
  }
  // local ids are in order of first appearance: visit features in global order
  const order = Array.from({ length: F }, (_, l) => l).filter((l) => count[l + 1]! > 0).sort((a, b) => globalOf[a]! - globalOf[b]!);
  const at = new Int32Array(F);
  const feats = new Int32Array(order.length);
  const entryStart = new Int32Array(order.length + 1);
  let off = 0;
  order.forEach((l, i) => {
    feats[i] = globalOf[l]!;
    at[l] = off;
    off += count[l + 1]!;
    entryStart[i + 1] = off;
  });
  const child = new Int32Array(total);
  const weight = new Float32Array(total);
  for (const k of kept) {
    for (let j = 0; j < k.indices.length; j++) {
      const p = at[k.indices[j]!]!++;
      child[p] = k.child;
      weight[p] = k.values[j]!;
    }
  }
  return { feats, entryStart, child, weight };
}
