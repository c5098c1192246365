import type { GraphBuilder } from '../graph/builder';
import { ranked } from '../graph/checked';
import { dimAt } from '../graph/types';
import type { Tensor } from '../graph/types';
import * as O from '../ops/index';
import { encode, encoderParams, poolFeatures } from './encoder';
import type { EncoderConfig } from './encoder';
import { paramOf } from './params';
import type { ParamSpec } from './params';
import { shortlistHiddenFeatures, shortlistParams, shortlistScores, studentLoss } from './shortlist';

/** The label-wise attention classifier (PLANT Stage D). */
export interface ClassifierConfig {
  encoder: EncoderConfig;
  labels: number;
  /** Add the shortlist scorer (`cls.Q1`, `cls.q1`, `cls.Q`, `cls.c`; models/shortlist.ts), trained jointly by distillation. */
  shortlist?: boolean;
  /** The scorer's hidden width (default 1024; 0 = linear on the pooled features). */
  shortlistHidden?: number;
  /**
   * Training only: the attention logits S get gradient from a label's positive documents alone
   * (S' = sg(S) + y·(S − sg(S)); the forward value is unchanged). Through U, BCE's negatives —
   * nearly every document for a rare label — otherwise teach the label to attend to whatever
   * lowers its score, such as stopwords (measured on CodiEsp: rare labels' attention ended on
   * "of" and "the"). Negatives still train W, b and the encoder.
   */
  attentionFromPositives?: boolean;
}

export function classifierParams(c: ClassifierConfig): ParamSpec[] {
  const d = c.encoder.dim;
  const L = c.labels;
  const specs: ParamSpec[] = [
    ...encoderParams(c.encoder),
    { name: 'cls.U', shape: [L, d], init: { kind: 'truncNormal', std: 0.01 } },
    { name: 'cls.W', shape: [L, d], init: { kind: 'kaiming', fanIn: d } },
    { name: 'cls.b', shape: [L], init: { kind: 'uniform', limit: 0.1 } },
  ];
  if (c.shortlist) specs.push(...shortlistParams({ dim: d, labels: L, hidden: c.shortlistHidden }));
  return specs;
}

/** Additive attention mask [B, T]: 0 on tokens, −1e9 on pads (finite, so all-pad rows stay NaN-free). */
export function maskBias(g: GraphBuilder, mask: Tensor): Tensor {
  return O.mul(g, O.sub(g, mask, g.scalar(1, mask)), g.scalar(1e9, mask));
}

/**
 * Label-wise attention logits (PLANT §2 Stage D) for H [B, T, d]:
 *   S = U·Hᵀ + mask;  A = softmax_T(S);  z_l = Σ_t A[t,l]·(h_t·w_l) + b_l
 * C = Aᵀ·H is never materialised: Σ_d W[l,d]·C[l,d] = Σ_t A[t,l]·(H·Wᵀ)[t,l].
 * Label rows shared by the batch (U, W [Ls, d], b [Ls]) use the label-major layout [Ls, B, T]: all
 * three products of each of S and P (forward, dU, dH) are then single 2-D GEMMs over B·T with no
 * batch reduction, and the softmax axis stays contiguous. Per-document rows (U, W [B, C, d],
 * b [B, C], the shortlist) use batched products in [B, C, T].
 * Returns z [B, Ls] and A ([Ls, B, T] or [B, C, T]).
 */
