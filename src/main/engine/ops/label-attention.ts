import type { GraphBuilder } from '../graph/builder';
import { take } from '../graph/checked';
import type { Tensor } from '../graph/types';
import { add } from './add';
import { defineOp } from './define';
import { mul } from './mul';
import { reduceSum } from './reduce-sum';
import { softmax } from './softmax';
import { sub } from './sub';
import { unsqueeze } from './unsqueeze';
import { zerosLike } from './util';

/**
 * Composite: attention pooling of per-position values along the last axis (PLANT Stage D head).
 *   A = softmax(S) [B, L, T];  z = Σ_T A ⊙ P [B, L]          outputs [z, A]
 * Fused gradient (the forward's z is reused, no softmax-Jacobian pass):
 *   dP = A ⊙ dz;  dS = dP ⊙ (P − z)     (+ A ⊙ (dA − Σ A ⊙ dA) when A itself receives a gradient)
 * which is three passes over [B, L, T] instead of the seven the op-by-op rules emit.
 */
export const LabelAttention = defineOp({
  onnx: 'LabelAttention',
  arity: 2,
  outputs: 2,
  infer: ([s]) => [{ dtype: s.dtype, shape: s.shape.slice(0, -1) }, { dtype: s.dtype, shape: s.shape }],
  expand: (g, [s, p]) => {
    const a = softmax(g, s, -1);
    return [reduceSum(g, mul(g, a, p), [-1], false), a];
  },
  grad: (g, { inputs: [, p], outputs: [z, a], dys: [dz, da], needs }) => {
    let dS: Tensor | null = null;
    let dP: Tensor | null = null;
    if (dz) {
      const dz3 = unsqueeze(g, dz, [-1]);
      dP = mul(g, a, dz3);
      if (needs[0]) dS = mul(g, dP, sub(g, p, unsqueeze(g, z, [-1])));
    }
    if (da && needs[0]) {
      const extra = mul(g, a, sub(g, da, reduceSum(g, mul(g, a, da), [-1], true)));
      dS = dS ? add(g, dS, extra) : extra;
    }
    // P does not affect A: with only dA flowing in, its gradient is zero
    return [dS, needs[1] ? (dP ?? zerosLike(g, p)) : null];
  },
});

/** [z, A] = label attention of scores S and values P (both [B, L, T]). */
export function labelAttention(g: GraphBuilder, s: Tensor, p: Tensor): [Tensor, Tensor] {
  return take(g.apply(LabelAttention, [s, p]), 2, 'LabelAttention outputs');
}
