import type { GraphBuilder } from '../graph/builder';
import { BugError, unknownDim } from '../graph/types';
import type { DType, Tensor } from '../graph/types';
import { defineOp } from './define';

/** A tensor filled with one value; its shape is an int64 [rank] tensor. */
export const ConstantOfShape = defineOp({
  onnx: 'ConstantOfShape',
  arity: 1,
  infer: ([s], attrs, g) => {
    const t = (attrs.value as { t: { dtype: DType } }).t;
    const rank = s.shape[0];
    if (typeof rank !== 'number') throw new BugError('ConstantOfShape: the shape input needs a static length');
    return [{ dtype: t.dtype, shape: g.shapeHints.get(s.name) ?? g.valueOf(s) ?? Array.from({ length: rank }, unknownDim) }];
  },
  nonDifferentiable: true,
});
export const constantOfShape = (g: GraphBuilder, shape: Tensor, value: number, dtype: DType): Tensor =>
  g.apply1(ConstantOfShape, [shape], { value: { t: { dtype, values: [value] } } });
