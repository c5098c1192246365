import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { cast } from './cast';
import { defineOp } from './define';
import { div } from './div';
import { equal } from './equal';
import { mul } from './mul';
import { keepDimsGrad, reducedShape, reduceSum } from './reduce-sum';

/** Max over axes; ties split the gradient evenly among the maxima (as tinygrad does). */
export const ReduceMax = defineOp({
  onnx: 'ReduceMax',
  arity: 1,
  infer: ([x], attrs) => [{ dtype: x.dtype, shape: reducedShape(x.shape, attrs.axes as number[], attrs.keepdims !== 0) }],
  grad: (g, { inputs: [x], outputs: [y], dys: [dy], attrs }) => {
    const axes = attrs.axes as number[];
    const keep = attrs.keepdims !== 0;
    const r = x.shape.length;
    const mask = cast(g, equal(g, x, keepDimsGrad(g, y, axes, r, keep)), x.dtype);
    const count = reduceSum(g, mask, axes, true);
    return [mul(g, mask, div(g, keepDimsGrad(g, dy!, axes, r, keep), count))];
  },
});
export const reduceMax = (g: GraphBuilder, x: Tensor, axes: readonly number[], keepdims = true): Tensor =>
  g.apply1(ReduceMax, [x], { axes: [...axes], keepdims: keepdims ? 1 : 0 });
