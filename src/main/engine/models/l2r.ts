import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import * as O from '../ops/index';
import { encode, encoderParams } from './encoder';
import type { EncoderConfig } from './encoder';
import type { ParamSpec } from './params';
import { paramOf } from './params';

/**
 * Learning-to-rank pretraining of the attention (PLANT Stage B): s(t, l) = h_t · u_l over a
 * document's tokens, ranked against the relevance grades G[token, l].
 */
export interface L2RConfig {
  encoder: EncoderConfig;
  labels: number;
  loss: 'approxNdcg' | 'lambdaRank';
  /** ApproxNDCG temperature α (default 10). */
  alpha?: number;
  /** LambdaRank σ (default 0.5) and cutoff k (default 15). */
  sigma?: number;
  k?: number;
}

/** Same names as the classifier's, so Stage C plants them by copying `enc.*` and `cls.U`. */
export function l2rParams(c: L2RConfig): ParamSpec[] {
  return [...encoderParams(c.encoder), { name: 'cls.U', shape: [c.labels, c.encoder.dim], init: { kind: 'truncNormal', std: 0.01 } }];
}

export interface L2RInputs {
  tokens: Tensor; // [B, T] int64
  mask: Tensor; // [B, T] float
  labels: Tensor; // [Ls] int64, the labels whose lists are in the batch (shared by its docs)
  grades: Tensor; // [B, Ls, T] float, G[token, label], 1…101 (pads: anything, masked)
  idcg: Tensor; // [B, Ls] ideal DCG of each list from its *sorted* grades (JS: idealDcg)
  listMask: Tensor; // [B, Ls] 1 where the (doc, label) list counts
}

export function l2rInputs(g: GraphBuilder): L2RInputs {
  return {
    tokens: g.input('tokens', 'int64', ['B', 'T']),
    mask: g.input('mask', 'float32', ['B', 'T']),
    labels: g.input('labels', 'int64', ['Ls']),
    grades: g.input('grades', 'float32', ['B', 'Ls', 'T']),
    idcg: g.input('idcg', 'float32', ['B', 'Ls']),
    listMask: g.input('list_mask', 'float32', ['B', 'Ls']),
  };
}

/** Scores s [B, Ls, T] = U_s · Hᵀ (pads are not masked here; the losses mask them). */
export function l2rScores(g: GraphBuilder, p: Record<string, Tensor>, x: Pick<L2RInputs, 'tokens' | 'mask' | 'labels'>, c: L2RConfig): Tensor {
  const h = encode(g, p, x.tokens, x.mask, c.encoder);
  return O.matMul(g, O.gather(g, paramOf(p, 'cls.U'), x.labels), O.transpose(g, h, [0, 2, 1]));
}

const LN2 = Math.LN2;

/** Mean over counted lists of a per-list value [B, Ls]. */
function listMean(g: GraphBuilder, v: Tensor, listMask: Tensor): Tensor {
  const num = O.reduceSum(g, O.mul(g, v, listMask), [0, 1], false);
  const den = O.max(g, O.reduceSum(g, listMask, [0, 1], false), g.scalar(1, listMask));
  return O.div(g, num, den);
}

/**
 * ApproxNDCG (Qin et al. 2010), linear gains: rank_i ≈ 1 + Σ_{j≠i} σ(α(s_j − s_i)) over valid j;
 * DCG = Σ_i g_i / log2(1 + rank_i) over valid i; loss = −mean(DCG / IDCG).
 * Memory: the pairwise tensor is [B, Ls, T, T] floats.
 */
