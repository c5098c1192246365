/**
 * Dual coordinate descent for L2-regularised linear classifiers (Hsieh, Chang, Lin, Keerthi,
 * Sundararajan, ICML 2008; the logistic variant after Yu, Huang, Lin, MLJ 2011): the solvers of
 * liblinear's dual modes, written for Planter's CSR matrices. One binary problem per call:
 *
 *   squared hinge:  min_w ½‖w‖² + C Σ_i max(0, 1 − y_i wᵀx_i)²
 *   logistic:       min_w ½‖w‖² + C Σ_i log(1 + exp(−y_i wᵀx_i))
 *
 * A bias is an appended constant feature of value `bias` (regularised, as in liblinear). The
 * stopping rule is liblinear's: the spread of projected gradients over one pass ≤ eps (0.1 by
 * default, not scikit-learn's 1e-4), with shrinking of variables at their bound.
 */
import type { Csr } from './sparse';

export type LinearLoss = 'squaredHinge' | 'logistic';

export interface BinaryProblem {
  X: Csr;
  /** Rows of X that take part (a tree node's documents), in any order. */
  rows: Int32Array;
  /** [rows.length] +1 or −1. */
  y: Int8Array;
  /** Value of the appended constant feature (0 = no bias term). */
  bias: number;
  /** A constant added to every score, not learned (default 0). */
  offset?: number;
}

export interface SolverOptions {
  loss: LinearLoss;
  C: number;
  /** Stopping tolerance on the projected-gradient spread (squared hinge) or largest gradient (logistic). */
  eps: number;
  maxIter: number;
  seed: number;
  /** Squared hinge only: drop variables at α = 0 whose gradient says they will stay there. */
  shrinking: boolean;
}

export const DEFAULT_SOLVER: SolverOptions = Object.freeze({ loss: 'squaredHinge', C: 1, eps: 0.1, maxIter: 100, seed: 1, shrinking: true });

export interface SolverResult {
  /** The bias weight (the weight of the constant feature; the score adds bias·wBias). */
  wBias: number;
  /** [rows.length] dual variables. */
  alpha: Float64Array;
  iterations: number;
  converged: boolean;
  /** Stored entries of X read over all passes (the solver's machine-independent cost). */
  visited: number;
}

