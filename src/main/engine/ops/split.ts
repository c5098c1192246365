import type { GraphBuilder } from '../graph/builder';
import { normAxis, unknownDim } from '../graph/types';
import type { Shape, Tensor } from '../graph/types';
import { concat } from './concat';
import { defineOp } from './define';
import { zerosLike } from './util';

/** Split along `axis` into parts of the given sizes (int64 [n] input). */
export const Split = defineOp({
  onnx: 'Split',
  arity: 2,
  infer: ([x, s], attrs, g) => {
    const axis = normAxis(attrs.axis as number, x.shape.length);
    const n = attrs.__outputs as number;
    const sizes = g.valueOf(s);
    return Array.from({ length: n }, (_, k) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? (sizes?.[k] ?? unknownDim()) : d)) }));
  },
  grad: (g, { outputs, dys, attrs }) => [concat(g, outputs.map((o, i) => dys[i] ?? zerosLike(g, o)), attrs.axis as number), null],
});

/** Split x along axis into sizes.shape[0] parts; `shapes` (optional) gives their static shapes. */
export function split(g: GraphBuilder, x: Tensor, sizes: Tensor, axis: number, shapes?: readonly Shape[]): Tensor[] {
  const n = sizes.shape[0] as number;
  return g.apply(Split, [x, sizes], { axis, __outputs: n }, shapes);
}
