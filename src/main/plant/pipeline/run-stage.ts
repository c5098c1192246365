import { runTrainingJob, type JobResult, type TrainingJob } from '../../engine/runtime/job';
import type { TrainingData } from '../../engine/runtime/batching';
import type { Params } from '../../engine/models/params';
import { checkCancelled, PipelineCancelled, type PipelineHooks, type StageName } from './progress';

/**
 * Where one job's steps sit in its stage: a stage that runs several jobs (one per epoch, or a
 * frozen warm-up then the rest) reports the stage's steps, so its total never grows and its
 * percentage never goes back (issue #14: learning to rank showed 88 % → 69 %).
 */
export interface StageSpan {
  /** Steps of the stage before this job's first step (earlier phases' jobs). */
  offset: number;
  /** Steps of the whole stage. */
  total: number;
}

/**
 * Runs one training job of the pipeline in this thread with the pipeline's progress and
 * cancellation. A cancelled job leaves its checkpoint (the stage resumes from it next time).
 */
export async function runStage(stage: StageName, job: TrainingJob, data: TrainingData, hooks: PipelineHooks, extra: { metric?: number; metricName?: string; span?: StageSpan } = {}): Promise<Extract<JobResult, { outcome: 'done' }>> {
  checkCancelled(hooks, stage);
  const { span, ...metric } = extra;
  let msPerStep: number | undefined;
  const result = await runTrainingJob(job, data, {
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (p) => {
      // The job's ETA covers its own steps; the stage's covers the steps left in the whole stage.
      if (p.etaMs !== undefined && p.total > p.done) msPerStep = p.etaMs / (p.total - p.done);
      const done = Math.min((span?.offset ?? 0) + p.done, span?.total ?? Infinity);
      const total = Math.max(span?.total ?? p.total, done);
      hooks.onProgress?.({
        stage,
        done,
        total,
        unit: 'step',
        loss: p.loss,
        ...(msPerStep !== undefined ? { etaMs: msPerStep * (total - done) } : p.etaMs !== undefined && !span ? { etaMs: p.etaMs } : {}),
        message: `epoch ${p.epoch + 1} · ${Math.round(p.itemsPerSec)} docs/s`,
        ...metric,
      });
    },
  });
  if (result.outcome === 'cancelled') throw new PipelineCancelled(stage);
  return result;
}

/** Keeps the parameters whose names start with one of the prefixes (e.g. the encoder's `enc.`). */
export function pick(params: Params, ...prefixes: string[]): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) if (prefixes.some((p) => k.startsWith(p))) out[k] = v;
  return out;
}
