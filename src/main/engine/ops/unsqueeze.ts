import type { GraphBuilder } from '../graph/builder';
import { dimAt, normAxis } from '../graph/types';
import type { Dim, Tensor } from '../graph/types';
import { defineOp } from './define';
import { reshape } from './reshape';
import { shapeOf } from './shape';
import { constInts } from './util';

export const Unsqueeze = defineOp({
  onnx: 'Unsqueeze',
  arity: 2,
  infer: ([x, a], _attrs, g) => {
    const rank = x.shape.length + (a.shape[0] as number);
    const axes = constInts(g, a, 'Unsqueeze axes').map((ax) => normAxis(ax, rank));
    const out: Dim[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : dimAt(x.shape, k++, 'Unsqueeze input'));
    return [{ dtype: x.dtype, shape: out }];
  },
  grad: (g, { inputs: [x], dys: [dy] }) => [reshape(g, dy!, shapeOf(g, x)), null],
});
export const unsqueeze = (g: GraphBuilder, x: Tensor, axes: readonly number[]): Tensor => g.apply1(Unsqueeze, [x, g.ints(axes)]);
