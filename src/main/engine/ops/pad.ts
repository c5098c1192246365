import type { GraphBuilder } from '../graph/builder';
import { at } from '../graph/checked';
import { BugError, unknownDim } from '../graph/types';
import type { Shape, Tensor } from '../graph/types';
import { add } from './add';
import { defineOp } from './define';
import { shapeOf } from './shape';
import { slice } from './slice';
import { range } from './util';

/** Constant (zero) padding; pads = [before_0 … before_r-1, after_0 … after_r-1], int64. */
export const Pad = defineOp({
  onnx: 'Pad',
  arity: 2,
  infer: ([x, p], _attrs, g) => {
    const pads = g.valueOf(p);
    const r = x.shape.length;
    return [{
      dtype: x.dtype,
      shape: x.shape.map((d, i) => {
        if (!pads) return unknownDim();
        const extra = at(pads, i, 'Pad pads (before)') + at(pads, i + r, 'Pad pads (after)');
        if (extra === 0) return d;
        return typeof d === 'number' ? d + extra : unknownDim();
      }),
    }];
  },
  // the gradient is the un-padded window of dy: dy[before : before + shape(x)]
  grad: (g, { inputs: [x, p], dys: [dy] }) => {
    const pads = g.valueOf(p);
    if (!pads) throw new BugError('Pad gradient needs constant pads');
    const r = x.shape.length;
    const before = pads.slice(0, r);
    if (before.some((v) => v < 0)) throw new BugError('Pad gradient needs pads >= 0');
    const ends = add(g, g.ints(before), shapeOf(g, x));
    return [slice(g, dy!, before, ends, range(r), x.shape), null];
  },
});

/** Zero-pad x; `shape` states the result's static shape when pads are computed at run time. */
export function pad(g: GraphBuilder, x: Tensor, pads: readonly number[] | Tensor, shape?: Shape): Tensor {
  const p = Array.isArray(pads) ? g.ints(pads as number[]) : (pads as Tensor);
  return g.apply1(Pad, [x, p], { mode: 'constant' }, shape);
}
