import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import * as O from '../ops/index';
import { encode, encoderParams } from './encoder';
import type { EncoderConfig } from './encoder';
import type { ParamSpec } from './params';
import { paramOf } from './params';

/**
 * Encoder pretraining (PLANT Stage 0, Planter's version): masked-token prediction with sampled
 * negatives. About 15 % of positions are replaced by a [MASK] id (in JS, seeded); at each masked
 * position h_t must score the original token's embedding row above K shared negative rows
 * (sampled softmax, output embedding tied to E). Trains E and the conv layers.
 */
export interface PretrainConfig {
  encoder: EncoderConfig;
}

export const pretrainParams = (c: PretrainConfig): ParamSpec[] => encoderParams(c.encoder);

export interface PretrainInputs {
  tokens: Tensor; // [B, T] int64, masked positions already replaced by the [MASK] id
  mask: Tensor; // [B, T] float
  positions: Tensor; // [M] int64, flat index b·T + t of each masked position
  targets: Tensor; // [M] int64, the original token ids
  negatives: Tensor; // [K] int64, sampled token ids shared by the batch
  negBias: Tensor; // [M, K] float, −1e9 where a negative equals the target (accidental hit), else 0
}

export function pretrainInputs(g: GraphBuilder): PretrainInputs {
  return {
    tokens: g.input('tokens', 'int64', ['B', 'T']),
    mask: g.input('mask', 'float32', ['B', 'T']),
    positions: g.input('positions', 'int64', ['M']),
    targets: g.input('targets', 'int64', ['M']),
    negatives: g.input('negatives', 'int64', ['K']),
    negBias: g.input('neg_bias', 'float32', ['M', 'K']),
  };
}

/** Mean sampled-softmax cross-entropy over the masked positions. */
export function pretrainLoss(g: GraphBuilder, p: Record<string, Tensor>, x: PretrainInputs, c: PretrainConfig): { loss: Tensor; accuracy: Tensor } {
  const h = encode(g, p, x.tokens, x.mask, c.encoder); // [B, T, d]
  return g.scope('mlm', () => {
    const hm = O.gather(g, O.reshape(g, h, [-1, c.encoder.dim]), x.positions); // [M, d]
    const e = paramOf(p, 'enc.E');
    const pos = O.reduceSum(g, O.mul(g, hm, O.gather(g, e, x.targets)), [1], true); // [M, 1]
    const neg = O.add(g, O.matMul(g, hm, O.transpose(g, O.gather(g, e, x.negatives), [1, 0])), x.negBias); // [M, K]
    const logits = O.concat(g, [pos, neg], 1); // [M, 1 + K]
    const logp = O.logSoftmax(g, logits, 1);
    const loss = O.neg(g, O.reduceMean(g, O.slice(g, logp, [0], [1], [1]), [0, 1], false));
    // monitoring: share of positions where the true token beats every negative
    const best = O.reduceMax(g, neg, [1], true);
    const accuracy = O.reduceMean(g, O.cast(g, O.greater(g, pos, best), 'float32'), [0, 1], false);
    return { loss, accuracy };
  });
}
