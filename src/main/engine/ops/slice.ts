import type { GraphBuilder } from '../graph/builder';
import { at } from '../graph/checked';
import { BugError, dimAt, normAxis, unknownDim } from '../graph/types';
import type { Dim, Shape, Tensor } from '../graph/types';
import { concat } from './concat';
import { defineOp } from './define';
import { pad } from './pad';
import { shapeOf } from './shape';
import { sub } from './sub';
import { range } from './util';

const BIG = 2 ** 62;

/** Slice(data, starts, ends, axes[, steps]); gradients need constant starts/axes, steps 1 and starts ≥ 0. */
export const Slice = defineOp({
  onnx: 'Slice',
  arity: 3,
  infer: ([x, s, e, a, st], _attrs, g) => {
    const starts = g.valueOf(s);
    const ends = g.valueOf(e);
    const axes = a ? g.valueOf(a) : range(starts?.length ?? 0);
    const steps = st ? g.valueOf(st) : undefined;
    const out: Dim[] = [...x.shape];
    if (!axes) return [{ dtype: x.dtype, shape: out.map(unknownDim) }];
    axes.forEach((ax0, k) => {
      const ax = normAxis(ax0, x.shape.length);
      const dim = dimAt(x.shape, ax, 'Slice input');
      const step = steps?.[k] ?? 1;
      const b = starts?.[k];
      const en = ends?.[k];
      if (typeof dim === 'number' && b !== undefined && en !== undefined) {
        const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
        const norm = (v: number): number => (v < 0 ? v + dim : v);
        const lo = step > 0 ? clamp(norm(b), 0, dim) : clamp(norm(b), -1, dim - 1);
        const hi = step > 0 ? clamp(norm(en), 0, dim) : clamp(norm(en), -1, dim - 1);
        out[ax] = Math.max(0, Math.ceil((hi - lo) / step));
      } else if (b === 0 && en !== undefined && en >= BIG && step === 1) {
        out[ax] = dim;
      } else out[ax] = unknownDim();
    });
    return [{ dtype: x.dtype, shape: out }];
  },
  // the gradient pads dy back with zeros: before = starts, after = dim - size - before (run time)
  grad: (g, { inputs, dys: [dy] }) => {
    const [x, s, , a, st] = inputs;
    const starts = g.valueOf(s);
    const axes = a ? g.valueOf(a) : range(starts?.length ?? 0);
    const steps = st ? g.valueOf(st) : undefined;
    if (!starts || !axes) throw new BugError('Slice gradient needs constant starts and axes');
    if (steps && steps.some((v) => v !== 1)) throw new BugError('Slice gradient supports steps of 1 only');
    const r = x.shape.length;
    const before = new Array<number>(r).fill(0);
    axes.forEach((ax, k) => {
      const start = at(starts, k, 'Slice starts (one per axis)');
      if (start < 0) throw new BugError('Slice gradient needs starts >= 0');
      before[normAxis(ax, r)] = start;
    });
    const beforeT = g.ints(before);
    const after = sub(g, sub(g, shapeOf(g, x), shapeOf(g, dy!)), beforeT);
    return [pad(g, dy!, concat(g, [beforeT, after], 0), x.shape), ...inputs.slice(1).map(() => null)];
  },
});

/**
 * Slice along `axes` (constants). `ends` may be a run-time int64 tensor.
 * @example slice(g, x, [1], [4], [0]) // x[1:4]
 */
export function slice(
  g: GraphBuilder, x: Tensor, starts: readonly number[] | Tensor, ends: readonly number[] | Tensor, axes: readonly number[], shape?: Shape,
): Tensor {
  const s = Array.isArray(starts) ? g.ints(starts as number[]) : (starts as Tensor);
  const e = Array.isArray(ends) ? g.ints((ends as number[]).map((v) => (v === Infinity ? BIG : v))) : (ends as Tensor);
  return g.apply1(Slice, [x, s, e, g.ints(axes)], {}, shape);
}
/** Slice with explicit steps (e.g. -1 to reverse an axis); not differentiable when steps ≠ 1. */
export function sliceSteps(g: GraphBuilder, x: Tensor, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps: readonly number[]): Tensor {
  return g.apply1(Slice, [x, g.ints(starts), g.ints(ends), g.ints(axes), g.ints(steps)]);
}
