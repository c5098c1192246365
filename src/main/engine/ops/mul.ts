import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { broadcastInfo, unbroadcast } from './util';

export const Mul = defineOp({
  onnx: 'Mul',
  arity: 2,
  infer: (inputs) => broadcastInfo('Mul', inputs),
  // d(a·b) = (b·dy, a·dy), each summed over the axes broadcasting added
  grad: (g, { inputs: [a, b], dys: [dy], needs }) => [
    needs[0] ? unbroadcast(g, mul(g, dy!, b), a.shape) : null,
    needs[1] ? unbroadcast(g, mul(g, dy!, a), b.shape) : null,
  ],
});
export const mul = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => g.apply1(Mul, [a, b]);
