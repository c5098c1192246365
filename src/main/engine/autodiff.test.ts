import { describe, expect, it } from 'vitest';
import { gradients } from './autodiff';
import { GraphBuilder } from './graph/builder';
import { at } from './graph/checked';
import { BugError } from './graph/types';
import { defineOp, sameAsFirst } from './ops/define';
import { add, gather, labelAttention, matMul, mul, reduceSum, softmax, stopGradient, tanh } from './ops/index';
import { runGraph } from './testing/run';

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);

describe('autodiff, hand-computed', () => {
  it('d(a·b) = (b·dy, a·dy) with broadcasting', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float64', [2, 2]);
    const b = g.input('b', 'float64', [2]);
    const loss = reduceSum(g, mul(g, a, b), [0, 1], false);
    const [da, db] = gradients(g, loss, [a, b]);
    g.output(da, 'da');
    g.output(db, 'db');
    const r = await runGraph(g, { a: { data: f64(1, 2, 3, 4), dims: [2, 2] }, b: { data: f64(10, 20), dims: [2] } }, ['da', 'db']);
    expect(r.da).toEqual({ dims: [2, 2], data: [10, 20, 10, 20] });
    expect(r.db).toEqual({ dims: [2], data: [4, 6] }); // column sums of a
  });

  it('MatMul: dA = dY·Bᵀ, dB = Aᵀ·dY', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float64', [1, 2]);
    const b = g.input('b', 'float64', [2, 1]);
    const loss = reduceSum(g, matMul(g, a, b), [0, 1], false); // a0·b0 + a1·b1
    const [da, db] = gradients(g, loss, [a, b]);
    g.output(da, 'da');
    g.output(db, 'db');
    const r = await runGraph(g, { a: { data: f64(1, 2), dims: [1, 2] }, b: { data: f64(3, 4), dims: [2, 1] } }, ['da', 'db']);
    expect(r.da.data).toEqual([3, 4]);
    expect(r.db.data).toEqual([1, 2]);
  });

  it('Gather: repeated rows accumulate, unused rows get 0 (the embedding gradient)', async () => {
    const g = new GraphBuilder();
    const e = g.input('e', 'float32', [3, 2]);
    const ids = g.constant([2, 0, 2], 'int64', [3]);
    const loss = reduceSum(g, gather(g, e, ids), [0, 1], false);
    const [de] = gradients(g, loss, [e]);
    g.output(de, 'de');
    const r = await runGraph(g, { e: { data: new Float32Array(6), dims: [3, 2] } }, ['de']);
    expect(r.de.data).toEqual([1, 1, 0, 0, 2, 2]);
  });

  it('Softmax of equal logits: gradient of Σ w·softmax is w − mean(w) over n', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float64', [3]);
    const w = g.constant([1, 2, 6], 'float64', [3]);
    const loss = reduceSum(g, mul(g, softmax(g, x), w), [0], false);
    const [dx] = gradients(g, loss, [x]);
    g.output(dx, 'dx');
    const r = await runGraph(g, { x: { data: f64(0, 0, 0), dims: [3] } }, ['dx']);
    // y = 1/3 each: dx_i = y_i (w_i − Σ y w) = (w_i − 3)/3
    const expected = [(1 - 3) / 3, (2 - 3) / 3, (6 - 3) / 3];
    expect(r.dx.data).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(r.dx.data[i]).toBeCloseTo(e, 12));
  });

  it('sums the gradients of a tensor used twice (x·x → 2x)', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float64', [2]);
    const loss = reduceSum(g, add(g, mul(g, x, x), x), [0], false);
    const [dx] = gradients(g, loss, [x]);
    g.output(dx, 'dx');
    const r = await runGraph(g, { x: { data: f64(3, -1), dims: [2] } }, ['dx']);
    expect(r.dx.data).toEqual([7, -1]);
  });

  it('stopGradient cuts the path; an unreachable parameter gets zeros', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float64', [2]);
    const unused = g.input('u', 'float64', [2]);
    const loss = reduceSum(g, mul(g, x, stopGradient(g, tanh(g, x))), [0], false);
    const [dx, du] = gradients(g, loss, [x, unused]);
    g.output(dx, 'dx');
    g.output(du, 'du');
    const r = await runGraph(g, { x: { data: f64(0.5, -0.25), dims: [2] }, u: { data: f64(1, 1), dims: [2] } }, ['dx', 'du']);
    expect(r.dx.data[0]).toBeCloseTo(Math.tanh(0.5), 12);
    expect(r.dx.data[1]).toBeCloseTo(Math.tanh(-0.25), 12);
    expect(r.du.data).toEqual([0, 0]);
  });

  it('an op without a gradient rule on the path throws a BugError naming it', () => {
    const NoGrad = defineOp({ onnx: 'Erf', arity: 1, infer: sameAsFirst });
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2]);
    const loss = reduceSum(g, g.apply1(NoGrad, [x]), [0], false);
    expect(() => gradients(g, loss, [x])).toThrow(BugError);
    expect(() => gradients(g, loss, [x])).toThrow(/no gradient for Erf/);
  });

  it('a composite op is differentiated as one unit; its inner tensors may not leak', async () => {
    const g = new GraphBuilder();
    const s = g.input('s', 'float64', [1, 3]);
    const p = g.input('p', 'float64', [1, 3]);
    const [z] = labelAttention(g, s, p);
    const [dp] = gradients(g, reduceSum(g, z, [0], false), [p]);
    g.output(dp, 'dp');
    const r = await runGraph(g, { s: { data: f64(0, 0, 0), dims: [1, 3] }, p: { data: f64(1, 2, 3), dims: [1, 3] } }, ['dp']);
    r.dp.data.forEach((v) => expect(v).toBeCloseTo(1 / 3, 12)); // dz/dp = A = uniform
    const g2 = new GraphBuilder();
    const s2 = g2.input('s', 'float32', [1, 3]);
    labelAttention(g2, s2, s2);
    const inner = at(g2.nodes.find((n) => n.op.onnx === 'Mul')!.outputs, 0, 'Mul outputs'); // A ⊙ P, internal
    const loss = reduceSum(g2, tanh(g2, inner), [0, 1], false);
    expect(() => gradients(g2, loss, [s2])).toThrow(/internal to composite/);
  });

  it('a non-scalar loss without a seed is rejected', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2]);
    expect(() => gradients(g, tanh(g, x), [x])).toThrow(/must be a scalar/);
  });
});
