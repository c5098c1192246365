import type { GraphBuilder } from '../graph/builder';
import { broadcastAxes, broadcastShapes, BugError } from '../graph/types';
import type { Shape, Tensor } from '../graph/types';
import type { AtLeast, OutputInfo } from './define';
import { reduceSum } from './reduce-sum';
import { squeeze } from './squeeze';
import { shapeOf } from './shape';
import { expand } from './expand';
import { constantOfShape } from './constant-of-shape';
import { transpose } from './transpose';

/** Sums `dy` over the axes that broadcasting added to reach its shape from `target` (right-aligned). */
export function unbroadcast(g: GraphBuilder, dy: Tensor, target: Shape): Tensor {
  const axes = broadcastAxes(target, dy.shape);
  if (axes.length === 0) return dy;
  const lead = dy.shape.length - target.length;
  const summed = reduceSum(g, dy, axes, true);
  return lead > 0 ? squeeze(g, summed, range(lead)) : summed;
}

/** `dy` broadcast back to the shape of `x` (the gradient of a reduction). */
export const expandLike = (g: GraphBuilder, dy: Tensor, x: Tensor): Tensor => expand(g, dy, shapeOf(g, x));

/** Zeros with the dtype and run-time shape of `x`. */
export const zerosLike = (g: GraphBuilder, x: Tensor): Tensor => constantOfShape(g, shapeOf(g, x), 0, x.dtype);

/** Swaps the last two axes. */
export function transposeLast2(g: GraphBuilder, x: Tensor): Tensor {
  const r = x.shape.length;
  if (r < 2) throw new BugError(`transposeLast2 needs rank >= 2, got ${r}`);
  return transpose(g, x, [...range(r - 2), r - 1, r - 2]);
}

export const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Output info for broadcasting elementwise ops (all inputs must share a dtype). */
export function broadcastInfo(name: string, inputs: AtLeast<Tensor, 1>, outDtype?: OutputInfo['dtype']): OutputInfo[] {
  const dt = inputs[0].dtype;
  for (const t of inputs) if (t.dtype !== dt) throw new BugError(`${name}: dtype mismatch ${inputs.map((x) => x.dtype).join(' vs ')}`);
  return [{ dtype: outDtype ?? dt, shape: broadcastShapes(...inputs.map((t) => t.shape)) }];
}

/** Values of a constant input, or a BugError naming the op (for inputs ONNX takes as tensors but we need statically). */
export function constInts(g: GraphBuilder, t: Tensor, what: string): number[] {
  const v = g.valueOf(t);
  if (!v) throw new BugError(`${what} must be a constant (got computed tensor ${t.name})`);
  return v;
}