export function attentionLogits(g: GraphBuilder, h: Tensor, mask: Tensor, u: Tensor, w: Tensor, b: Tensor, positives?: Tensor): { z: Tensor; a: Tensor } {
  const bias = maskBias(g, mask); // [B, T]
  // positives [B, Ls] (1/0): where given, S passes gradient only for positive (label, document) pairs
  const onlyPositives = (s: Tensor, y: Tensor): Tensor => {
    const frozen = O.stopGradient(g, s);
    return O.add(g, frozen, O.mul(g, y, O.sub(g, s, frozen)));
  };
  if (u.shape.length === 3) {
    const hT = O.transpose(g, h, [0, 2, 1]); // [B, d, T]
    let s = O.add(g, O.matMul(g, u, hT), O.unsqueeze(g, bias, [1])); // [B, C, T]
    if (positives) s = onlyPositives(s, O.unsqueeze(g, positives, [2]));
    const [z0, a] = O.labelAttention(g, s, O.matMul(g, w, hT));
    return { z: O.add(g, z0, b), a };
  }
  const [B, T, d] = ranked(h.shape, 3, 'encoder output H [B, T, d]');
  const h2T = O.transpose(g, O.reshape(g, h, [-1, d as number]), [1, 0]); // [d, B·T]; fuses into the GEMMs
  // [Ls, B·T] → [Ls, B, T] with a run-time shape (Ls, B, T may all be symbolic)
  const lbtShape = O.concat(g, [O.slice(g, O.shapeOf(g, u), [0], [1], [0]), O.slice(g, O.shapeOf(g, h), [0], [2], [0])], 0);
  g.shapeHints.set(lbtShape.name, [dimAt(u.shape, 0, 'label rows U [Ls, d]'), B, T]);
  let s = O.add(g, O.reshape(g, O.matMul(g, u, h2T), lbtShape), bias);
  if (positives) s = onlyPositives(s, O.unsqueeze(g, O.transpose(g, positives, [1, 0]), [2])); // y as [Ls, B, 1]
  const [z0, a] = O.labelAttention(g, s, O.reshape(g, O.matMul(g, w, h2T), lbtShape)); // [Ls, B]
  return { z: O.add(g, O.transpose(g, z0, [1, 0]), b), a };
}

/** k of the jointly trained shortlist scorer's top-k target. */
export const jointTopK = (labels: number): number => Math.min(10, Math.max(1, Math.floor(labels / 2)));

/** Mean binary cross-entropy with logits: mean(softplus(z) − y·z) (stable for large |z|). */
export function bceWithLogits(g: GraphBuilder, z: Tensor, y: Tensor): Tensor {
  const per = O.sub(g, O.softplus(g, z), O.mul(g, y, z));
  return O.reduceMean(g, per, per.shape.map((_, i) => i), false);
}

export interface ClassifierInputs {
  tokens: Tensor; // [B, T] int64
  mask: Tensor; // [B, T] float 1/0
  /** Sampled label rows [Ls] int64, or null to score all L labels. */
  labels: Tensor | null;
  targets: Tensor; // [B, Ls] float 0/1
  /** Training with dropout: [B, T, d] of 0 or 1/(1−p), multiplied into the encoder's output. */
  keep?: Tensor;
}

/** Declares the classifier's batch inputs: tokens, mask, labels (when sampled), targets, and `keep` when `dropoutDim` > 0. */
export function classifierInputs(g: GraphBuilder, sampled: boolean, L: number, dropoutDim = 0): ClassifierInputs {
  return {
    tokens: g.input('tokens', 'int64', ['B', 'T']),
    mask: g.input('mask', 'float32', ['B', 'T']),
    labels: sampled ? g.input('labels', 'int64', ['Ls']) : null,
    targets: g.input('targets', 'float32', ['B', sampled ? 'Ls' : L]),
    ...(dropoutDim > 0 ? { keep: g.input('keep', 'float32', ['B', 'T', dropoutDim]) } : {}),
  };
}

/** Training loss of the classifier: BCE over the (sampled) labels; returns the loss and the logits. */
export function classifierLoss(g: GraphBuilder, p: Record<string, Tensor>, x: ClassifierInputs, c: ClassifierConfig): { loss: Tensor; z: Tensor } {
  const encoded = encode(g, p, x.tokens, x.mask, c.encoder); // [B, T, d]
  const h = x.keep ? O.mul(g, encoded, x.keep) : encoded;
  return g.scope('cls', () => {
    const rows = (t: Tensor): Tensor => (x.labels ? O.gather(g, t, x.labels) : t);
    const { z } = attentionLogits(g, h, x.mask, rows(paramOf(p, 'cls.U')), rows(paramOf(p, 'cls.W')), rows(paramOf(p, 'cls.b')), c.attentionFromPositives ? x.targets : undefined);
    let loss = bceWithLogits(g, z, x.targets);
    if (c.shortlist) {
      // the shortlist scorer learns from the exact logits (distillation); no gradient reaches the model
      const hid = shortlistHiddenFeatures(g, O.stopGradient(g, poolFeatures(g, h, x.mask)), p);
      const q = shortlistScores(g, hid, rows(paramOf(p, 'cls.Q')), rows(paramOf(p, 'cls.c')));
      // top-k of the batch's label rows (k = 10, or L/2 for tiny label sets; sampled batches need Ls ≥ k)
      loss = O.add(g, loss, studentLoss(g, q, z, jointTopK(c.labels)));
    }
    return { loss, z };
  });
}
