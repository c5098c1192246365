import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { mul } from './mul';
import { sign } from './sign';

/** |x|; the gradient at 0 is 0 (sign(0) = 0). */
export const Abs = defineOp({
  onnx: 'Abs',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { inputs: [x], dys: [dy] }) => [mul(g, dy!, sign(g, x))],
});
export const abs = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Abs, [x]);
