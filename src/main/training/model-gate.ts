import type { GateMetric, ModelGate } from '../../shared/contract';
import { evaluate } from '../eval/evaluate';
import type { PlantModel } from '../plant/pipeline/model';
import { predictorParts, TextPredictor } from '../plant/pipeline/predict';
import { Vocabulary } from '../plant/text/vocabulary';

/** The tuning half of dev as text and gold label codes: what every model is compared on. */
export interface TuningSet {
  texts: string[];
  gold: string[][];
}

/**
 * A model's score on the tuning half with the chosen metric, computed the way it serves (the
 * same TextPredictor as suggestions), its labels matched by code so models with different
 * label spaces are compared on the same documents. Null when there is no tuning document.
 */
export async function tuningScore(model: PlantModel, tuning: TuningSet, metric: GateMetric, threads?: number): Promise<number | null> {
  if (tuning.texts.length === 0) return null;
  const index = new Map(model.labels.map((l, i) => [l.code, i]));
  const predictor = await TextPredictor.create(predictorParts(model, Vocabulary.fromJSON(model.vocabulary), threads));
  try {
    const scores = await predictor.scoreTexts(tuning.texts);
    // Gold codes the model does not know stay in: they are misses (a model that lost a label is worse for it).
    const gold = tuning.gold.map((codes) => codes.map((c) => index.get(c) ?? -1));
    if (metric === 'p@5') return precisionAt5(scores, gold.map((g) => g.filter((i) => i >= 0)), gold.map((g) => g.length));
    const report = evaluate({
      scores,
      gold: gold.map((g) => g.filter((i) => i >= 0)),
      numLabels: model.labels.length,
      trainFreq: Int32Array.from(model.trainFreq),
      numTrainDocs: model.numTrainDocs,
      thresholds: { global: model.threshold, ...(model.labelThresholds ? { perLabel: Float64Array.from(model.labelThresholds) } : {}) },
    });
    return report[metric] ?? null;
  } finally {
    await predictor.dispose();
  }
}

/** P@5 over the documents with gold codes (`goldCount`), known or not to the model. */
function precisionAt5(scores: readonly Float32Array[], gold: readonly number[][], goldCount: readonly number[]): number | null {
  let sum = 0;
  let n = 0;
  scores.forEach((row, d) => {
    if (goldCount[d] === 0) return;
    const g = new Set(gold[d]);
    const top = Array.from(row.keys()).sort((a, b) => row[b]! - row[a]! || a - b).slice(0, 5);
    sum += top.filter((l) => g.has(l)).length / 5;
    n++;
  });
  return n ? sum / n : null;
}

/** Scores within this of the baseline count as "no worse" (run-to-run noise of a ranking metric on a small tuning half). */
export const GATE_TOLERANCE = 1e-9;

/**
 * Whether a new model may become current: only when it is no worse on the tuning half than the
 * model that was current before the run. A first model (nothing current) always may, and so may
 * one of a project without a tuning half (nothing to compare on; said so in `reason`).
 */
export function gateDecision(o: { metric: GateMetric; score: number | null; baseline: number | null; baselineModelId: number | null }): ModelGate {
  const base = { metric: o.metric, score: o.score, baseline: o.baseline, baselineModelId: o.baselineModelId };
  if (o.baselineModelId === null) return { ...base, becameCurrent: true, reason: null };
  if (o.score === null || o.baseline === null) return { ...base, becameCurrent: true, reason: 'no tuning half to compare on (the project has no dev split)' };
  if (o.score + GATE_TOLERANCE >= o.baseline) return { ...base, becameCurrent: true, reason: null };
  const label = METRIC_NAMES[o.metric];
  return { ...base, becameCurrent: false, reason: `${label} on the tuning half ${fmt(o.score)} is below ${fmt(o.baseline)} of model #${o.baselineModelId}, which stays current` };
}

const METRIC_NAMES: Record<GateMetric, string> = { 'p@5': 'P@5', micro_f1: 'micro-F1', macro_f1: 'macro-F1' };
const fmt = (v: number): string => `${(100 * v).toFixed(1)} %`;
