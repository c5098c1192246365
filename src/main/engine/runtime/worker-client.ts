import type { Worker } from 'node:worker_threads';
import type { TrainingData } from './batching';
import type { JobProgress, JobResult, TrainingJob } from './job';

export interface WorkerJobHandle {
  /** Resolves with the job's result (done or cancelled); rejects if the job failed. */
  result: Promise<JobResult>;
  /** Asks the job to stop after the current step (idempotent). */
  cancel(): void;
}

/**
 * Runs a training job in a worker thread so the main process never blocks. `spawn` creates the
 * worker: in the Electron build `createWorker` from `import createWorker from './worker?nodeWorker'`;
 * from TypeScript sources (tests, tsx) a worker that registers tsx first (see job.test.ts; on Node 20
 * `execArgv: ['--import', 'tsx']` does not apply to the worker's entry). The worker is
 * terminated when the job ends. Cancellation uses a SharedArrayBuffer flag (seen even while the
 * worker's event loop is busy) and a message.
 */
export function runJobInWorker(spawn: () => Worker, job: TrainingJob, data: TrainingData, onProgress?: (p: JobProgress) => void): WorkerJobHandle {
  const worker = spawn();
  const flag = new SharedArrayBuffer(4);
  const result = new Promise<JobResult>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: { type: string; progress?: JobProgress; result?: JobResult; message?: string; stack?: string }) => {
      if (m.type === 'progress' && m.progress) onProgress?.(m.progress);
      else if (m.type === 'result' && m.result) finish(() => resolve(m.result!));
      else if (m.type === 'error') finish(() => reject(Object.assign(new Error(`training job failed: ${m.message}`), { workerStack: m.stack })));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited (code ${code}) before reporting a result`))));
  });
  worker.postMessage({ type: 'start', job, data, cancelFlag: flag });
  return {
    result,
    cancel: () => {
      Atomics.store(new Int32Array(flag), 0, 1);
      worker.postMessage({ type: 'cancel' });
    },
  };
}
