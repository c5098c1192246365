import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';

export const Neg = defineOp({
  onnx: 'Neg',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { dys: [dy] }) => [neg(g, dy!)],
});
export const neg = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Neg, [x]);
