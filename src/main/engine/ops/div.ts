import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { mul } from './mul';
import { neg } from './neg';
import { broadcastInfo, unbroadcast } from './util';

export const Div = defineOp({
  onnx: 'Div',
  arity: 2,
  infer: (inputs) => broadcastInfo('Div', inputs),
  // y = a/b: da = dy/b, db = -dy·y/b
  grad: (g, { inputs: [a, b], outputs: [y], dys: [dy], needs }) => [
    needs[0] ? unbroadcast(g, div(g, dy!, b), a.shape) : null,
    needs[1] ? unbroadcast(g, neg(g, mul(g, dy!, div(g, y, b))), b.shape) : null,
  ],
});
export const div = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(Div, [a, b]);
