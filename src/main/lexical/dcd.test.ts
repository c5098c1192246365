import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { DEFAULT_SOLVER, extractWeights, solveBinary, type BinaryProblem, type SolverOptions } from './dcd';
import { CsrBuilder } from './sparse';

/** A dense problem as CSR (zeros not stored). Rows x_i, labels y_i. */
function problem(rows: number[][], y: number[], bias = 0): BinaryProblem {
  const F = rows[0]!.length;
  const b = new CsrBuilder(F);
  for (const r of rows) {
    const idx: number[] = [];
    const val: number[] = [];
    r.forEach((v, j) => {
      if (v !== 0) {
        idx.push(j);
        val.push(v);
      }
    });
    b.push(idx, val);
  }
  return { X: b.build(), rows: Int32Array.from(rows.keys()), y: Int8Array.from(y), bias };
}

const augmented = (p: BinaryProblem, rows: number[][]): number[][] => rows.map((r) => (p.bias ? [...r, p.bias] : r));
const dot = (a: number[], b: number[]): number => a.reduce((s, v, j) => s + v * b[j]!, 0);

function primal(loss: SolverOptions['loss'], w: number[], xs: number[][], y: number[], C: number): number {
  let s = 0.5 * dot(w, w);
  xs.forEach((x, i) => {
    const m = y[i]! * dot(w, x);
    s += loss === 'logistic' ? C * Math.log1p(Math.exp(-m)) : C * Math.max(0, 1 - m) ** 2;
  });
  return s;
}

/** Solves A z = b by Gaussian elimination with partial pivoting (A small, SPD here). */
function solveLinear(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((r, i) => r[n]! / r[i]!);
}

/** Brute-force reference: damped Newton on the primal (generalised Hessian for the squared hinge). */
function referencePrimal(loss: SolverOptions['loss'], xs: number[][], y: number[], C: number): number[] {
  const d = xs[0]!.length;
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < 200; it++) {
    const g = [...w];
    const H = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
    xs.forEach((x, i) => {
      const m = y[i]! * dot(w, x);
      let gi = 0;
      let hi = 0;
      if (loss === 'logistic') {
        const s = 1 / (1 + Math.exp(m));
        gi = -C * y[i]! * s;
        hi = C * s * (1 - s);
      } else if (m < 1) {
        gi = -2 * C * y[i]! * (1 - m);
        hi = 2 * C;
      }
      for (let a = 0; a < d; a++) {
        g[a]! += gi * x[a]!;
        for (let b = 0; b < d; b++) H[a]![b]! += hi * x[a]! * x[b]!;
      }
    });
    const step = solveLinear(H, g.map((v) => -v));
    let t = 1;
    const f0 = primal(loss, w, xs, y, C);
    while (t > 1e-12 && primal(loss, w.map((v, j) => v + t * step[j]!), xs, y, C) > f0 - 1e-4 * t * -dot(g, step)) t /= 2;
    w = w.map((v, j) => v + t * step[j]!);
    if (Math.sqrt(dot(g, g)) < 1e-12) break;
  }
  return w;
}

function randomProblem(seed: number, n: number, d: number, bias: number): { p: BinaryProblem; xs: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const truth = Array.from({ length: d }, () => rng.normal());
  const xs: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    // sparse-ish rows, like TF-IDF: about half the entries zero
    const x = Array.from({ length: d }, () => (rng.next() < 0.5 ? 0 : Math.abs(rng.normal())));
    xs.push(x);
    y.push(dot(x, truth) + 0.5 * rng.normal() > 0.3 ? 1 : -1);
  }
  const p = problem(xs, y, bias);
  return { p, xs: augmented(p, xs), y };
}

const tight = (o: Partial<SolverOptions>): SolverOptions => ({ ...DEFAULT_SOLVER, eps: 1e-7, maxIter: 100_000, ...o });

function solved(p: BinaryProblem, o: SolverOptions): { w: number[]; alpha: Float64Array; converged: boolean; iterations: number } {
  const buf = new Float64Array(p.X.cols);
  const r = solveBinary(p, buf, o);
  return { w: p.bias ? [...buf, r.wBias] : [...buf], alpha: r.alpha, converged: r.converged, iterations: r.iterations };
}

