import type { GraphBuilder } from '../graph/builder';
import { BugError, dimAt, unknownDim } from '../graph/types';
import type { Dim, Shape, Tensor } from '../graph/types';
import { defineOp } from './define';
import { shapeOf } from './shape';

function inferReshape(x: Shape, target: readonly number[]): Dim[] {
  const out: Dim[] = target.map((d, i) => (d === 0 ? dimAt(x, i, 'Reshape (0 copies the input dim)') : d));
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const known = out.filter((_, i) => i !== minus);
    const allStatic = x.every((d) => typeof d === 'number') && known.every((d) => typeof d === 'number');
    out[minus] = allStatic
      ? (x as number[]).reduce((a, b) => a * b, 1) / (known as number[]).reduce((a, b) => a * b, 1)
      : unknownDim();
  }
  return out;
}

export const Reshape = defineOp({
  onnx: 'Reshape',
  arity: 2,
  infer: ([x, s], _attrs, g) => {
    const hint = g.shapeHints.get(s.name);
    if (hint) return [{ dtype: x.dtype, shape: hint }];
    const v = g.valueOf(s);
    if (v) return [{ dtype: x.dtype, shape: inferReshape(x.shape, v) }];
    const rank = s.shape[0];
    if (typeof rank !== 'number') throw new BugError('Reshape: the shape input needs a static length');
    return [{ dtype: x.dtype, shape: Array.from({ length: rank }, unknownDim) }];
  },
  grad: (g, { inputs: [x], dys: [dy] }) => [reshape(g, dy!, shapeOf(g, x)), null],
});

/** Reshape to a constant shape (0 = keep that dim, -1 = infer) or to a run-time int64 shape tensor. */
export function reshape(g: GraphBuilder, x: Tensor, shape: readonly number[] | Tensor): Tensor {
  const s = Array.isArray(shape) ? g.ints(shape as number[]) : (shape as Tensor);
  return g.apply1(Reshape, [x, s]);
}
