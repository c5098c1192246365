/**
 * L2-regularised logistic regression on a few dense features, fitted by Newton's method (IRLS)
 * with a backtracking line search: the fusion of the lexical and attention scores is one such
 * model, fitted on the tuning half. With a few dozen features and ~10⁵ rows each Newton step is
 * one pass plus a small linear solve; it converges in well under 30 steps.
 *
 *   min_θ  Σ_i w_i [log(1 + e^{θᵀx_i}) − y_i θᵀx_i] + ½ λ ‖θ_{1…}‖²   (θ_0, the intercept, is not penalised)
 */

export interface LogisticData {
  /** [n × d] row-major features; column 0 must be the constant 1 (the intercept). */
  x: Float64Array;
  d: number;
  /** [n] 0/1 targets. */
  y: Uint8Array;
  /** [n] row weights (default 1). */
  weight?: Float64Array;
}

export interface LogisticFit {
  theta: Float64Array;
  iterations: number;
  /** Final regularised negative log-likelihood. */
  objective: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const softplus = (z: number): number => (z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z)));

export function logisticObjective(data: LogisticData, theta: Float64Array, lambda: number): number {
  const { x, d, y } = data;
  const n = y.length;
  let f = 0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < d; j++) z += theta[j]! * x[i * d + j]!;
    f += (data.weight?.[i] ?? 1) * (softplus(z) - y[i]! * z);
  }
  for (let j = 1; j < d; j++) f += 0.5 * lambda * theta[j]! * theta[j]!;
  return f;
}

/** Solves A z = b for a symmetric positive definite A (Cholesky, with a tiny ridge if needed). */
export function solveSpd(A: Float64Array, b: Float64Array, d: number): Float64Array {
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-10 : ridge * 100) {
    const L = new Float64Array(d * d);
    let ok = true;
    for (let i = 0; i < d && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = A[i * d + j]! + (i === j ? ridge : 0);
        for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
        if (i === j) {
          if (s <= 0) ok = false;
          else L[i * d + i] = Math.sqrt(s);
        } else L[i * d + j] = s / L[j * d + j]!;
      }
    }
    if (!ok) {
      if (ridge > 1e6) throw new Error('logistic fit: the Hessian is not positive definite');
      continue;
    }
    const z = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = b[i]!;
      for (let k = 0; k < i; k++) s -= L[i * d + k]! * z[k]!;
      z[i] = s / L[i * d + i]!;
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * z[k]!;
      z[i] = s / L[i * d + i]!;
    }
    return z;
  }
}

/** Stops when every gradient entry is within tol · max(1, n) of 0. */
export function fitLogistic(data: LogisticData, o: { lambda: number; maxIter?: number; tol?: number } = { lambda: 1 }): LogisticFit {
  const { x, d, y } = data;
  const n = y.length;
  const theta = new Float64Array(d);
  // Start the intercept at the base rate's log-odds: the first Newton step is then small.
  let pos = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const w = data.weight?.[i] ?? 1;
    pos += w * y[i]!;
    tot += w;
  }
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, tot > 0 ? pos / tot : 0.5));
  theta[0] = Math.log(rate / (1 - rate));
  let f = logisticObjective(data, theta, o.lambda);
  let it = 0;
  for (; it < (o.maxIter ?? 50); it++) {
    const g = new Float64Array(d);
    const H = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < d; j++) z += theta[j]! * x[i * d + j]!;
      const p = sigmoid(z);
      const w = data.weight?.[i] ?? 1;
      const r = w * (p - y[i]!);
      const h = w * p * (1 - p);
      for (let a = 0; a < d; a++) {
        const xa = x[i * d + a]!;
        if (xa === 0) continue;
        g[a]! += r * xa;
        for (let b = 0; b <= a; b++) H[a * d + b]! += h * xa * x[i * d + b]!;
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) H[b * d + a] = H[a * d + b]!;
    for (let j = 1; j < d; j++) {
      g[j]! += o.lambda * theta[j]!;
      H[j * d + j]! += o.lambda;
    }
    let gMax = 0;
    for (let j = 0; j < d; j++) gMax = Math.max(gMax, Math.abs(g[j]!));
    if (gMax <= (o.tol ?? 1e-10) * Math.max(1, n)) break;
    const step = solveSpd(H, g, d);
    let decrease = 0;
    for (let j = 0; j < d; j++) decrease += g[j]! * step[j]!;
    let t = 1;
    const next = new Float64Array(d);
    for (;;) {
      for (let j = 0; j < d; j++) next[j] = theta[j]! - t * step[j]!;
      const fn = logisticObjective(data, next, o.lambda);
      // Near the optimum the objective's decrease falls below its rounding: take the Newton step.
      if (fn <= f - 1e-4 * t * decrease || decrease < 1e-12 * Math.max(1, Math.abs(f)) || t < 1e-8) {
        theta.set(next);
        f = fn;
        break;
      }
      t /= 2;
    }
  }
  return { theta, iterations: it, objective: f };
}

export function predictLogistic(theta: ArrayLike<number>, features: ArrayLike<number>): number {
  let z = 0;
  for (let j = 0; j < theta.length; j++) z += theta[j]! * features[j]!;
  return sigmoid(z);
}
