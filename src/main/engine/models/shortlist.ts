import type { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import * as O from '../ops/index';
import { studentLoss } from './classifier';
import type { ParamSpec } from './params';

/**
 * The first-stage scorer of candidate shortlisting (extreme classification): q_l = pool(H)·Q_l + c_l
 * with pool = [masked mean; masked max] of the encoder states [B, 2d]. It costs 4·d·L FLOPs per
 * document instead of the ≈ 4·T·d·L of exact label-wise attention, and is trained to reproduce
 * the exact model's ranking (listwise distillation, `studentLoss`), either jointly (classifier
 * config `shortlist: true`) or afterwards from stored features (this model, kind 'shortlist').
 */
export interface ShortlistConfig {
  /** Encoder width d (the pooled features are 2d wide). */
  dim: number;
  labels: number;
  /** Distillation temperature (default 2). */
  tau?: number;
}

export const shortlistParams = (c: ShortlistConfig): ParamSpec[] => [
  { name: 'cls.Q', shape: [c.labels, 2 * c.dim], init: { kind: 'normal', std: 0.01 } },
  { name: 'cls.c', shape: [c.labels], init: { kind: 'zeros' } },
];

export interface ShortlistInputs {
  pooled: Tensor; // [B, 2d] from the trained encoder (predictor.features)
  teacher: Tensor; // [B, L] exact logits of the trained classifier
}

export function shortlistInputs(g: GraphBuilder, c: ShortlistConfig): ShortlistInputs {
  return { pooled: g.input('pooled', 'float32', ['B', 2 * c.dim]), teacher: g.input('teacher', 'float32', ['B', c.labels]) };
}

/** First-stage scores [B, L] (or [B, Ls] for gathered rows). */
export function shortlistScores(g: GraphBuilder, pooled: Tensor, q: Tensor, c: Tensor): Tensor {
  return O.add(g, O.matMul(g, pooled, O.transpose(g, q, [1, 0])), c);
}

export function shortlistLoss(g: GraphBuilder, p: Record<string, Tensor>, x: ShortlistInputs, c: ShortlistConfig): { loss: Tensor; scores: Tensor } {
  const q = shortlistScores(g, x.pooled, p['cls.Q'], p['cls.c']);
  return { loss: studentLoss(g, q, x.teacher, c.tau ?? 2), scores: q };
}
