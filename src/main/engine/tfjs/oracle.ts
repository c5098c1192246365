/**
 * The same forward models written in TensorFlow.js: the gradient oracle of the whole-model tests
 * (tfjs autodiff vs our derived backward graph) and the model of the optional tfjs backend.
 * `tf` is passed in so this module never loads tfjs itself (tfjs-node must stay a dynamic import).
 * Conv uses tf.conv1d and products are written differently from the ONNX graphs on purpose, so
 * the oracle is an independent implementation of the same maths.
 */
import type * as TF from '@tensorflow/tfjs';
import { staticRanked } from '../graph/checked';
import type { ClassifierConfig } from '../models/classifier';
import type { EncoderConfig } from '../models/encoder';
import type { L2RConfig } from '../models/l2r';
import { paramOf } from '../models/params';

type Tf = typeof TF;
type T = TF.Tensor;
export type TfParams = Record<string, T>;

/** tfjs has no stopGradient op: an identity whose gradient is zero. */
function stopGradientTf(tf: Tf, x: T): T {
  const f = tf.customGrad(((a: T) => ({ value: a.clone(), gradFunc: (dy: T) => tf.zerosLike(dy) })) as unknown as Parameters<Tf["customGrad"]>[0]);
  return f(x);
}

export function encodeTf(tf: Tf, p: TfParams, tokens: T, mask: T, c: EncoderConfig): T {
  const m3 = mask.expandDims(2);
  let h = tf.mul(tf.gather(paramOf(p, 'enc.E'), tokens as TF.Tensor2D), m3) as TF.Tensor3D;
  for (let l = 0; l < (c.layers ?? 1); l++) {
    const pre = tf.add(tf.conv1d(h, paramOf(p, `enc.conv${l}.W`) as TF.Tensor3D, 1, 'same'), paramOf(p, `enc.conv${l}.b`));
    const y = c.activation === 'relu' ? tf.relu(pre) : tf.tanh(pre);
    h = tf.mul(l > 0 && c.residual ? tf.add(y, h) : y, m3) as TF.Tensor3D;
  }
  return h;
}

/** [B, T, d] × [Ls, d] → [B, Ls, T] through a 2-D product (not the ONNX graph's batched one). */
function scoresTf(tf: Tf, h: T, rows: T): T {
  const [B, T, d] = staticRanked(h.shape, 3, 'encoder output H [B, T, d]');
  const [Ls] = staticRanked(rows.shape, 2, 'label rows [Ls, d]');
  return tf.matMul(h.reshape([B * T, d]), rows, false, true).reshape([B, T, Ls]).transpose([0, 2, 1]);
}

const bceTf = (tf: Tf, z: T, y: T): T => tf.mean(tf.sub(tf.softplus(z), tf.mul(y, z)));

export interface ClassifierBatchTf { tokens: T; mask: T; labels: T | null; targets: T }

export function classifierLossTf(tf: Tf, p: TfParams, x: ClassifierBatchTf, c: ClassifierConfig): T {
  const h = encodeTf(tf, p, x.tokens, x.mask, c.encoder);
  const rows = (t: T): T => (x.labels ? tf.gather(t, x.labels) : t);
  const bias = tf.mul(tf.sub(x.mask, 1), 1e9).expandDims(1);
  const a = tf.softmax(tf.add(scoresTf(tf, h, rows(paramOf(p, 'cls.U'))), bias));
  // the v1 head literally: C = Aᵀ·H [B, Ls, d], logit = Σ_d W ⊙ C + b
  const ctx = tf.matMul(a, h);
  const z = tf.add(tf.sum(tf.mul(ctx, rows(paramOf(p, 'cls.W'))), -1), rows(paramOf(p, 'cls.b')));
  let loss = bceTf(tf, z, x.targets);
  if (c.shortlist) {
    const pooled = stopGradientTf(tf, poolTf(tf, h, x.mask));
    const q = scorerTf(tf, p, pooled, rows(paramOf(p, 'cls.Q')), rows(paramOf(p, 'cls.c')));
    loss = tf.add(loss, studentLossTf(tf, q, z, Math.min(10, Math.max(1, Math.floor(c.labels / 2)))));
  }
  return loss;
}

export interface L2RBatchTf { tokens: T; mask: T; labels: T; grades: T; idcg: T; listMask: T }

function listMeanTf(tf: Tf, v: T, listMask: T): T {
  return tf.div(tf.sum(tf.mul(v, listMask)), tf.maximum(tf.sum(listMask), 1));
}

