import type { GraphBuilder } from '../graph/builder';
import { dimAt } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';

export const Transpose = defineOp({
  onnx: 'Transpose',
  arity: 1,
  infer: ([x], attrs) => [{ dtype: x.dtype, shape: (attrs.perm as number[]).map((p) => dimAt(x.shape, p, 'Transpose perm')) }],
  grad: (g, { dys: [dy], attrs }) => {
    const perm = attrs.perm as number[];
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [transpose(g, dy!, inv)];
  },
});
export const transpose = (g: GraphBuilder, x: Tensor, perm: readonly number[]): Tensor => g.apply1(Transpose, [x], { perm });
