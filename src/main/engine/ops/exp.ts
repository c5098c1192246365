import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { mul } from './mul';

export const Exp = defineOp({
  onnx: 'Exp',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { outputs: [y], dys: [dy] }) => [mul(g, dy!, y)],
});
export const exp = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Exp, [x]);
