import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { broadcastInfo } from './util';

/** Elementwise comparison (bool output, broadcasting): no gradient. */
export const Greater = defineOp({ onnx: 'Greater', arity: 2, infer: (inputs) => broadcastInfo('Greater', inputs, 'bool'), nonDifferentiable: true });
export const greater = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(Greater, [a, b]);
