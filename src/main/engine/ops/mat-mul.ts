import type { GraphBuilder } from '../graph/builder';
import { broadcastShapes, BugError, dimAt } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { transposeLast2, unbroadcast } from './util';

/** Batched matrix product, rank ≥ 2 on both sides, numpy broadcasting over batch dims. */
export const MatMul = defineOp({
  onnx: 'MatMul',
  arity: 2,
  infer: ([a, b]) => {
    if (a.shape.length < 2 || b.shape.length < 2) throw new BugError(`MatMul needs rank >= 2 (got ${a.shape.length}, ${b.shape.length})`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return [{ dtype: a.dtype, shape: [...batch, dimAt(a.shape, -2, 'MatMul A'), dimAt(b.shape, -1, 'MatMul B')] }];
  },
  // Y = A·B: dA = dY·Bᵀ, dB = Aᵀ·dY, summed over broadcast batch dims. The transposes fuse into
  // ORT's FusedMatMul at graphOptimizationLevel 'all'.
  grad: (g, { inputs: [a, b], dys: [dy], needs }) => [
    needs[0] ? unbroadcast(g, matMul(g, dy!, transposeLast2(g, b)), a.shape) : null,
    needs[1] ? unbroadcast(g, matMul(g, transposeLast2(g, a), dy!), b.shape) : null,
  ],
});
export const matMul = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(MatMul, [a, b]);
