import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp, sameAsFirst } from './define';

/** Identity in the forward graph; the backward pass stops here (a teacher signal, a detached target). */
export const StopGradient = defineOp({ onnx: 'Identity', arity: 1, infer: sameAsFirst, nonDifferentiable: true });
export const stopGradient = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(StopGradient, [x]);
