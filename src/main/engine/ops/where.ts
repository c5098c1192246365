import type { GraphBuilder } from '../graph/builder';
import { broadcastShapes } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { unbroadcast } from './util';

export const Where = defineOp({
  onnx: 'Where',
  arity: 3,
  infer: ([c, a, b]) => [{ dtype: a.dtype, shape: broadcastShapes(c.shape, a.shape, b.shape) }],
  // the condition picks which branch receives dy; the other gets 0
  grad: (g, { inputs: [c, a, b], dys: [dy], needs }) => {
    const zero = g.scalar(0, dy!);
    return [
      null,
      needs[1] ? unbroadcast(g, where(g, c, dy!, zero), a.shape) : null,
      needs[2] ? unbroadcast(g, where(g, c, zero, dy!), b.shape) : null,
    ];
  },
});
export const where = (g: GraphBuilder, c: Tensor, a: Tensor, b: Tensor): Tensor => g.apply1(Where, [c, a, b]);
