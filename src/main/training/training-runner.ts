import type { Worker } from 'node:worker_threads';
import type { PipelineProgress } from '../plant/pipeline/progress';
import { runTraining, type TrainingRunInput, type TrainingRunOutput } from './run-training';
import type { SpawnLexicalWorker } from '../lexical/group-runner';

export type SpawnTrainingWorker = () => Worker;

export interface TrainingHandle {
  result: Promise<TrainingRunOutput>;
  cancel(): void;
}

/** An error from the run, with the pipeline's error class name kept across the thread boundary. */
export class TrainingRunError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'TrainingRunError';
  }
}

/**
 * Starts a training run: in a worker thread when `spawn` is given (the app: the main process
 * never blocks on tokenising or MIG), otherwise in this thread (CLI, tests).
 */
export function startTrainingRun(input: TrainingRunInput, onProgress: (p: PipelineProgress) => void, spawn?: SpawnTrainingWorker, extra: { onModel?: (early: TrainingRunOutput) => void | Promise<void>; spawnLexicalWorker?: SpawnLexicalWorker } = {}): TrainingHandle {
  if (!spawn) {
    const controller = { aborted: false };
    return {
      result: runTraining(input, { onProgress, signal: controller, ...extra }).catch((e: unknown) => {
        throw new TrainingRunError(e instanceof Error ? e.message : String(e), (e as Error)?.name ?? 'Error');
      }),
      cancel: () => {
        controller.aborted = true;
      },
    };
  }
  const worker = spawn();
  const flag = new SharedArrayBuffer(4);
  const result = new Promise<TrainingRunOutput>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: { type: string; progress?: PipelineProgress; result?: TrainingRunOutput; message?: string; name?: string }) => {
      if (m.type === 'progress' && m.progress) onProgress(m.progress);
      else if (m.type === 'model' && m.result) void Promise.resolve(extra.onModel?.(m.result)).catch(() => undefined);
      else if (m.type === 'result' && m.result) finish(() => resolve(m.result!));
      else if (m.type === 'error') finish(() => reject(new TrainingRunError(m.message ?? 'training failed', m.name ?? 'Error')));
    });
    worker.on('error', (e) => finish(() => reject(new TrainingRunError(e.message, 'WorkerError'))));
    worker.on('exit', (code) => finish(() => reject(new TrainingRunError(`the training worker stopped unexpectedly (exit code ${code})`, 'WorkerError'))));
  });
  worker.postMessage({ type: 'start', input, cancelFlag: flag });
  return { result, cancel: () => Atomics.store(new Int32Array(flag), 0, 1) };
}