export function l2rLossTf(tf: Tf, p: TfParams, x: L2RBatchTf, c: L2RConfig): T {
  const h = encodeTf(tf, p, x.tokens, x.mask, c.encoder);
  const s = scoresTf(tf, h, tf.gather(paramOf(p, 'cls.U'), x.labels)); // [B, Ls, T]
  const maskI = x.mask.expandDims(1); // [B, 1, T]
  if (c.loss === 'approxNdcg') {
    const alpha = c.alpha ?? 10;
    const diff = tf.sub(s.expandDims(2), s.expandDims(3)); // [B, Ls, i, j] = s_j − s_i
    const sig = tf.mul(tf.sigmoid(tf.mul(diff, alpha)), x.mask.expandDims(1).expandDims(1));
    const rank = tf.add(tf.sum(sig, 3), 0.5);
    const dcg = tf.sum(tf.div(tf.mul(x.grades, maskI), tf.div(tf.log(tf.add(rank, 1)), Math.LN2)), 2);
    return tf.neg(listMeanTf(tf, tf.div(dcg, tf.maximum(x.idcg, 1e-9)), x.listMask));
  }
  const sigma = c.sigma ?? 0.5;
  const k = c.k ?? 15;
  // the lambda weights come from a detached copy of the scores (comparisons have no tfjs gradients)
  const sm = tf.add(tf.tensor(s.dataSync(), s.shape), tf.mul(tf.sub(maskI, 1), 1e9));
  const rank = tf.add(tf.sum(tf.cast(tf.greater(sm.expandDims(2), sm.expandDims(3)), 'float32'), 3), 1);
  const disc = tf.mul(tf.div(Math.LN2, tf.log(tf.add(rank, 1))), tf.cast(tf.lessEqual(rank, k), 'float32'));
  const gi = x.grades.expandDims(3);
  const gj = x.grades.expandDims(2);
  const delta = tf.mul(tf.abs(tf.sub(gi, gj)), tf.abs(tf.sub(disc.expandDims(3), disc.expandDims(2))));
  const pairs = tf.mul(tf.mul(tf.cast(tf.greater(gi, gj), 'float32'), x.mask.expandDims(1).expandDims(3)), x.mask.expandDims(1).expandDims(2));
  const w = tf.mul(delta, pairs);
  const pairLoss = tf.softplus(tf.mul(tf.sub(s.expandDims(3), s.expandDims(2)), -sigma));
  const perList = tf.sum(tf.mul(pairLoss, w), [2, 3]);
  return listMeanTf(tf, tf.div(perList, tf.maximum(x.idcg, 1e-9)), x.listMask);
}

export interface PretrainBatchTf { tokens: T; mask: T; positions: T; targets: T; negatives: T; negBias: T }

export function pretrainLossTf(tf: Tf, p: TfParams, x: PretrainBatchTf, c: EncoderConfig): T {
  const h = encodeTf(tf, p, x.tokens, x.mask, c);
  const hm = tf.gather(h.reshape([-1, c.dim]), x.positions);
  const e = paramOf(p, 'enc.E');
  const pos = tf.sum(tf.mul(hm, tf.gather(e, x.targets)), 1, true);
  const neg = tf.add(tf.matMul(hm, tf.gather(e, x.negatives), false, true), x.negBias);
  const logp = tf.logSoftmax(tf.concat([pos, neg], 1));
  return tf.neg(tf.mean(logp.slice([0, 0], [-1, 1])));
}

/** [mean; max; min] over valid tokens of H [B, T, d] → [B, 3d]. */
function poolTf(tf: Tf, h: T, mask: T): T {
  const m3 = mask.expandDims(2);
  const mean = tf.div(tf.sum(h, 1), tf.maximum(tf.sum(m3, 1), 1));
  const far = tf.mul(tf.sub(m3, 1), 1e9);
  return tf.concat([mean, tf.max(tf.add(h, far), 1), tf.min(tf.sub(h, far), 1)], 1);
}

/** Shortlist scorer scores for label rows (q, c) from pooled features (models/shortlist.ts). */
function scorerTf(tf: Tf, p: TfParams, pooled: T, q: T, c: T): T {
  const q1 = paramOf(p, 'cls.Q1'); // the hidden layer is optional (models/shortlist.ts)
  const hid = q1 ? tf.relu(tf.add(tf.matMul(pooled, q1, false, true), paramOf(p, 'cls.q1'))) : pooled;
  return tf.add(tf.matMul(hid, q, false, true), c);
}

/** Top-k listwise distillation; the target comes from a detached copy (comparisons have no tfjs gradient). */
function studentLossTf(tf: Tf, q: T, teacher: T, k: number): T {
  const z = tf.tensor(teacher.dataSync(), teacher.shape);
  const kth = tf.topk(z, k).values.slice([0, k - 1], [-1, 1]);
  const inTop = tf.cast(tf.greaterEqual(z, kth), 'float32');
  const target = tf.div(inTop, tf.sum(inTop, 1, true));
  return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(q)), -1)));
}

/** Listwise distillation of the shortlist scorer (models/shortlist.ts). */
export function shortlistLossTf(tf: Tf, p: TfParams, pooled: T, teacher: T, k = 10): T {
  return studentLossTf(tf, scorerTf(tf, p, pooled, paramOf(p, 'cls.Q'), paramOf(p, 'cls.c')), teacher, k);
}
