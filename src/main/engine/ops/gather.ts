import type { GraphBuilder } from '../graph/builder';
import { BugError, normAxis } from '../graph/types';
import type { Tensor } from '../graph/types';
import { concat } from './concat';
import { defineOp } from './define';
import { reshape } from './reshape';
import { scatterND } from './scatter-nd';
import { shapeOf } from './shape';
import { slice } from './slice';
import { zerosLike } from './util';

export const Gather = defineOp({
  onnx: 'Gather',
  arity: 2,
  infer: ([x, idx], attrs) => {
    const axis = normAxis((attrs.axis as number | undefined) ?? 0, x.shape.length);
    return [{ dtype: x.dtype, shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)] }];
  },
  // embedding gradient: scatter-add the rows of dy into zeros [V, ...] (ScatterND reduction=add,
  // opset 16); repeated indices accumulate. Axis 0 only — the axis PLANT gathers on.
  grad: (g, { inputs: [x, idx], dys: [dy], attrs }) => {
    if (((attrs.axis as number | undefined) ?? 0) !== 0) throw new BugError('Gather gradient supports axis 0 only');
    const rows = reshape(g, idx, [-1, 1]); // [N, 1]
    const rest = x.shape.length > 1 ? [slice(g, shapeOf(g, x), [1], [Infinity], [0])] : [];
    const upd = reshape(g, dy!, concat(g, [g.ints([-1]), ...rest], 0)); // [N, ...]
    return [scatterND(g, zerosLike(g, x), rows, upd, 'add'), null];
  },
});
export const gather = (g: GraphBuilder, x: Tensor, idx: Tensor, axis = 0): Tensor => g.apply1(Gather, [x, idx], axis === 0 ? {} : { axis });
