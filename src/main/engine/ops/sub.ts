import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { neg } from './neg';
import { broadcastInfo, unbroadcast } from './util';

export const Sub = defineOp({
  onnx: 'Sub',
  arity: 2,
  infer: (inputs) => broadcastInfo('Sub', inputs),
  grad: (g, { inputs: [a, b], dys: [dy], needs }) => [
    needs[0] ? unbroadcast(g, dy!, a.shape) : null,
    needs[1] ? unbroadcast(g, neg(g, dy!), b.shape) : null,
  ],
});
export const sub = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(Sub, [a, b]);
