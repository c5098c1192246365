import type { GraphBuilder } from '../graph/builder';
import { normAxis } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { reshape } from './reshape';
import { shapeOf } from './shape';
import { constInts } from './util';

export const Squeeze = defineOp({
  onnx: 'Squeeze',
  arity: 2,
  infer: ([x, a], _attrs, g) => {
    const axes = constInts(g, a, 'Squeeze axes').map((ax) => normAxis(ax, x.shape.length));
    return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.includes(i)) }];
  },
  grad: (g, { inputs: [x], dys: [dy] }) => [reshape(g, dy!, shapeOf(g, x)), null],
});
export const squeeze = (g: GraphBuilder, x: Tensor, axes: readonly number[]): Tensor => g.apply1(Squeeze, [x, g.ints(axes)]);
