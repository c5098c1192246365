import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { exp } from './exp';
import { mul } from './mul';
import { reduceSum } from './reduce-sum';
import { sub } from './sub';

export const LogSoftmax = defineOp({
  onnx: 'LogSoftmax',
  arity: 1,
  infer: sameAsFirst,
  // dx = dy − softmax ⊙ Σ_axis dy
  grad: (g, { outputs: [y], dys: [dy], attrs }) => {
    const axis = (attrs.axis as number | undefined) ?? -1;
    return [sub(g, dy!, mul(g, exp(g, y), reduceSum(g, dy!, [axis], true)))];
  },
});
export const logSoftmax = (g: GraphBuilder, x: Tensor, axis = -1): Tensor => g.apply1(LogSoftmax, [x], { axis });
