import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { cast } from './cast';
import { defineOp } from './define';
import { div } from './div';
import { keepDimsGrad, reducedShape } from './reduce-sum';
import { size } from './size';
import { expandLike } from './util';

export const ReduceMean = defineOp({
  onnx: 'ReduceMean',
  arity: 1,
  infer: ([x], attrs) => [{ dtype: x.dtype, shape: reducedShape(x.shape, attrs.axes as number[], attrs.keepdims !== 0) }],
  // count = size(x)/size(y), computed at run time so symbolic dims work
  grad: (g, { inputs: [x], outputs: [y], dys: [dy], attrs }) => {
    const d = keepDimsGrad(g, dy!, attrs.axes as number[], x.shape.length, attrs.keepdims !== 0);
    const count = div(g, cast(g, size(g, x), x.dtype), cast(g, size(g, y), x.dtype));
    return [expandLike(g, div(g, d, count), x)];
  },
});
export const reduceMean = (g: GraphBuilder, x: Tensor, axes: readonly number[], keepdims = true): Tensor =>
  g.apply1(ReduceMean, [x], { axes: [...axes], keepdims: keepdims ? 1 : 0 });
