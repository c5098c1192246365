import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { mul } from './mul';
import { reduceSum } from './reduce-sum';
import { sub } from './sub';

/** Softmax along one axis (opset 13 semantics). */
export const Softmax = defineOp({
  onnx: 'Softmax',
  arity: 1,
  infer: sameAsFirst,
  // dx = y ⊙ (dy − Σ_axis y ⊙ dy)
  grad: (g, { outputs: [y], dys: [dy], attrs }) => {
    const axis = (attrs.axis as number | undefined) ?? -1;
    return [mul(g, y, sub(g, dy!, reduceSum(g, mul(g, y, dy!), [axis], true)))];
  },
});
export const softmax = (g: GraphBuilder, x: Tensor, axis = -1): Tensor => g.apply1(Softmax, [x], { axis });
