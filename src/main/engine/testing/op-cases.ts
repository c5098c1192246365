/**
 * Gradcheck cases per op (differentiable ops) and hand-computed forward cases (the rest).
 * dtype is float64 where ORT 1.30's CPU provider has double kernels for every op a case uses
 * (probed: Conv, Softplus have float32 kernels only).
 */
import type { GraphBuilder } from '../graph/builder';
import { at, take } from '../graph/checked';
import { BugError } from '../graph/types';
import type { Tensor } from '../graph/types';
import * as O from '../ops/index';
import type { OpDef } from '../ops/index';
import type { CaseInput, GradCase } from './gradcheck';

const f = (...shape: number[]): CaseInput => ({ shape });
const pos = (shape: number[], seed: number): CaseInput => ({ shape, values: spread(shape, seed, 0.5, 2) });
const ints = (shape: number[], values: number[]): CaseInput => ({ shape, values, dtype: 'int64' });
/** Well-separated values (no ties, away from kinks) in [lo, hi). */
function spread(shape: number[], seed: number, lo = -2, hi = 2): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = (i * 7919 + seed * 104729) % (i + 1);
    [perm[i], perm[j]] = [at(perm, j, 'perm'), at(perm, i, 'perm')];
  }
  return perm.map((p) => lo + ((p + 0.5) / n) * (hi - lo));
}
const away0 = (shape: number[], seed: number): CaseInput => ({ shape, values: spread(shape, seed).map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v)) });

/** One tensor per case input, in order, so a build destructures exactly the inputs its case declares. */
type Tensors<I extends readonly CaseInput[]> = { [K in keyof I]: Tensor };
type Build<I extends readonly CaseInput[]> = (g: GraphBuilder, xs: Tensors<I>) => Tensor;
/** `build` as GradCase takes it (a plain `Tensor[]`), checking it gets one tensor per declared input. */
function untyped<I extends readonly CaseInput[]>(name: string, inputs: I, build: Build<I>): GradCase['build'] {
  return (g, xs) => {
    if (xs.length !== inputs.length) throw new BugError(`case ${name}: got ${xs.length} tensors for ${inputs.length} inputs`);
    return build(g, xs as unknown as Tensors<I>); // the length is checked above
  };
}
// `| []` makes TS infer the inputs as a tuple, so each build sees how many tensors it gets
const c = <I extends CaseInput[] | []>(name: string, inputs: I, build: Build<I>, dtype: GradCase['dtype'] = 'float64'): GradCase =>
  ({ name, inputs, build: untyped(name, inputs, build), dtype });

