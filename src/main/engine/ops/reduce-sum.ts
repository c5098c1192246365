import type { GraphBuilder } from '../graph/builder';
import { normAxis } from '../graph/types';
import type { Shape, Tensor } from '../graph/types';
import { defineOp } from './define';
import { unsqueeze } from './unsqueeze';
import { constInts, expandLike } from './util';

/** Shape after reducing `axes` (normalised). */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): Shape {
  const ax = axes.map((a) => normAxis(a, shape.length));
  return keepdims ? shape.map((d, i) => (ax.includes(i) ? 1 : d)) : shape.filter((_, i) => !ax.includes(i));
}

/** dy of a reduction, with the reduced axes restored as size 1 so it broadcasts against x. */
export function keepDimsGrad(g: GraphBuilder, dy: Tensor, axes: readonly number[], rank: number, keepdims: boolean): Tensor {
  return keepdims ? dy : unsqueeze(g, dy, axes.map((a) => normAxis(a, rank)).sort((a, b) => a - b));
}

export const ReduceSum = defineOp({
  onnx: 'ReduceSum',
  arity: 2,
  infer: ([x, a], attrs, g) => [{ dtype: x.dtype, shape: reducedShape(x.shape, constInts(g, a, 'ReduceSum axes'), attrs.keepdims !== 0) }],
  grad: (g, { inputs: [x, a], dys: [dy], attrs }) => {
    const axes = constInts(g, a, 'ReduceSum axes');
    return [expandLike(g, keepDimsGrad(g, dy!, axes, x.shape.length, attrs.keepdims !== 0), x), null];
  },
});
export const reduceSum = (g: GraphBuilder, x: Tensor, axes: readonly number[], keepdims = true): Tensor =>
  g.apply1(ReduceSum, [x, g.ints(axes)], { keepdims: keepdims ? 1 : 0 });
