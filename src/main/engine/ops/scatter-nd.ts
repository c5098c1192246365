import type { GraphBuilder } from '../graph/builder';
import { BugError } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { gatherND } from './gather-nd';
import { zerosLike } from './util';

/** ScatterND (opset 16) with reduction 'none' or 'add'. */
export const ScatterND = defineOp({
  onnx: 'ScatterND',
  arity: 3,
  infer: ([x]) => [{ dtype: x.dtype, shape: x.shape }],
  grad: (g, { inputs: [, idx, upd], dys: [dy], attrs, needs }) => {
    const reduction = (attrs.reduction as string | undefined) ?? 'none';
    if (reduction !== 'none' && reduction !== 'add') throw new BugError(`ScatterND gradient: reduction ${reduction} unsupported`);
    // with 'none' the overwritten positions of data receive nothing
    const dData = reduction === 'add' ? dy! : scatterND(g, dy!, idx, zerosLike(g, upd), 'none');
    return [needs[0] ? dData : null, null, needs[2] ? gatherND(g, dy!, idx) : null];
  },
});
export const scatterND = (g: GraphBuilder, x: Tensor, idx: Tensor, upd: Tensor, reduction: 'none' | 'add' = 'none'): Tensor =>
  g.apply1(ScatterND, [x, idx, upd], reduction === 'none' ? {} : { reduction });
