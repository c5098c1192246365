import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { mul } from './mul';
import { sub } from './sub';

// d sigmoid = y·(1 - y)
export const Sigmoid = defineOp({
  onnx: 'Sigmoid',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { outputs: [y], dys: [dy] }) => [mul(g, dy!, mul(g, y, sub(g, g.scalar(1, y), y)))],
});
export const sigmoid = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Sigmoid, [x]);