/** A small fast generator for the visiting order (xorshift32). */
function shuffler(seed: number): (n: number) => number {
  let s = (seed ^ 0x2545f491) >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

/**
 * Solves one binary problem. `w` [F] must be all zeros on entry; it holds the solution on return
 * (the caller reuses the buffer: `extractWeights` reads and re-zeroes it).
 */
export function solveBinary(p: BinaryProblem, w: Float64Array, o: SolverOptions): SolverResult {
  return o.loss === 'logistic' ? solveLogistic(p, w, o) : solveSquaredHinge(p, w, o);
}

function squaredNorms(p: BinaryProblem): Float64Array {
  const { indptr, data } = p.X;
  const out = new Float64Array(p.rows.length);
  for (let i = 0; i < p.rows.length; i++) {
    const r = p.rows[i]!;
    let s = p.bias * p.bias;
    for (let k = indptr[r]!, end = indptr[r + 1]!; k < end; k++) s += data[k]! * data[k]!;
    out[i] = s;
  }
  return out;
}

function solveSquaredHinge(p: BinaryProblem, w: Float64Array, o: SolverOptions): SolverResult {
  const { indptr, indices, data } = p.X;
  const n = p.rows.length;
  const diag = 0.5 / o.C;
  const qd = squaredNorms(p);
  for (let i = 0; i < n; i++) qd[i]! += diag;
  const alpha = new Float64Array(n);
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const rand = shuffler(o.seed);
  const bias = p.bias;
  const offset = p.offset ?? 0;
  let wBias = 0;
  let active = n;
  // With no upper bound on α (squared hinge), only the α = 0 side of liblinear's shrinking applies.
  let pgMaxOld = Infinity;
  let iter = 0;
  let converged = false;
  let visited = 0;
  while (iter < o.maxIter) {
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s++) {
      const j = s + rand(active - s);
      const t = index[s]!;
      index[s] = index[j]!;
      index[j] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = index[s]!;
      const r = p.rows[i]!;
      const yi = p.y[i]!;
      const a = indptr[r]!;
      const b = indptr[r + 1]!;
      visited += b - a;
      let dot = offset + bias * wBias;
      for (let k = a; k < b; k++) dot += w[indices[k]!]! * data[k]!;
      const G = yi * dot - 1 + alpha[i]! * diag;
      let pg = 0;
      if (alpha[i] === 0) {
        if (o.shrinking && G > pgMaxOld) {
          active--;
          index[s] = index[active]!;
          index[active] = i;
          s--;
          continue;
        }
        if (G < 0) pg = G;
      } else pg = G;
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const next = Math.max(old - G / qd[i]!, 0);
        alpha[i] = next;
        const d = (next - old) * yi;
        visited += b - a;
        for (let k = a; k < b; k++) w[indices[k]!]! += d * data[k]!;
        wBias += d * bias;
      }
    }
    iter++;
    if (pgMax - pgMin <= o.eps) {
      if (active === n) {
        converged = true;
        break;
      }
      // Shrunk variables may have moved: check all of them once more before stopping.
      active = n;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  return { wBias, alpha, iterations: iter, converged, visited };
}

function solveLogistic(p: BinaryProblem, w: Float64Array, o: SolverOptions): SolverResult {
  const { indptr, indices, data } = p.X;
  const n = p.rows.length;
  const C = o.C;
  const qd = squaredNorms(p);
  // Both α_i and C − α_i are kept, so neither loses precision near its bound.
  const a1 = new Float64Array(n);
  const a2 = new Float64Array(n);
  const bias = p.bias;
  const offset = p.offset ?? 0;
  let wBias = 0;
  const start = Math.min(0.001 * C, 1e-8);
  for (let i = 0; i < n; i++) {
    a1[i] = start;
    a2[i] = C - start;
    const r = p.rows[i]!;
    const d = p.y[i]! * start;
    for (let k = indptr[r]!, end = indptr[r + 1]!; k < end; k++) w[indices[k]!]! += d * data[k]!;
    wBias += d * bias;
  }
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const rand = shuffler(o.seed);
  const maxInner = 100;
  let visited = 0;
  const innerEpsMin = Math.min(1e-8, o.eps);
  let innerEps = 1e-2;
  let iter = 0;
  let converged = false;
  while (iter < o.maxIter) {
    for (let s = 0; s < n; s++) {
      const j = s + rand(n - s);
      const t = index[s]!;
      index[s] = index[j]!;
      index[j] = t;
    }
    let newtonSteps = 0;
    let gMax = 0;
    for (let s = 0; s < n; s++) {
      const i = index[s]!;
      const r = p.rows[i]!;
      const yi = p.y[i]!;
      const ka = indptr[r]!;
      const kb = indptr[r + 1]!;
      let dot = offset + bias * wBias;
      visited += kb - ka;
      for (let k = ka; k < kb; k++) dot += w[indices[k]!]! * data[k]!;
      const qa = qd[i]!;
      const qb = yi * dot;
      // Newton on whichever of α_i, C − α_i should end below C/2 (sign says which).
      let sign = 1;
      let zOld = a1[i]!;
      if (0.5 * qa * (a2[i]! - a1[i]!) + qb < 0) {
        sign = -1;
        zOld = a2[i]!;
      }
      let z = zOld;
      if (C - z < 0.5 * C) z = 0.1 * z;
      let gp = qa * (z - zOld) + sign * qb + Math.log(z / (C - z));
      if (Math.abs(gp) > gMax) gMax = Math.abs(gp);
      let inner = 0;
      while (inner <= maxInner && Math.abs(gp) >= innerEps) {
        const gpp = qa + C / (C - z) / z;
        const next = z - gp / gpp;
        z = next <= 0 ? z * 0.1 : next;
        gp = qa * (z - zOld) + sign * qb + Math.log(z / (C - z));
        newtonSteps++;
        inner++;
      }
      if (inner > 0) {
        if (sign === 1) {
          a1[i] = z;
          a2[i] = C - z;
        } else {
          a2[i] = z;
          a1[i] = C - z;
        }
        const d = sign * (z - zOld) * yi;
        visited += kb - ka;
        for (let k = ka; k < kb; k++) w[indices[k]!]! += d * data[k]!;
        wBias += d * bias;
      }
    }
    iter++;
    if (gMax < o.eps) {
      converged = true;
      break;
    }
    if (newtonSteps <= n / 10) innerEps = Math.max(innerEpsMin, 0.1 * innerEps);
  }
  return { wBias, alpha: a1, iterations: iter, converged, visited };
}

/**
 * Reads the solution out of the dense buffer as a sparse vector — weights with |w_j| ≥ threshold
 * (DiSMEC / PECOS pruning) — and re-zeroes the buffer. Only features of rows with α ≠ 0 can be
 * non-zero (w = Σ α_i y_i x_i), so this costs the support vectors' nnz, not F.
 */
export function extractWeights(p: BinaryProblem, alpha: Float64Array, w: Float64Array, threshold: number): { indices: Int32Array; values: Float32Array } {
  const { indptr, indices } = p.X;
  const fs: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < p.rows.length; i++) {
    if (alpha[i] === 0) continue;
    const r = p.rows[i]!;
    for (let k = indptr[r]!, end = indptr[r + 1]!; k < end; k++) {
      const f = indices[k]!;
      const v = w[f]!;
      if (v === 0) continue;
      if (Math.abs(v) >= threshold) {
        fs.push(f);
        vs.push(v);
      }
      w[f] = 0;
    }
  }
  const order = Int32Array.from(fs.keys()).sort((x, y) => fs[x]! - fs[y]!);
  return { indices: Int32Array.from(order, (j) => fs[j]!), values: Float32Array.from(order, (j) => vs[j]!) };
}
