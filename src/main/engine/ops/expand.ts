import type { GraphBuilder } from '../graph/builder';
import { broadcastShapes, BugError, unknownDim } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { unbroadcast } from './util';

export const Expand = defineOp({
  onnx: 'Expand',
  arity: 2,
  infer: ([x, s], _attrs, g) => {
    const target = g.shapeHints.get(s.name) ?? g.valueOf(s);
    if (target) return [{ dtype: x.dtype, shape: broadcastShapes(x.shape, target) }];
    const rank = s.shape[0];
    if (typeof rank !== 'number') throw new BugError('Expand: the shape input needs a static length');
    return [{ dtype: x.dtype, shape: Array.from({ length: Math.max(rank, x.shape.length) }, unknownDim) }];
  },
  grad: (g, { inputs: [x], dys: [dy] }) => [unbroadcast(g, dy!, x.shape), null],
});
export const expand = (g: GraphBuilder, x: Tensor, shape: Tensor): Tensor => g.apply1(Expand, [x, shape]);
