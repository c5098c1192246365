import { runTrainingJob, type JobResult, type TrainingJob } from '../../engine/runtime/job';
import type { TrainingData } from '../../engine/runtime/batching';
import type { Params } from '../../engine/models/params';
import { checkCancelled, PipelineCancelled, type PipelineHooks, type StageName } from './progress';

/**
 * Runs one training job of the pipeline in this thread with the pipeline's progress and
 * cancellation. A cancelled job leaves its checkpoint (the stage resumes from it next time).
 */
export async function runStage(stage: StageName, job: TrainingJob, data: TrainingData, hooks: PipelineHooks, extra: { metric?: number; metricName?: string } = {}): Promise<Extract<JobResult, { outcome: 'done' }>> {
  checkCancelled(hooks, stage);
  const result = await runTrainingJob(job, data, {
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (p) =>
      hooks.onProgress?.({
        stage,
        done: p.done,
        total: p.total,
        unit: 'step',
        loss: p.loss,
        ...(p.etaMs !== undefined ? { etaMs: p.etaMs } : {}),
        message: `epoch ${p.epoch + 1} · ${Math.round(p.itemsPerSec)} docs/s`,
        ...extra,
      }),
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
