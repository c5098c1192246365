import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { broadcastInfo } from './util';

/** Elementwise comparison (bool output, broadcasting): no gradient. */
export const Less = defineOp({ onnx: 'Less', arity: 2, infer: (inputs) => broadcastInfo('Less', inputs, 'bool'), nonDifferentiable: true });
export const less = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(Less, [a, b]);
