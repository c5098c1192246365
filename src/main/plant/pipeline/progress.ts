/** The stages of PLANT.md §2 as the UI names them. */
export type StageName = 'tokenize' | 'lexical' | 'exact' | 'pretrain' | 'mig' | 'l2r' | 'plant' | 'finetune' | 'shortlist' | 'fusion' | 'evaluate';

/** A progress snapshot of the pipeline (mapped onto `jobs.progress` by the caller). */
export interface PipelineProgress {
  stage: StageName;
  done: number;
  total: number;
  unit: string;
  message?: string;
  loss?: number;
  /** A monitoring metric (L2R: NDCG@10 on tuning documents; fine-tuning: P@5 on tuning documents). */
  metric?: number;
  metricName?: string;
  etaMs?: number;
}

export interface PipelineHooks {
  onProgress?: (p: PipelineProgress) => void;
  /** Checked between steps; a cancelled run keeps its checkpoints and can be resumed. */
  signal?: { readonly aborted: boolean };
  /** Folder for stage outputs and checkpoints (resume picks up from here). */
  workDir: string;
}

export class PipelineCancelled extends Error {
  constructor(readonly stage: StageName) {
    super(`cancelled during ${stage}`);
    this.name = 'PipelineCancelled';
  }
}

export function checkCancelled(hooks: PipelineHooks, stage: StageName): void {
  if (hooks.signal?.aborted) throw new PipelineCancelled(stage);
}

/** The data cannot be trained on (no labels, no labelled documents, …); the message says what is missing. */
export class PipelineInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PipelineInputError';
  }
}
