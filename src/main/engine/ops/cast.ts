import type { GraphBuilder } from '../graph/builder';
import { DTYPE_CODE, dtypeFromCode, isFloat } from '../graph/types';
import type { DType, Tensor } from '../graph/types';
import { defineOp } from './define';

export const Cast = defineOp({
  onnx: 'Cast',
  arity: 1,
  infer: ([x], attrs) => [{ dtype: dtypeFromCode(attrs.to as number), shape: x.shape }],
  // float→float casts pass the gradient back (cast to the input's dtype); int/bool casts carry none
  grad: (g, { inputs: [x], outputs: [y], dys: [dy] }) => [isFloat(x.dtype) && isFloat(y.dtype) ? cast(g, dy!, x.dtype) : null],
});
export const cast = (g: GraphBuilder, x: Tensor, to: DType): Tensor => (x.dtype === to ? x : g.apply1(Cast, [x], { to: DTYPE_CODE[to] }));
