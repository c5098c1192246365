import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { div } from './div';
import { mul } from './mul';

export const Sqrt = defineOp({
  onnx: 'Sqrt',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { outputs: [y], dys: [dy] }) => [div(g, dy!, mul(g, g.scalar(2, y), y))],
});
export const sqrt = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Sqrt, [x]);
