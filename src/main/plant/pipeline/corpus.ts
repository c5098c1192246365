import type { LabelDescription } from '../mig/description-grades';
import { createHash } from 'node:crypto';

/** A coder's evidence span on a document: [start, end) in UTF-16 code units, for a model label index. */
export interface DocSpan {
  label: number;
  start: number;
  end: number;
}

/** A labelled document as the pipeline sees it: text and model label indices. */
export interface PlantDoc {
  /** The project's id of the document (absent for corpora from outside a project: benchmarks). */
  id?: number;
  text: string;
  labels: number[];
  /** Coders' evidence spans (training documents only, and only with `spanRelevance` on). */
  spans?: DocSpan[];
  /** Annotated since the current model was trained (the few-shot loop oversamples these). */
  recent?: boolean;
}

/**
 * Everything one training run reads, already split. Evaluation text never reaches pretraining,
 * the vocabulary or MIG: those use `train` and `unlabelled` only (PLANT.md §2).
 */
export interface PlantCorpus {
  /** [L] the model's label space; index = label id inside the model. */
  labels: (LabelDescription & { code: string })[];
  train: PlantDoc[];
  /** Unlabelled text of the training pool (Stage 0 and the vocabulary). */
  unlabelled: string[];
  /** Half of dev: threshold tuning and the training curves. */
  tuning: PlantDoc[];
  /** The other half of dev: the reported metrics. */
  evaluation: PlantDoc[];
}

/**
 * The fixed rule that splits dev into tuning and evaluation halves (issue #5): a document goes
 * to tuning when the first byte of the SHA-256 of its id is even. Stable across runs, machines
 * and document order. (FNV-1a's top bits barely change between short ids such as "d1", "d2":
 * every one of them landed in the same half.)
 */
export function isTuningDoc(extId: string): boolean {
  return (createHash('sha256').update(extId, 'utf8').digest()[0]! & 1) === 0;
}

/** Training-document frequency per label (distinct documents). */
export function trainFrequencies(docs: readonly PlantDoc[], numLabels: number): Int32Array {
  const freq = new Int32Array(numLabels);
  for (const d of docs) for (const l of new Set(d.labels)) freq[l]!++;
  return freq;
}
