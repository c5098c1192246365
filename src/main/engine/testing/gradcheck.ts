import * as ort from 'onnxruntime-node';
import { gradients } from '../autodiff';
import { GraphBuilder } from '../graph/builder';
import { at } from '../graph/checked';
import type { DType, Tensor } from '../graph/types';
import { serialize } from '../onnx/serialize';
import { cast, mul, reduceSum } from '../ops/index';
import { randn, Rng } from '../rng';
import { outputOf } from '../runtime/session';

/** One input of a gradcheck case: differentiable float inputs are perturbed, the rest are constants. */
export interface CaseInput {
  shape: number[];
  /** Values (default: seeded normal). */
  values?: number[];
  /** 'int64' / 'bool' inputs are constants; float inputs are differentiated unless `constant`. */
  dtype?: 'float' | 'int64' | 'bool';
  constant?: boolean;
}

export interface GradCase {
  name: string;
  /** float64 where ORT's CPU provider has double kernels for every op involved, else float32. */
  dtype: 'float64' | 'float32';
  inputs: CaseInput[];
  /** Applies the op under test; returns the output to differentiate. */
  build(g: GraphBuilder, xs: Tensor[]): Tensor;
  /** Directional checks instead of per-element ones (PyTorch "fast mode") above this many elements. */
  maxElements?: number;
}

export interface GradcheckResult {
  checks: number;
  worst: { input: number; fd: number; analytic: number; err: number } | null;
  failures: string[];
}

const TOL = {
  float64: { h: 1e-6, atol: 1e-5, rtol: 1e-3 },
  float32: { h: 1e-3, atol: 1e-3, rtol: 1e-2 },
};

type Float = Float32Array | Float64Array;

function makeFeeds(c: GradCase, values: Float[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  c.inputs.forEach((inp, i) => {
    if (isDiff(inp)) feeds[`x${i}`] = new ort.Tensor(c.dtype, at(values, i, `${c.name} values`), inp.shape);
  });
  return feeds;
}

const isDiff = (inp: CaseInput): boolean => (inp.dtype ?? 'float') === 'float' && !inp.constant;


/** Builds L = Σ op(x) ⊙ w (w fixed, random) and its gradients through our backward graph. */
function buildCheckGraph(c: GradCase, values: Float[], w: Float64Array | null): { g: GraphBuilder; outShape: Tensor } {
  const g = new GraphBuilder();
  const dt: DType = c.dtype;
  const xs = c.inputs.map((inp, i) => {
    const kind = inp.dtype ?? 'float';
    if (kind === 'int64' || kind === 'bool') return g.constant(inp.values!, kind, inp.shape);
    if (inp.constant) return g.constant(at(values, i, `${c.name} values`), dt, inp.shape);
    return g.input(`x${i}`, dt, inp.shape);
  });
  const y = c.build(g, xs);
  if (!w) {
    g.output(y, 'y');
    return { g, outShape: y };
  }
  // the weighted sum runs in float64 even for float32 ops, so only the op's own rounding is in the differences
  const wt = g.constant(w, 'float64', y.shape.map(Number));
  const prod = mul(g, cast(g, y, 'float64'), wt);
  const loss = prod.shape.length ? reduceSum(g, prod, prod.shape.map((_, i) => i), false) : prod;
  g.output(loss, 'loss');
  const diff = xs.filter((_, i) => isDiff(at(c.inputs, i, `${c.name} inputs`)));
  gradients(g, loss, diff).forEach((d, k) => g.output(d, `grad${k}`));
  return { g, outShape: y };
}

/**
 * Checks the gradient rules used by `c.build` against central finite differences of the ORT
 * forward pass: (L(x + h·v) − L(x − h·v)) / 2h ≈ ⟨∇L, v⟩, with v a unit vector per element (or
 * random directions for large inputs). Tolerances follow STYLE §6.
 */
export async function gradcheck(c: GradCase, seed = 1): Promise<GradcheckResult> {
  const tol = TOL[c.dtype];
  const F = c.dtype === 'float64' ? Float64Array : Float32Array;
  const values: Float[] = c.inputs.map((inp, i) => F.from(inp.values ?? randn(inp.shape, seed * 101 + i)));
  // first pass: the output's run-time shape, to size the weights w
  const probe = buildCheckGraph(c, values, null);
  const s0 = await ort.InferenceSession.create(serialize(probe.g));
  const y0 = outputOf(await s0.run(makeFeeds(c, values)), 'y');
  await s0.release();
  const w = randn(y0.dims as number[], seed * 7 + 3);
  const { g } = buildCheckGraph(c, values, w);
  const session = await ort.InferenceSession.create(serialize(g), { graphOptimizationLevel: 'disabled' });
  try {
    const base = await session.run(makeFeeds(c, values));
    const lossAt = async (vals: Float[]): Promise<number> => Number(outputOf(await session.run(makeFeeds(c, vals)), 'loss').data[0]);
    const result: GradcheckResult = { checks: 0, worst: null, failures: [] };
    const rng = new Rng(seed);
    let k = 0;
    for (const [i, inp] of c.inputs.entries()) {
      if (!isDiff(inp)) continue;
      const grad = outputOf(base, `grad${k++}`).data as Float;
      const x = at(values, i, `${c.name} values`);
      if (grad.length !== x.length) result.failures.push(`input ${i}: gradient has ${grad.length} elements, expected ${x.length}`);
      const n = x.length;
      const perElement = n <= (c.maxElements ?? 64);
      const directions = perElement ? n : 8;
      for (let d = 0; d < directions; d++) {
        const v = new Float64Array(n);
        if (perElement) v[d] = 1;
        else for (let j = 0; j < n; j++) v[j] = rng.normal() / Math.sqrt(n);
        const plus = values.map((a) => F.from(a));
        const minus = values.map((a) => F.from(a));
        const xPlus = at(plus, i, 'x + h·v');
        const xMinus = at(minus, i, 'x - h·v');
        // j < n = the length of x, v, xPlus and xMinus
        for (let j = 0; j < n; j++) {
          xPlus[j]! += tol.h * v[j]!;
          xMinus[j]! -= tol.h * v[j]!;
        }
        const fd = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * tol.h);
        let analytic = 0;
        for (let j = 0; j < n; j++) analytic += grad[j]! * v[j]!; // a gradient of the wrong length is already a failure above
        const err = Math.abs(fd - analytic);
        result.checks += 1;
        if (!result.worst || err > result.worst.err) result.worst = { input: i, fd, analytic, err };
        if (err > tol.atol + tol.rtol * Math.abs(fd)) {
          result.failures.push(`${c.name}: input ${i} direction ${d}: finite difference ${fd.toExponential(4)} vs gradient ${analytic.toExponential(4)}`);
        }
      }
    }
    return result;
  } finally {
    await session.release();
  }
}

/** Runs the forward graph of a case once (for non-differentiable ops' hand-computed checks). */
export async function runForward(c: Omit<GradCase, 'dtype'> & { dtype?: GradCase['dtype'] }): Promise<ort.Tensor> {
  const cc: GradCase = { dtype: 'float32', ...c };
  const F = cc.dtype === 'float64' ? Float64Array : Float32Array;
  const values = cc.inputs.map((inp, i) => F.from(inp.values ?? randn(inp.shape, i + 1)));
  const { g } = buildCheckGraph(cc, values, null);
  const s = await ort.InferenceSession.create(serialize(g));
  try {
    return outputOf(await s.run(makeFeeds(cc, values)), 'y');
  } finally {
    await s.release();
  }
}