export const GRAD_CASES = new Map<OpDef, GradCase[]>([
  [O.Add, [c('add broadcast [2,3]+[3]', [f(2, 3), f(3)], (g, [a, b]) => O.add(g, a, b)), c('add [2,1,3]+[4,1]', [f(2, 1, 3), f(4, 1)], (g, [a, b]) => O.add(g, a, b))]],
  [O.Sub, [c('sub [2,3]-[2,1]', [f(2, 3), f(2, 1)], (g, [a, b]) => O.sub(g, a, b))]],
  [O.Mul, [c('mul broadcast [2,3]*[3]', [f(2, 3), f(3)], (g, [a, b]) => O.mul(g, a, b)), c('mul same x*x', [f(2, 2)], (g, [a]) => O.mul(g, a, a))]],
  [O.Div, [c('div [2,3]/[3]', [f(2, 3), pos([3], 1)], (g, [a, b]) => O.div(g, a, b))]],
  [O.Max, [c('max [2,3] vs [3]', [{ shape: [2, 3], values: spread([2, 3], 1) }, { shape: [3], values: [0.33, -0.45, 1.2] }], (g, [a, b]) => O.max(g, a, b))]],
  [O.Neg, [c('neg', [f(2, 3)], (g, [x]) => O.neg(g, x))]],
  [O.Tanh, [c('tanh', [f(2, 3)], (g, [x]) => O.tanh(g, x))]],
  [O.Sigmoid, [c('sigmoid', [f(2, 3)], (g, [x]) => O.sigmoid(g, x))]],
  [O.Softplus, [c('softplus', [f(2, 3)], (g, [x]) => O.softplus(g, x), 'float32')]],
  [O.Exp, [c('exp', [f(2, 3)], (g, [x]) => O.exp(g, x))]],
  [O.Log, [c('log', [pos([2, 3], 2)], (g, [x]) => O.log(g, x))]],
  [O.Sqrt, [c('sqrt', [pos([2, 3], 3)], (g, [x]) => O.sqrt(g, x))]],
  [O.Abs, [c('abs', [away0([2, 3], 4)], (g, [x]) => O.abs(g, x))]],
  [O.Relu, [c('relu', [away0([3, 4], 5)], (g, [x]) => O.relu(g, x))]],
  [O.Identity, [c('identity', [f(2, 3)], (g, [x]) => O.identity(g, x))]],
  [O.Cast, [c('cast f32→f64→f32', [f(2, 3)], (g, [x]) => O.cast(g, O.cast(g, x, 'float64'), 'float32'), 'float32')]],
  [O.Where, [c('where', [{ shape: [2, 3], values: [1, 0, 1, 0, 0, 1], dtype: 'bool' }, f(2, 3), f(3)], (g, [k, a, b]) => O.where(g, k, a, b))]],
  [O.Reshape, [c('reshape [2,3,2]→[3,-1]', [f(2, 3, 2)], (g, [x]) => O.reshape(g, x, [3, -1]))]],
  [O.Transpose, [c('transpose [2,3,4] perm 2,0,1', [f(2, 3, 4)], (g, [x]) => O.transpose(g, x, [2, 0, 1]))]],
  [O.Unsqueeze, [c('unsqueeze [2,3] axes 0,2', [f(2, 3)], (g, [x]) => O.unsqueeze(g, x, [0, 2]))]],
  [O.Squeeze, [c('squeeze [2,1,3] axis 1', [f(2, 1, 3)], (g, [x]) => O.squeeze(g, x, [1]))]],
  [O.Expand, [c('expand [3,1]→[2,3,4]', [f(3, 1)], (g, [x]) => O.expand(g, x, g.ints([2, 3, 4])))]],
  [O.Concat, [c('concat axis 1', [f(2, 3), f(2, 2)], (g, [a, b]) => O.concat(g, [a, b], 1))]],
  [O.Split, [
    c('split one part used', [f(5, 2)], (g, [x]) => at(O.split(g, x, g.ints([2, 3]), 0), 1, 'split parts')),
    c('split both parts', [f(5, 2)], (g, [x]) => { const [p, q] = take(O.split(g, x, g.ints([2, 3]), 0), 2, 'split parts'); return O.concat(g, [O.tanh(g, q), p], 0); }),
  ]],
  [O.Slice, [c('slice [1:3, 2:]', [f(4, 5)], (g, [x]) => O.slice(g, x, [1, 2], [3, Infinity], [0, 1]))]],
  [O.Pad, [c('pad [2,3] by (0,1)(1,2)', [f(2, 3)], (g, [x]) => O.pad(g, x, [0, 1, 1, 2]))]],
  [O.Gather, [c('gather rows with repeats', [f(5, 3), ints([2, 3], [1, 4, 1, 0, 1, 2])], (g, [e, i]) => O.gather(g, e, i))]],
  [O.GatherND, [c('gatherND pairs', [f(3, 4), ints([3, 2], [0, 1, 2, 3, 0, 1])], (g, [x, i]) => O.gatherND(g, x, i))]],
  [O.ScatterND, [
    c('scatterND add', [f(4, 3), ints([3, 1], [1, 3, 1]), f(3, 3)], (g, [x, i, u]) => O.scatterND(g, x, i, u, 'add')),
    c('scatterND none', [f(4, 3), ints([2, 1], [1, 3]), f(2, 3)], (g, [x, i, u]) => O.scatterND(g, x, i, u, 'none')),
  ]],
  [O.MatMul, [
    c('matmul [2,3]x[3,4]', [f(2, 3), f(3, 4)], (g, [a, b]) => O.matMul(g, a, b)),
    c('matmul broadcast [4,3]x[2,3,5]', [f(4, 3), f(2, 3, 5)], (g, [a, b]) => O.matMul(g, a, b)),
    c('matmul [2,2,3]x[3,4]', [f(2, 2, 3), f(3, 4)], (g, [a, b]) => O.matMul(g, a, b)),
  ]],
  [O.Gemm, [
    c('gemm plain + C[4]', [f(2, 3), f(3, 4), f(4)], (g, [a, b, k]) => O.gemm(g, a, b, { alpha: 0.7, beta: 1.3 }, k)),
    c('gemm transA transB', [f(3, 2), f(4, 3)], (g, [a, b]) => O.gemm(g, a, b, { transA: 1, transB: 1 })),
    c('gemm transA', [f(3, 2), f(3, 4), f(2, 4)], (g, [a, b, k]) => O.gemm(g, a, b, { transA: 1 }, k)),
    c('gemm transB', [f(2, 3), f(4, 3)], (g, [a, b]) => O.gemm(g, a, b, { transB: 1, alpha: 2 })),
  ]],
  [O.Conv, [
    c('conv1d same k3 + bias', [f(2, 3, 6), f(4, 3, 3), f(4)], (g, [x, w, b]) => O.conv(g, x, w, b, [1, 1]), 'float32'),
    c('conv1d causal k2', [f(2, 2, 5), f(3, 2, 2)], (g, [x, w]) => O.conv(g, x, w, undefined, [1, 0]), 'float32'),
  ]],
  [O.ReduceSum, [
    c('reduceSum axis 1 keep', [f(2, 3, 4)], (g, [x]) => O.reduceSum(g, x, [1], true)),
    c('reduceSum axes 0,2', [f(2, 3, 4)], (g, [x]) => O.reduceSum(g, x, [0, 2], false)),
  ]],
  [O.ReduceMean, [c('reduceMean axes -1', [f(2, 3, 4)], (g, [x]) => O.reduceMean(g, x, [-1], false)), c('reduceMean axis 0 keep', [f(2, 3)], (g, [x]) => O.reduceMean(g, x, [0], true))]],
  [O.ReduceMax, [c('reduceMax axis 1', [{ shape: [2, 3, 4], values: spread([2, 3, 4], 7) }], (g, [x]) => O.reduceMax(g, x, [1], false))]],
  [O.ReduceSumSquare, [c('reduceSumSquare axes 0,1', [f(2, 3)], (g, [x]) => O.reduceSumSquare(g, x, [0, 1], false))]],
  [O.Softmax, [c('softmax last axis', [f(2, 3, 4)], (g, [x]) => O.softmax(g, x, -1)), c('softmax axis 1', [f(2, 3, 4)], (g, [x]) => O.softmax(g, x, 1))]],
  [O.LabelAttention, [
    c('labelAttention z', [f(2, 3, 4), f(2, 3, 4)], (g, [s, p]) => O.labelAttention(g, s, p)[0]),
    c('labelAttention A', [f(2, 3, 4), f(2, 3, 4)], (g, [s, p]) => O.labelAttention(g, s, p)[1]),
    c('labelAttention z and A both used', [f(2, 2, 3), f(2, 2, 3)], (g, [s, p]) => { const [z, a] = O.labelAttention(g, s, p); return O.add(g, O.unsqueeze(g, z, [-1]), a); }),
  ]],
  [O.LogSoftmax, [c('logSoftmax', [f(3, 5)], (g, [x]) => O.logSoftmax(g, x, -1))]],
]);

