import type { EvalReport, PlantSettings } from '../../../shared/contract';
import type { ClassifierConfig } from '../../engine/models/classifier';
import type { Params } from '../../engine/models/params';
import type { VocabularyJson } from '../text/vocabulary';
import type { LexicalModel } from '../../lexical/model';
import type { FusionModel } from '../../fusion/fusion';
import type { Calibration } from '../../fusion/calibration';

/**
 * What answers a suggestion request: the fusion of the lexical ranker and the attention model
 * (the default), the lexical ranker alone (the first model of a training, ready in seconds, and
 * a project that disables attention), or the attention model alone (lexical ranker disabled).
 */
export type ServedModel = 'fused' | 'lexical' | 'attention';

/** A trained PLANT (or LANT) classifier with everything needed to use it without the project. */
export interface PlantModel {
  format: 'planter-model';
  version: 1;
  kind: 'plant' | 'lant';
  serves: ServedModel;
  createdAt: string;
  settings: PlantSettings;
  vocabulary: VocabularyJson;
  /** [L] the label space, index = the model's label id. */
  labels: { code: string; title: string }[];
  config: ClassifierConfig;
  /** The attention model's parameters (empty when `serves` is 'lexical'). */
  params: Params;
  /** The lexical ranker (absent when `serves` is 'attention'); stored as lexical.bin. */
  lexical?: LexicalModel;
  /** The fusion of the candidates' scores into probabilities (with `lexical`). */
  fusion?: FusionModel;
  /** Metrics of the parts on the evaluation half: the ranker alone and the attention model alone. */
  components?: { lexical?: EvalReport | null; attention?: EvalReport | null };
  /** Calibration of the served probabilities on the evaluation half (each document's top 15). */
  calibration?: Calibration | null;
  /** The decision threshold tuned on the tuning half of dev (global, micro-F1-optimal). */
  threshold: number;
  /** [L] per-label thresholds (one per training-frequency bucket, tuned on the tuning half); absent in older models. */
  labelThresholds?: number[];
  /** [L] training documents per label when this model was trained (buckets, propensities, UI). */
  trainFreq: number[];
  numTrainDocs: number;
  metrics: EvalReport | null;
  stageTimings: { stage: string; seconds: number }[];
  /** Held-out NDCG@10 of the L2R stage before training and after each epoch (empty for LANT). */
  l2rNdcg: (number | null)[];
  curve: { stage: string; step: number; loss: number | null; metric: number | null }[];
}

/** The decision threshold of label l (per-bucket when the model has them, else the global one). */
export function thresholdOf(model: Pick<PlantModel, 'threshold' | 'labelThresholds'>, label: number): number {
  return model.labelThresholds?.[label] ?? model.threshold;
}
