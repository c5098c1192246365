import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { cast } from './cast';
import { greater } from './greater';
import { mul } from './mul';

/** max(x, 0); the gradient at exactly 0 is 0 (STYLE §6 kinks). */
export const Relu = defineOp({
  onnx: 'Relu',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { inputs: [x], dys: [dy] }) => [mul(g, dy!, cast(g, greater(g, x, g.scalar(0, x)), x.dtype))],
});
export const relu = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Relu, [x]);
