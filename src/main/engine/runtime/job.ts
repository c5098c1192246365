import { existsSync } from 'node:fs';
import type { DeviceName } from '../device';
import type { ModelSpec } from '../models/index';
import type { Params } from '../models/params';
import type { AdamConfig } from '../optim/adam';
import { makeBatch, stepsPerEpoch } from './batching';
import type { BatchOptions, TrainingData } from './batching';
import { createTrainer } from './trainer';

/** What to train, how long, where to checkpoint: one job of a pipeline stage (plant/pipeline/run-stage.ts). */
export interface TrainingJob {
  /** Shown in progress events (e.g. 'pretrain', 'l2r', 'finetune'). */
  phase: string;
  model: ModelSpec;
  optimizer: AdamConfig;
  batch: BatchOptions;
  epochs: number;
  /** Stops after this many steps even inside an epoch (a warm-up shorter than one epoch). */
  maxSteps?: number;
  /** Seeds parameter init (when not given), data order and sampling. */
  seed: number;
  threads?: number;
  device?: DeviceName;
  backend?: 'onnx' | 'tfjs';
  /** Starting parameters (e.g. planted encoder and U); the rest are initialised from the seed. */
  initParams?: Partial<Params>;
  /** Atomic checkpoints every `everySteps` (default: each epoch) and on cancel; resumed from when present. */
  checkpoint?: { path: string; everySteps?: number };
}

/** A progress snapshot (STYLE §5): the last one wins; `etaMs` is absent until a step has been timed. */
export interface JobProgress {
  phase: string;
  done: number;
  total: number;
  unit: 'step';
  loss: number;
  /** Documents per second over the recent steps. */
  itemsPerSec: number;
  etaMs?: number;
  epoch: number;
}

export type JobResult =
  | { outcome: 'done'; params: Params; steps: number; loss: number }
  | { outcome: 'cancelled'; steps: number; /** checkpoint to resume from (when the job has one) */ resumeFrom?: string };

export interface JobHooks {
  onProgress?: (p: JobProgress) => void;
  /** Checked between steps (an ORT run is not interrupted midway). */
  signal?: { readonly aborted: boolean };
}

/**
 * Runs a training job in this thread: builds the trainer, resumes from the checkpoint if one
 * exists, steps through `epochs` of deterministic batches, reports progress, checkpoints, and
 * stops cleanly (with a checkpoint) when cancelled. The pipeline's stages call it through
 * runStage (plant/pipeline/run-stage.ts); in the app that whole pipeline already runs inside the
 * training worker (training/worker.ts), so this runs in the thread it is called from.
 */
export async function runTrainingJob(job: TrainingJob, data: TrainingData, hooks: JobHooks = {}): Promise<JobResult> {
  const trainer = await createTrainer({ model: job.model, optimizer: job.optimizer, seed: job.seed, threads: job.threads, device: job.device, backend: job.backend, params: job.initParams });
  try {
    const ck = job.checkpoint;
    if (ck && existsSync(ck.path)) await trainer.loadCheckpoint(ck.path);
    const per = stepsPerEpoch(data, job.batch);
    const total = Math.min(per * job.epochs, job.maxSteps ?? Infinity);
    const every = ck?.everySteps ?? per;
    const cancelled = (): boolean => Boolean(hooks.signal?.aborted);
    let loss = NaN;
    let avgMs = 0;
    let docsPerMs = 0;
    for (let step = trainer.steps; step < total; step++) {
      if (cancelled()) {
        if (ck) await trainer.saveCheckpoint(ck.path, { phase: job.phase });
        return { outcome: 'cancelled', steps: step, resumeFrom: ck?.path };
      }
      const t0 = performance.now();
      const batch = makeBatch(job.model, data, job.batch, job.seed, step);
      loss = (await trainer.step(batch)).loss;
      const ms = performance.now() - t0;
      const w = step === trainer.steps - 1 ? 1 : 0.2; // first timed step seeds the average
      avgMs = avgMs === 0 ? ms : (1 - w) * avgMs + w * ms;
      docsPerMs = batch.tokens.dims[0] / avgMs;
      hooks.onProgress?.({ phase: job.phase, done: step + 1, total, unit: 'step', loss, itemsPerSec: docsPerMs * 1000, etaMs: avgMs * (total - step - 1), epoch: Math.floor(step / per) });
      if (ck && (step + 1) % every === 0 && step + 1 < total) await trainer.saveCheckpoint(ck.path, { phase: job.phase });
    }
    if (ck) await trainer.saveCheckpoint(ck.path, { phase: job.phase, finished: true });
    return { outcome: 'done', params: trainer.getParams(), steps: trainer.steps, loss };
  } finally {
    await trainer.dispose();
  }
}
