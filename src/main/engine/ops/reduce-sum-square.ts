import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { mul } from './mul';
import { keepDimsGrad, reducedShape } from './reduce-sum';

/** Σ x² over axes (gradient-norm clipping). */
export const ReduceSumSquare = defineOp({
  onnx: 'ReduceSumSquare',
  arity: 1,
  infer: ([x], attrs) => [{ dtype: x.dtype, shape: reducedShape(x.shape, attrs.axes as number[], attrs.keepdims !== 0) }],
  grad: (g, { inputs: [x], dys: [dy], attrs }) => {
    const d = keepDimsGrad(g, dy!, attrs.axes as number[], x.shape.length, attrs.keepdims !== 0);
    return [mul(g, mul(g, x, g.scalar(2, x)), d)];
  },
});
export const reduceSumSquare = (g: GraphBuilder, x: Tensor, axes: readonly number[], keepdims = true): Tensor =>
  g.apply1(ReduceSumSquare, [x], { axes: [...axes], keepdims: keepdims ? 1 : 0 });
