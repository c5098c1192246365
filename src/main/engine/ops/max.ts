import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { add } from './add';
import { cast } from './cast';
import { defineOp } from './define';
import { equal } from './equal';
import { greater } from './greater';
import { mul } from './mul';
import { sub } from './sub';
import { broadcastInfo, unbroadcast } from './util';

/** Elementwise maximum of two tensors. Ties split the gradient evenly (as tinygrad does). */
export const Max = defineOp({
  onnx: 'Max',
  arity: 2,
  infer: (inputs) => broadcastInfo('Max', inputs),
  grad: (g, { inputs: [a, b], dys: [dy], needs }) => {
    const half = g.scalar(0.5, a);
    const wa = add(g, cast(g, greater(g, a, b), a.dtype), mul(g, half, cast(g, equal(g, a, b), a.dtype)));
    const wb = sub(g, g.scalar(1, a), wa);
    return [
      needs[0] ? unbroadcast(g, mul(g, dy!, wa), a.shape) : null,
      needs[1] ? unbroadcast(g, mul(g, dy!, wb), b.shape) : null,
    ];
  },
});
export const max = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(Max, [a, b]);
