import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { mul } from './mul';
import { sub } from './sub';

// d tanh = 1 - y²
export const Tanh = defineOp({
  onnx: 'Tanh',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { outputs: [y], dys: [dy] }) => [mul(g, dy!, sub(g, g.scalar(1, y), mul(g, y, y)))],
});
export const tanh = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Tanh, [x]);
