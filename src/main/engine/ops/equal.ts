import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { broadcastInfo } from './util';

/** Elementwise comparison (bool output, broadcasting): no gradient. */
export const Equal = defineOp({ onnx: 'Equal', arity: 2, infer: (inputs) => broadcastInfo('Equal', inputs, 'bool'), nonDifferentiable: true });
export const equal = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(Equal, [a, b]);
