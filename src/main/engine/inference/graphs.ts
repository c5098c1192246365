import { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { attentionLogits, classifierParams } from '../models/classifier';
import type { ClassifierConfig } from '../models/classifier';
import { encode, poolFeatures } from '../models/encoder';
import { paramOf } from '../models/params';
import type { ParamSpec } from '../models/params';
import { shortlistHiddenFeatures, shortlistScores } from '../models/shortlist';
import * as O from '../ops/index';

/**
 * Forward-only graphs of the trained classifier. Inputs are always `token_ids` [B, T] int64 (pad 0)
 * and `mask` [B, T] float32 (1 token, 0 pad); docs/engine.md lists every graph's outputs.
 *  - 'exact':     `scores` [B, L] = sigmoid(logits) over all labels.
 *  - 'shortlist': the first-stage scorer picks `candidates` [B, C] (int64 label ids, in first-stage
 *                 order), which alone get exact attention: `scores` [B, C], plus evidence.
 *  - 'explain':   extra input `label_ids` [B, C] int64; `scores` [B, C] plus evidence.
 *  - 'features':  `pooled` [B, 3d] and exact `logits` [B, L] (to fit the shortlist scorer).
 *  - 'subset':    extra input `label_ids` [B, C] int64; `logits` [B, C] of those labels only (the
 *                 fused model scores the lexical shortlist this way: attention over C, not L, labels).
 * Evidence: `evidence_positions` [B, C, k] int64 token positions with the highest attention per label,
 * `evidence_weights` [B, C, k] their attention weights (sorted, largest first).
 */
export type InferenceMode = 'exact' | 'shortlist' | 'explain' | 'features' | 'subset';

export interface InferenceGraphOptions {
  /** C, labels kept by the shortlist (default 64). */
  candidates?: number;
  /** k, evidence tokens per label (default 5; T must be ≥ k). 0: no evidence outputs (shortlist mode). */
  evidenceK?: number;
}

/** Parameter specs an inference graph needs (the shortlist graphs need the scorer's Q, c). */
export function inferenceParamSpecs(c: ClassifierConfig, mode: InferenceMode): ParamSpec[] {
  const withQ = mode === 'shortlist';
  return classifierParams({ ...c, shortlist: withQ }).filter((s) => withQ || (s.name !== 'cls.Q' && s.name !== 'cls.c'));
}

export function buildInferenceGraph(c: ClassifierConfig, mode: InferenceMode, o: InferenceGraphOptions = {}): GraphBuilder {
  const g = new GraphBuilder();
  const p: Record<string, Tensor> = {};
  for (const s of inferenceParamSpecs(c, mode)) p[s.name] = g.input(s.name, 'float32', s.shape);
  const tokens = g.input('token_ids', 'int64', ['B', 'T']);
  const mask = g.input('mask', 'float32', ['B', 'T']);
  const h = encode(g, p, tokens, mask, c.encoder); // [B, T, d]
  const k = o.evidenceK ?? 5;
  const evidence = (a: Tensor): void => {
    if (k <= 0) return;
    const [w, pos] = O.topK(g, a, k, -1); // [B, C, k]
    g.output(w, 'evidence_weights');
    g.output(pos, 'evidence_positions');
  };
  if (mode === 'exact' || mode === 'features') {
    const { z } = attentionLogits(g, h, mask, paramOf(p, 'cls.U'), paramOf(p, 'cls.W'), paramOf(p, 'cls.b')); // [B, L]
    if (mode === 'exact') g.output(O.sigmoid(g, z), 'scores');
    else {
      g.output(poolFeatures(g, h, mask), 'pooled');
      g.output(z, 'logits');
    }
    return g;
  }
  let ids: Tensor;
  if (mode === 'shortlist') {
    const q = shortlistScores(g, shortlistHiddenFeatures(g, poolFeatures(g, h, mask), p), paramOf(p, 'cls.Q'), paramOf(p, 'cls.c')); // [B, L]
    ids = O.topK(g, q, Math.min(o.candidates ?? 64, c.labels), -1)[1]; // [B, C], C ≤ L
    g.output(ids, 'candidates');
  } else ids = g.input('label_ids', 'int64', ['B', 'C']);
  // per-document label rows: [B, C, d] × [B, d, T] → [B, C, T]
  const { z, a } = attentionLogits(g, h, mask, O.gather(g, paramOf(p, 'cls.U'), ids), O.gather(g, paramOf(p, 'cls.W'), ids), O.gather(g, paramOf(p, 'cls.b'), ids));
  if (mode === 'subset') {
    g.output(z, 'logits');
    return g;
  }
  g.output(O.sigmoid(g, z), 'scores');
  evidence(a);
  return g;
}
