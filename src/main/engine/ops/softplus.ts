import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';
import { mul } from './mul';
import { sigmoid } from './sigmoid';

/** log(1 + e^x); ORT computes it without overflow for large |x| (checked in its test). */
export const Softplus = defineOp({
  onnx: 'Softplus',
  arity: 1,
  infer: sameAsFirst,
  grad: (g, { inputs: [x], dys: [dy] }) => [mul(g, dy!, sigmoid(g, x))],
});
export const softplus = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Softplus, [x]);
