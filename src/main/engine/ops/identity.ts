import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';

export const Identity = defineOp({
  onnx: 'Identity',
  arity: 1,
  infer: sameAsFirst,
  grad: (_g, { dys: [dy] }) => [dy],
});
export const identity = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Identity, [x]);