/** Forward cases for non-differentiable ops: build, inputs, expected output (hand-computed). */
export interface ForwardCase { name: string; inputs: CaseInput[]; build: GradCase['build']; expected: number[]; dims: number[] }
const fw = <I extends CaseInput[] | []>(name: string, inputs: I, build: Build<I>, expected: number[], dims: number[]): ForwardCase =>
  ({ name, inputs, build: untyped(name, inputs, build), expected, dims });
const v = (shape: number[], values: number[]): CaseInput => ({ shape, values });

export const FORWARD_CASES = new Map<OpDef, ForwardCase[]>([
  [O.Sign, [fw('sign', [v([4], [-2, 0, 0.5, 3])], (g, [x]) => O.sign(g, x), [-1, 0, 1, 1], [4])]],
  [O.StopGradient, [fw('stopGradient is identity forward', [v([2], [1.5, -2])], (g, [x]) => O.stopGradient(g, x), [1.5, -2], [2])]],
  [O.Equal, [fw('equal', [v([3], [1, 2, 3]), v([3], [1, 0, 3])], (g, [a, b]) => O.equal(g, a, b), [1, 0, 1], [3])]],
  [O.Greater, [fw('greater', [v([3], [1, 2, 3]), v([3], [1, 0, 4])], (g, [a, b]) => O.greater(g, a, b), [0, 1, 0], [3])]],
  [O.Less, [fw('less', [v([3], [1, 2, 3]), v([3], [1, 0, 4])], (g, [a, b]) => O.less(g, a, b), [0, 0, 1], [3])]],
  [O.Shape, [fw('shape', [f(2, 3, 4)], (g, [x]) => O.shapeOf(g, x), [2, 3, 4], [3])]],
  [O.Size, [fw('size', [f(2, 3, 4)], (g, [x]) => O.size(g, x), [24], [])]],
  [O.ConstantOfShape, [fw('constantOfShape', [f(2, 2)], (g, [x]) => O.constantOfShape(g, O.shapeOf(g, x), 1.5, 'float32'), [1.5, 1.5, 1.5, 1.5], [2, 2])]],
  [O.TopK, [
    fw('topK values', [v([2, 4], [1, 5, 3, 2, 9, 0, 4, 8])], (g, [x]) => O.topK(g, x, 2)[0], [5, 3, 9, 8], [2, 2]),
    fw('topK indices', [v([2, 4], [1, 5, 3, 2, 9, 0, 4, 8])], (g, [x]) => O.topK(g, x, 2)[1], [1, 2, 0, 3], [2, 2]),
  ]],
]);
