import type { GraphBuilder } from '../graph/builder';
import { BugError } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { scatterND } from './scatter-nd';
import { zerosLike } from './util';

/** GatherND with batch_dims = 0: indices [..., k] address the first k axes of data. */
export const GatherND = defineOp({
  onnx: 'GatherND',
  arity: 2,
  infer: ([x, idx]) => {
    const k = idx.shape[idx.shape.length - 1];
    if (typeof k !== 'number') throw new BugError('GatherND: the last indices dim must be static');
    return [{ dtype: x.dtype, shape: [...idx.shape.slice(0, -1), ...x.shape.slice(k)] }];
  },
  grad: (g, { inputs: [x, idx], dys: [dy] }) => [scatterND(g, zerosLike(g, x), idx, dy!, 'add'), null],
});
export const gatherND = (g: GraphBuilder, x: Tensor, idx: Tensor): Tensor => g.apply1(GatherND, [x, idx]);
