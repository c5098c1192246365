import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { broadcastInfo, unbroadcast } from './util';

export const Add = defineOp({
  onnx: 'Add',
  arity: 2,
  infer: (inputs) => broadcastInfo('Add', inputs),
  grad: (g, { inputs: [a, b], dys: [dy], needs }) => [
    needs[0] ? unbroadcast(g, dy!, a.shape) : null,
    needs[1] ? unbroadcast(g, dy!, b.shape) : null,
  ],
});
export const add = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(Add, [a, b]);
