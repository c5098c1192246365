import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import * as O from '../ops/index';
import { POOLED_FACTOR } from './encoder';
import type { ParamSpec } from './params';
import { paramOf } from './params';

/**
 * The first-stage scorer of candidate shortlisting (extreme classification). From the pooled
 * encoder states f = [mean; max; min]_t H [B, 3d] (models/encoder.ts poolFeatures):
 *   q = relu(f·Q1ᵀ + q1)·Qᵀ + c      (hidden width `hidden`; hidden = 0: q = f·Qᵀ + c)
 * ≈ 2·3d·h + 2·h·L FLOPs per document (9 MFLOP at d 128, h 1024, L 4k) instead of ≈ 4·T·d·L for
 * exact label-wise attention over all labels (0.54 GFLOP). Trained to reproduce the exact model's
 * top labels (`studentLoss`), jointly (classifier config `shortlist: true`) or afterwards from
 * stored features (kind 'shortlist', inference/shortlist-fit.ts). bench/engine.ts measures its
 * recall on real documents; docs/engine.md has the numbers.
 */
export interface ShortlistConfig {
  /** Encoder width d (the pooled features are 3d wide). */
  dim: number;
  labels: number;
  /** Hidden width of the scorer (default 1024; 0 = linear). */
  hidden?: number;
  /** The scorer learns to put the teacher's top-k labels first (default 10). */
  topK?: number;
}

export const shortlistHidden = (c: { hidden?: number }): number => c.hidden ?? 1024;

export function shortlistParams(c: ShortlistConfig): ParamSpec[] {
  const f = POOLED_FACTOR * c.dim;
  const h = shortlistHidden(c);
  const head: ParamSpec[] = [
    { name: 'cls.Q', shape: [c.labels, h || f], init: h ? { kind: 'kaiming', fanIn: h } : { kind: 'normal', std: 0.01 } },
    { name: 'cls.c', shape: [c.labels], init: { kind: 'zeros' } },
  ];
  if (!h) return head;
  return [{ name: 'cls.Q1', shape: [h, f], init: { kind: 'kaiming', fanIn: f } }, { name: 'cls.q1', shape: [h], init: { kind: 'zeros' } }, ...head];
}

export interface ShortlistInputs {
  pooled: Tensor; // [B, 3d] from the trained encoder (predictor.features)
  teacher: Tensor; // [B, L] exact logits of the trained classifier
}

export function shortlistInputs(g: GraphBuilder, c: ShortlistConfig): ShortlistInputs {
  return { pooled: g.input('pooled', 'float32', ['B', POOLED_FACTOR * c.dim]), teacher: g.input('teacher', 'float32', ['B', c.labels]) };
}

/** The scorer's hidden features [B, h] (or the pooled features themselves when linear). */
export function shortlistHiddenFeatures(g: GraphBuilder, pooled: Tensor, p: Record<string, Tensor>): Tensor {
  const q1 = p['cls.Q1']; // the hidden layer is optional: absent in models trained without one
  return q1 ? O.relu(g, O.add(g, O.matMul(g, pooled, O.transpose(g, q1, [1, 0])), paramOf(p, 'cls.q1'))) : pooled;
}

/** First-stage scores [B, Lr] for label rows Q [Lr, h], c [Lr]. */
export function shortlistScores(g: GraphBuilder, hidden: Tensor, q: Tensor, c: Tensor): Tensor {
  return O.add(g, O.matMul(g, hidden, O.transpose(g, q, [1, 0])), c);
}

/**
 * Listwise distillation: cross-entropy between the uniform distribution over the teacher's top-k
 * labels and softmax(q), mean over documents. Only the *set* of top labels matters (what the
 * shortlist must contain), not the teacher's calibration. The teacher gets no gradient.
 */
export function studentLoss(g: GraphBuilder, q: Tensor, zTeacher: Tensor, k = 10): Tensor {
  const z = O.stopGradient(g, zTeacher);
  const [vals] = O.topK(g, z, k, -1); // [B, k]
  const kth = O.slice(g, vals, [k - 1], [k], [1]); // [B, 1]
  const inTop = O.cast(g, O.less(g, kth, O.add(g, z, g.scalar(1e-6, z))), 'float32'); // z ≥ kth (ties included)
  const target = O.div(g, inTop, O.reduceSum(g, inTop, [1], true));
  const ce = O.neg(g, O.reduceSum(g, O.mul(g, target, O.logSoftmax(g, q, -1)), [1], false)); // [B]
  return O.reduceMean(g, ce, [0], false);
}

export function shortlistLoss(g: GraphBuilder, p: Record<string, Tensor>, x: ShortlistInputs, c: ShortlistConfig): { loss: Tensor; scores: Tensor } {
  const q = shortlistScores(g, shortlistHiddenFeatures(g, x.pooled, p), paramOf(p, 'cls.Q'), paramOf(p, 'cls.c'));
  return { loss: studentLoss(g, q, x.teacher, c.topK ?? 10), scores: q };
}
