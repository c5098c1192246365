import type { GraphBuilder } from '../graph/builder';
import { take } from '../graph/checked';
import { normAxis } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';

/** Largest k along axis (sorted): [values, int64 indices]. Used for shortlists and evidence only. */
export const TopK = defineOp({
  onnx: 'TopK',
  arity: 2,
  infer: ([x, k], attrs, g) => {
    const axis = normAxis((attrs.axis as number | undefined) ?? -1, x.shape.length);
    const kv = g.valueOf(k)?.[0] ?? 'K';
    const shape = x.shape.map((d, i) => (i === axis ? kv : d));
    return [{ dtype: x.dtype, shape }, { dtype: 'int64', shape }];
  },
  nonDifferentiable: true,
});
export function topK(g: GraphBuilder, x: Tensor, k: number | Tensor, axis = -1): [Tensor, Tensor] {
  const kt = typeof k === 'number' ? g.ints([k]) : k;
  return take(g.apply(TopK, [x, kt], { axis, largest: 1, sorted: 1 }), 2, 'TopK outputs');
}
