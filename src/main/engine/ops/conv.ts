import type { GraphBuilder } from '../graph/builder';
import { BugError, unknownDim } from '../graph/types';
import type { Tensor } from '../graph/types';
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
  infer: ([x, w], attrs) => {
    if (x.shape.length !== 3) throw new BugError('Conv: only 1-D convolution ([N, C, W]) is supported');
    const [p0, p1] = (attrs.pads as number[] | undefined) ?? [0, 0];
    const k = w.shape[2];
    const width = x.shape[2];
    let out = unknownDim() as number | string;
    if (typeof width === 'number' && typeof k === 'number') out = width + p0 + p1 - k + 1;
    else if (typeof k === 'number' && p0 + p1 === k - 1) out = width;
    return [{ dtype: x.dtype, shape: [x.shape[0], w.shape[0], out] }];
  },
  // dX = conv(dY, flip(Wᵀ)) with pads (k-1-p0, k-1-p1);
  // dW[m,c,j] = Σ_n Σ_i dY[n,m,i]·Xpad[n,c,i+j] = conv(Xᵀ [C,N,W], dYᵀ [M,N,W']) transposed back.
  grad: (g, { inputs: [x, w, b], dys: [dy], attrs, needs }) => {
    const [p0, p1] = (attrs.pads as number[] | undefined) ?? [0, 0];
    const k = w.shape[2];
    if (typeof k !== 'number') throw new BugError('Conv gradient needs a static kernel width');
    const flipIdx = g.ints(Array.from({ length: k }, (_, i) => k - 1 - i));
    const dx = needs[0] ? conv(g, dy!, gather(g, transpose(g, w, [1, 0, 2]), flipIdx, 2), undefined, [k - 1 - p0, k - 1 - p1], x.shape) : null;
    const dw = needs[1]
      ? transpose(g, conv(g, transpose(g, x, [1, 0, 2]), transpose(g, dy!, [1, 0, 2]), undefined, [p0, p1], [w.shape[1], w.shape[0], k]), [1, 0, 2])
      : null;
    const db = b && needs[2] ? reduceSum(g, dy!, [0, 2], false) : null;
    return b ? [dx, dw, db] : [dx, dw];
  },
});

/** 1-D conv; `pads` = [left, right] ('same' for odd k: [(k-1)/2, (k-1)/2]). */
export function conv(g: GraphBuilder, x: Tensor, w: Tensor, b: Tensor | undefined, pads: readonly [number, number] | number[], shape?: readonly (number | string)[]): Tensor {
  return g.apply1(Conv, b ? [x, w, b] : [x, w], { pads: [...pads] }, shape);
}
