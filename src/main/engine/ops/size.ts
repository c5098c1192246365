import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';

/** Number of elements of x, int64 scalar. */
export const Size = defineOp({ onnx: 'Size', arity: 1, infer: () => [{ dtype: 'int64', shape: [] }], nonDifferentiable: true });
export const size = (g: GraphBuilder, x: Tensor): Tensor => g.apply1(Size, [x]);