describe('dual coordinate descent, squared hinge', () => {
  it('solves the hand-computed one-feature problem: w = 0.8, α = 0.4', () => {
    // x = 1 (y = +1), x = −1 (y = −1), C = 1: for w < 1 the primal is ½w² + 2(1 − w)², minimised at w = 0.8;
    // KKT: y·w·x − 1 + α/(2C) = 0 → α = 0.4 for both.
    const p = problem([[1], [-1]], [1, -1]);
    const r = solved(p, tight({ C: 1 }));
    expect(r.converged).toBe(true);
    expect(r.w[0]).toBeCloseTo(0.8, 6);
    expect(r.alpha[0]).toBeCloseTo(0.4, 6);
    expect(r.alpha[1]).toBeCloseTo(0.4, 6);
  });

  for (const [seed, bias, C] of [[1, 0, 1], [2, 1, 0.5], [3, 1, 4], [4, 0, 10]] as const) {
    it(`matches a brute-force primal minimum and satisfies KKT and strong duality (seed ${seed}, bias ${bias}, C ${C})`, () => {
      const { p, xs, y } = randomProblem(seed, 40, 6, bias);
      const r = solved(p, tight({ C }));
      expect(r.converged).toBe(true);
      const ref = referencePrimal('squaredHinge', xs, y, C);
      const pr = primal('squaredHinge', r.w, xs, y, C);
      const best = primal('squaredHinge', ref, xs, y, C);
      expect(Math.abs(pr - best) / best).toBeLessThan(1e-6);
      r.w.forEach((v, j) => expect(v).toBeCloseTo(ref[j]!, 4));
      // Dual objective f(α) = ½‖w(α)‖² + Σ α²/(4C) − Σ α; at the optimum P(w*) = −f(α*).
      const dual = 0.5 * dot(r.w, r.w) + [...r.alpha].reduce((s, a) => s + (a * a) / (4 * C) - a, 0);
      expect(pr + dual).toBeLessThan(1e-5 * pr);
      // KKT: G_i = y_i wᵀx_i − 1 + α_i/(2C) is 0 where α_i > 0 and ≥ 0 where α_i = 0.
      xs.forEach((x, i) => {
        const G = y[i]! * dot(r.w, x) - 1 + r.alpha[i]! / (2 * C);
        if (r.alpha[i]! > 0) expect(Math.abs(G)).toBeLessThan(1e-5);
        else expect(G).toBeGreaterThan(-1e-5);
      });
    });
  }

  it('gives the same solution with and without shrinking', () => {
    const { p } = randomProblem(7, 60, 8, 1);
    const a = solved(p, tight({ C: 2, shrinking: true }));
    const b = solved(p, tight({ C: 2, shrinking: false }));
    a.w.forEach((v, j) => expect(v).toBeCloseTo(b.w[j]!, 5));
  });

  it("stops at liblinear's tolerance (eps 0.1) close to the optimum, in far fewer passes", () => {
    const { p, xs, y } = randomProblem(11, 200, 10, 1);
    const r = solved(p, { ...DEFAULT_SOLVER, C: 1, maxIter: 1000 });
    const exact = solved(p, tight({ C: 1 }));
    const best = primal('squaredHinge', referencePrimal('squaredHinge', xs, y, 1), xs, y, 1);
    expect(r.converged).toBe(true);
    expect(r.iterations * 5).toBeLessThan(exact.iterations);
    expect(primal('squaredHinge', r.w, xs, y, 1) / best).toBeLessThan(1.02);
  });

  it('uses only the given rows', () => {
    const { p, xs, y } = randomProblem(5, 30, 5, 1);
    const rows = Int32Array.from([0, 3, 4, 9, 12, 20, 21, 29]);
    const sub: BinaryProblem = { ...p, rows, y: Int8Array.from(rows, (r) => y[r]!) };
    const r = solved(sub, tight({ C: 1 }));
    const ref = referencePrimal('squaredHinge', [...rows].map((i) => xs[i]!), [...rows].map((i) => y[i]!), 1);
    r.w.forEach((v, j) => expect(v).toBeCloseTo(ref[j]!, 4));
  });
});

describe('dual coordinate descent, logistic', () => {
  for (const [seed, bias, C] of [[21, 0, 1], [22, 1, 3], [23, 1, 0.3]] as const) {
    it(`matches Newton's method on the primal and strong duality (seed ${seed}, bias ${bias}, C ${C})`, () => {
      const { p, xs, y } = randomProblem(seed, 40, 6, bias);
      const r = solved(p, tight({ loss: 'logistic', C }));
      expect(r.converged).toBe(true);
      const ref = referencePrimal('logistic', xs, y, C);
      const pr = primal('logistic', r.w, xs, y, C);
      expect(Math.abs(pr - primal('logistic', ref, xs, y, C)) / pr).toBeLessThan(1e-6);
      r.w.forEach((v, j) => expect(v).toBeCloseTo(ref[j]!, 4));
      // Dual: ½‖w(α)‖² + Σ [α log α + (C − α) log(C − α)] − n·C·log C; P* = −D*.
      const ent = [...r.alpha].reduce((s, a) => s + a * Math.log(a) + (C - a) * Math.log(C - a) - C * Math.log(C), 0);
      expect(Math.abs(pr + 0.5 * dot(r.w, r.w) + ent)).toBeLessThan(1e-5 * pr);
      // 0 < α < C, and α_i = C·σ(−y_i wᵀx_i) at the optimum
      xs.forEach((x, i) => {
        expect(r.alpha[i]!).toBeGreaterThan(0);
        expect(r.alpha[i]!).toBeLessThan(C);
        expect(r.alpha[i]!).toBeCloseTo(C / (1 + Math.exp(y[i]! * dot(r.w, x))), 5);
      });
    });
  }
});

describe('extractWeights', () => {
  it('keeps |w| ≥ threshold, sorted by feature, and re-zeroes the buffer', () => {
    const p = problem([[0.5, 0, 0.2, 0.1], [0, 0.3, 0.4, 0]], [1, -1]);
    const w = Float64Array.from([0.5, -0.03, 0.25, 0.05]);
    const out = extractWeights(p, Float64Array.from([1, 1]), w, 0.05);
    expect([...out.indices]).toEqual([0, 2, 3]);
    expect([...out.values].map((v) => +v.toFixed(3))).toEqual([0.5, 0.25, 0.05]);
    expect([...w]).toEqual([0, 0, 0, 0]);
  });

  it('reads only the features of rows with α ≠ 0', () => {
    const p = problem([[1, 0], [0, 1]], [1, -1]);
    const w = Float64Array.from([0.7, 0.9]);
    const out = extractWeights(p, Float64Array.from([0.2, 0]), w, 0);
    expect([...out.indices]).toEqual([0]);
    expect(w[1]).toBeCloseTo(0.9); // untouched: row 1 is no support vector, so its features were never written by the solver
  });
});
