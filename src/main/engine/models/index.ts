import { gradients } from '../autodiff';
import { GraphBuilder } from '../graph/builder';
import type { Tensor } from '../graph/types';
import { appendAdam, resolveGroups } from '../optim/adam';
import type { AdamConfig } from '../optim/adam';
import { classifierInputs, classifierLoss, classifierParams } from './classifier';
import type { ClassifierConfig } from './classifier';
import { l2rInputs, l2rLoss, l2rParams } from './l2r';
import type { L2RConfig } from './l2r';
import { paramOf } from './params';
import type { ParamSpec } from './params';
import { pretrainInputs, pretrainLoss, pretrainParams } from './pretrain';
import { shortlistInputs, shortlistLoss, shortlistParams } from './shortlist';
import type { ShortlistConfig } from './shortlist';
import type { PretrainConfig } from './pretrain';

/** A trainable model: which PLANT stage, its configuration. Plain data (posted to workers as is). */
export type ModelSpec =
  | {
      kind: 'classifier';
      config: ClassifierConfig;
      /** train on a label subset per batch (input `labels`) */
      sampled: boolean;
      /** Training only: share of the encoder's features zeroed each step (inverted dropout, input `keep`). */
      dropout?: number;
    }
  | { kind: 'l2r'; config: L2RConfig }
  | { kind: 'pretrain'; config: PretrainConfig }
  | { kind: 'shortlist'; config: ShortlistConfig };

export function modelParams(spec: ModelSpec): ParamSpec[] {
  switch (spec.kind) {
    case 'classifier': return classifierParams(spec.config);
    case 'l2r': return l2rParams(spec.config);
    case 'pretrain': return pretrainParams(spec.config);
    case 'shortlist': return shortlistParams(spec.config);
  }
}

export interface LossGraph {
  loss: Tensor;
  /** Scalars reported with each step (e.g. pretraining accuracy). */
  metrics: Record<string, Tensor>;
  /** Tensors an evaluation returns: classifier `logits` [B, Ls]; L2R `scores` [B, Ls, T]. */
  outputs: Record<string, Tensor>;
}

/** Declares the batch inputs and builds the scalar loss (and monitoring metrics) of `spec`. */
export function buildLoss(g: GraphBuilder, spec: ModelSpec, p: Record<string, Tensor>, training = false): LossGraph {
  switch (spec.kind) {
    case 'classifier': {
      const x = classifierInputs(g, spec.sampled, spec.config.labels, training && (spec.dropout ?? 0) > 0 ? spec.config.encoder.dim : 0);
      const { loss, z } = classifierLoss(g, p, x, spec.config);
      return { loss, metrics: {}, outputs: { logits: z } };
    }
    case 'l2r': {
      const { loss, scores } = l2rLoss(g, p, l2rInputs(g), spec.config);
      return { loss, metrics: {}, outputs: { scores } };
    }
    case 'pretrain': {
      const { loss, accuracy } = pretrainLoss(g, p, pretrainInputs(g), spec.config);
      return { loss, metrics: { accuracy }, outputs: {} };
    }
    case 'shortlist': {
      const { loss, scores } = shortlistLoss(g, p, shortlistInputs(g, spec.config), spec.config);
      return { loss, metrics: {}, outputs: { scores } };
    }
  }
}

/** Forward-only graph: `loss`, `metric.<name>` and the evaluation outputs, parameters as inputs. */
export function buildEvalGraph(spec: ModelSpec): { graph: GraphBuilder; specs: ParamSpec[]; metricNames: string[]; outputNames: string[] } {
  const g = new GraphBuilder();
  const specs = modelParams(spec);
  const p: Record<string, Tensor> = {};
  for (const s of specs) p[s.name] = g.input(s.name, 'float32', s.shape);
  const { loss, metrics, outputs } = buildLoss(g, spec, p);
  g.output(loss, 'loss');
  for (const [k, t] of Object.entries(metrics)) g.output(t, `metric.${k}`);
  for (const [k, t] of Object.entries(outputs)) g.output(t, k);
  return { graph: g, specs, metricNames: Object.keys(metrics), outputNames: Object.keys(outputs) };
}

export interface TrainingGraph {
  graph: GraphBuilder;
  specs: ParamSpec[];
  /** Parameters updated by this graph (not frozen), in order. */
  trained: string[];
  metricNames: string[];
}

/**
 * The training graph of a model: forward loss, the derived backward graph and (when `optimizer`
 * is given) the fused Adam update. Without an optimizer it outputs `grad.<param>` instead (for
 * oracle tests and diagnostics). Outputs: `loss`, `metric.<name>`, and the update or gradients.
 */
export function buildTrainingGraph(spec: ModelSpec, optimizer: AdamConfig | null): TrainingGraph {
  const g = new GraphBuilder();
  const specs = modelParams(spec);
  const p: Record<string, Tensor> = {};
  for (const s of specs) p[s.name] = g.input(s.name, 'float32', s.shape);
  const { loss, metrics } = buildLoss(g, spec, p, true);
  g.output(loss, 'loss');
  for (const [k, t] of Object.entries(metrics)) g.output(t, `metric.${k}`);
  const names = specs.map((s) => s.name);
  const { groupFor } = resolveGroups(names, optimizer ?? {});
  const trained = names.filter((n) => !groupFor(n).frozen);
  const wrt = trained.map((n) => paramOf(p, n));
  const grads = gradients(g, loss, wrt);
  if (optimizer) appendAdam(g, wrt, grads, trained.map(groupFor), optimizer);
  else grads.forEach((d, i) => g.output(d, `grad.${trained[i]}`));
  return { graph: g, specs, trained, metricNames: Object.keys(metrics) };
}
