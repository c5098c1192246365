import type { PlantSettings } from '../../../shared/contract';
import type { ClassifierConfig } from '../../engine/models/classifier';
import type { EncoderConfig } from '../../engine/models/encoder';
import type { L2RConfig } from '../../engine/models/l2r';

/** The engine configurations a run's settings imply (one place, so every stage agrees on shapes). */
export function encoderConfig(s: PlantSettings, vocabSize: number): EncoderConfig {
  return { vocab: vocabSize, dim: s.dim, kernel: s.kernel, layers: 1, activation: 'tanh', impl: 'im2col' };
}

export function classifierConfig(s: PlantSettings, vocabSize: number, numLabels: number): ClassifierConfig {
  return { encoder: encoderConfig(s, vocabSize), labels: numLabels, ...(s.attentionFromPositives ? { attentionFromPositives: true } : {}) };
}

export function l2rConfig(s: PlantSettings, vocabSize: number, numLabels: number): L2RConfig {
  return { encoder: encoderConfig(s, vocabSize), labels: numLabels, loss: s.l2rLoss, alpha: 10, sigma: 0.5, k: 15 };
}

/**
 * Learning-to-rank lists are [B, Ls, T, T] pairwise tensors, so that stage uses short batches and
 * windows (4 documents × 256 tokens): about 70 MB per pairwise tensor at Ls = 64.
 */
export const L2R_BATCH = { batchSize: 4, maxLen: 256, lists: 64 } as const;

/** Stage 0 sees at most this many windows per epoch (a fixed, seeded sample). */
export const MAX_PRETRAIN_WINDOWS_PER_EPOCH = 8000;
/**
 * Stage B's documents (a fixed sample, l2r-sample.ts): each label with training documents brings
 * up to L2R_DOCS_PER_LABEL of its own, a random fill (unlabelled pool included) makes at least
 * MIN_L2R_DOCS, and covering stops at MAX_L2R_DOCS. EURLEX57K at 45,000 documents: 3,297.
 */
export const L2R_DOCS_PER_LABEL = 2;
export const MIN_L2R_DOCS = 1200;
export const MAX_L2R_DOCS = 4000;
/** Bumped when Stage B's choice of documents or lists changes, so older finished stages are not reused. */
export const L2R_DATA_RULE = 3;
/** Lists per document in Stage B: its gold labels, then labels whose graded tokens it holds (l2r-lists.ts). */
export const L2R_LISTS_PER_DOC = 16;
/** Training-curve points are computed on at most this many tuning documents. */
export const MONITOR_DOCS = 300;
