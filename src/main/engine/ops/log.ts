import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { div } from './div';

export const Log = defineOp({
  onnx: 'Log',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { inputs: [x], dys: [dy] }) => [div(g, dy!, x)],
});
export const log = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Log, [x]);
