import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';

/** sign(x) ∈ {-1, 0, 1}: piecewise constant, so no gradient flows through it. */
export const Sign = defineOp({ onnx: 'Sign', arity: 1, infer: sameAsFirst, nonDifferentiable: true });
export const sign = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Sign, [x]);
