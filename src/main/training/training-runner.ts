import type { Worker } from 'node:worker_threads';
import type { PipelineProgress } from '../plant/pipeline/progress';
import { runTraining, type TrainingRunInput, type TrainingRunOutput } from './run-training';
import type { SpawnLexicalWorker } from '../lexical/group-runner';

export type SpawnTrainingWorker = () => Worker;

/** The runner's one message to the worker entry (worker.ts): the flag is non-zero once cancelled. */
export interface ToTrainingWorker {
  type: 'start';
  input: TrainingRunInput;
  cancelFlag: SharedArrayBuffer;
}

/** What the worker entry posts back: progress and the early model any number of times, then a result or an error. */
export type FromTrainingWorker =
  | { type: 'progress'; progress: PipelineProgress }
  | { type: 'model'; result: TrainingRunOutput }
  | { type: 'result'; result: TrainingRunOutput }
  | { type: 'error'; name: string; message: string };

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
 * never blocks on tokenising or MIG), otherwise in this thread (CLI, tests). Either way the result
 * is runTraining()'s, and a failure is a TrainingRunError naming the pipeline's error class.
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
    worker.on('message', (m: FromTrainingWorker) => {
      if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'model') void Promise.resolve(extra.onModel?.(m.result)).catch(() => undefined);
      else if (m.type === 'result') finish(() => resolve(m.result));
      else if (m.type === 'error') finish(() => reject(new TrainingRunError(m.message, m.name)));
    });
    worker.on('error', (e) => finish(() => reject(new TrainingRunError(e.message, 'WorkerError'))));
    worker.on('exit', (code) => finish(() => reject(new TrainingRunError(`the training worker stopped unexpectedly (exit code ${code})`, 'WorkerError'))));
  });
  worker.postMessage({ type: 'start', input, cancelFlag: flag } satisfies ToTrainingWorker);
  return { result, cancel: () => Atomics.store(new Int32Array(flag), 0, 1) };
}
