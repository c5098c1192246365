import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';

/** The run-time shape of x as int64 [rank]. */
export const Shape = defineOp({ onnx: 'Shape', arity: 1, infer: ([x]) => [{ dtype: 'int64', shape: [x.shape.length] }], nonDifferentiable: true });

/** Shape(x), remembering x's static shape so Expand/Reshape/ConstantOfShape can infer their outputs. */
export function shapeOf(g: GraphBuilder, x: Tensor): Tensor {
  const s = g.apply1(Shape, [x]);
  g.shapeHints.set(s.name, x.shape);
  return s;
}
