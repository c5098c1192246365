import type { GraphBuilder } from '../graph/builder';
import { BugError, dimAt, unknownDim } from '../graph/types';
import type { Attrs, Tensor } from '../graph/types';
import { defineOp } from './define';
import { gather } from './gather';
import { reduceSum } from './reduce-sum';
import { transpose } from './transpose';

/**
 * 1-D convolution, X [N, C, W] * Wt [M, C, k] (+ B [M]) → [N, M, W + p0 + p1 - k + 1];
 * stride 1, dilation 1, group 1 (what the encoder uses).
 */
export const Conv = defineOp({
  onnx: 'Conv',
  arity: 2,
  infer: ([x, w], attrs) => {
    if (x.shape.length !== 3) throw new BugError('Conv: only 1-D convolution ([N, C, W]) is supported');
    const [p0, p1] = pads1d(attrs);
    const k = dimAt(w.shape, 2, 'Conv kernel');
    const width = dimAt(x.shape, 2, 'Conv input');
    let out = unknownDim() as number | string;
    if (typeof width === 'number' && typeof k === 'number') out = width + p0 + p1 - k + 1;
    else if (typeof k === 'number' && p0 + p1 === k - 1) out = width;
    return [{ dtype: x.dtype, shape: [dimAt(x.shape, 0, 'Conv input'), dimAt(w.shape, 0, 'Conv kernel'), out] }];
  },
  // dX = conv(dY, flip(Wᵀ)) with pads (k-1-p0, k-1-p1);
  // dW[m,c,j] = Σ_n Σ_i dY[n,m,i]·Xpad[n,c,i+j] = conv(Xᵀ [C,N,W], dYᵀ [M,N,W']) transposed back.
  grad: (g, { inputs: [x, w, b], dys: [dy], attrs, needs }) => {
    const [p0, p1] = pads1d(attrs);
    const k = dimAt(w.shape, 2, 'Conv kernel');
    if (typeof k !== 'number') throw new BugError('Conv gradient needs a static kernel width');
    const flipIdx = g.ints(Array.from({ length: k }, (_, i) => k - 1 - i));
    const dx = needs[0] ? conv(g, dy!, gather(g, transpose(g, w, [1, 0, 2]), flipIdx, 2), undefined, [k - 1 - p0, k - 1 - p1], x.shape) : null;
    const dw = needs[1]
      ? transpose(g, conv(g, transpose(g, x, [1, 0, 2]), transpose(g, dy!, [1, 0, 2]), undefined, [p0, p1], [dimAt(w.shape, 1, 'Conv kernel'), dimAt(w.shape, 0, 'Conv kernel'), k]), [1, 0, 2])
      : null;
    const db = b && needs[2] ? reduceSum(g, dy!, [0, 2], false) : null;
    return b ? [dx, dw, db] : [dx, dw];
  },
});

/** The `pads` attribute as [left, right] (none when absent). */
function pads1d(attrs: Attrs): [number, number] {
  const pads = (attrs.pads as readonly number[] | undefined) ?? [0, 0];
  const [p0, p1] = pads;
  if (pads.length !== 2 || p0 === undefined || p1 === undefined) throw new BugError(`Conv: pads must be [left, right], got [${pads.join(',')}]`);
  return [p0, p1];
}

/** 1-D conv; `pads` = [left, right] ('same' for odd k: [(k-1)/2, (k-1)/2]). */
export function conv(g: GraphBuilder, x: Tensor, w: Tensor, b: Tensor | undefined, pads: readonly [number, number] | number[], shape?: readonly (number | string)[]): Tensor {
  return g.apply1(Conv, b ? [x, w, b] : [x, w], { pads: [...pads] }, shape);
}
