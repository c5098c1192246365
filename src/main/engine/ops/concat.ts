import type { GraphBuilder } from '../graph/builder';
import { normAxis, unknownDim } from '../graph/types';
import type { Dim, Tensor } from '../graph/types';
import { defineOp } from './define';
import { shapeOf } from './shape';
import { slice } from './slice';
import { split } from './split';

export const Concat = defineOp({
  onnx: 'Concat',
  arity: 1,
  infer: (inputs, attrs) => {
    const axis = normAxis(attrs.axis as number, inputs[0].shape.length);
    const dims = inputs.map((t) => t.shape[axis]);
    const sum: Dim = dims.every((d) => typeof d === 'number') ? (dims as number[]).reduce((a, b) => a + b, 0) : unknownDim();
    return [{ dtype: inputs[0].dtype, shape: inputs[0].shape.map((d, i) => (i === axis ? sum : d)) }];
  },
  // the gradient is dy split back into the inputs' extents along the axis (sizes known at run time)
  grad: (g, { inputs, dys: [dy], attrs }) => {
    const axis = normAxis(attrs.axis as number, inputs[0].shape.length);
    const sizes = inputs.map((t) => slice(g, shapeOf(g, t), [axis], [axis + 1], [0]));
    const parts = split(g, dy!, concat(g, sizes, 0), axis, inputs.map((t) => t.shape));
    return parts;
  },
});
export const concat = (g: GraphBuilder, xs: readonly Tensor[], axis: number): Tensor => g.apply1(Concat, xs, { axis });