export function approxNdcgLoss(g: GraphBuilder, s: Tensor, x: L2RInputs, alpha = 10): Tensor {
  return g.scope('approx_ndcg', () => {
    const diff = O.sub(g, O.unsqueeze(g, s, [2]), O.unsqueeze(g, s, [3])); // [B, Ls, i, j] = s_j − s_i
    const maskJ = O.unsqueeze(g, x.mask, [1, 2]); // [B, 1, 1, T]
    const sig = O.mul(g, O.sigmoid(g, O.mul(g, diff, g.scalar(alpha, s))), maskJ);
    // the j = i term contributes σ(0) = 0.5; rank = 1 + Σ_{j≠i} = 0.5 + Σ_j
    const rank = O.add(g, O.reduceSum(g, sig, [3], false), g.scalar(0.5, s)); // [B, Ls, T]
    const disc = O.div(g, g.scalar(LN2, s), O.log(g, O.add(g, rank, g.scalar(1, s)))); // 1 / log2(1 + rank)
    const gains = O.mul(g, x.grades, O.unsqueeze(g, x.mask, [1]));
    const dcg = O.reduceSum(g, O.mul(g, gains, disc), [2], false); // [B, Ls]
    const ndcg = O.div(g, dcg, O.max(g, x.idcg, g.scalar(1e-9, s)));
    return O.neg(g, listMean(g, ndcg, x.listMask));
  });
}

/**
 * LambdaRank with NDCG@k weights (Burges 2010), as a loss whose gradient is the lambdas:
 *   Σ_{g_i > g_j} |ΔNDCG@k_ij| · log(1 + exp(−σ(s_i − s_j))), |ΔNDCG| held constant (stopGradient),
 * ranks from the current scores. Normalised by IDCG@k (feed `idcg` computed with k) and the number of lists.
 */
export function lambdaRankLoss(g: GraphBuilder, s: Tensor, x: L2RInputs, sigma = 0.5, k = 15): Tensor {
  return g.scope('lambda_rank', () => {
    const mask3 = O.unsqueeze(g, x.mask, [1]); // [B, 1, T]
    const sd = O.stopGradient(g, s);
    const pen = O.mul(g, O.sub(g, mask3, g.scalar(1, s)), g.scalar(1e9, s)); // pads rank last
    const sm = O.add(g, sd, pen);
    // hard rank r_i = 1 + #{j: s_j > s_i}
    const above = O.cast(g, O.greater(g, O.unsqueeze(g, sm, [2]), O.unsqueeze(g, sm, [3])), 'float32'); // [B, Ls, i, j]: s_j > s_i
    const rank = O.add(g, O.reduceSum(g, above, [3], false), g.scalar(1, s));
    const inTop = O.cast(g, O.less(g, rank, g.scalar(k + 0.5, s)), 'float32');
    const disc = O.mul(g, O.div(g, g.scalar(LN2, s), O.log(g, O.add(g, rank, g.scalar(1, s)))), inTop); // [B, Ls, T]
    const gi = O.unsqueeze(g, x.grades, [3]); // [B, Ls, i, 1]
    const gj = O.unsqueeze(g, x.grades, [2]); // [B, Ls, 1, j]
    const di = O.unsqueeze(g, disc, [3]);
    const dj = O.unsqueeze(g, disc, [2]);
    const delta = O.mul(g, O.abs(g, O.sub(g, gi, gj)), O.abs(g, O.sub(g, di, dj)));
    const mi = O.unsqueeze(g, x.mask, [1, 3]);
    const mj = O.unsqueeze(g, x.mask, [1, 2]);
    const pairs = O.mul(g, O.mul(g, O.cast(g, O.greater(g, gi, gj), 'float32'), mi), mj); // i more relevant than j
    const w = O.stopGradient(g, O.mul(g, delta, pairs));
    const sdiff = O.sub(g, O.unsqueeze(g, s, [3]), O.unsqueeze(g, s, [2])); // s_i − s_j
    const pairLoss = O.softplus(g, O.mul(g, sdiff, g.scalar(-sigma, s)));
    const perList = O.reduceSum(g, O.mul(g, pairLoss, w), [2, 3], false); // [B, Ls]
    return listMean(g, O.div(g, perList, O.max(g, x.idcg, g.scalar(1e-9, s))), x.listMask);
  });
}

export function l2rLoss(g: GraphBuilder, p: Record<string, Tensor>, x: L2RInputs, c: L2RConfig): { loss: Tensor; scores: Tensor } {
  const s = l2rScores(g, p, x, c);
  const loss = c.loss === 'lambdaRank' ? lambdaRankLoss(g, s, x, c.sigma, c.k) : approxNdcgLoss(g, s, x, c.alpha);
  return { loss, scores: s };
}
