/**
 * worker_threads entry for training jobs: a thin adapter around runTrainingJob.
 * In:  { type: 'start', job, data, cancelFlag?: SharedArrayBuffer } · { type: 'cancel' }
 * Out: { type: 'progress', progress } · { type: 'result', result } · { type: 'error', message, stack }
 * The app imports it as `import createWorker from './worker?nodeWorker'` (electron-vite) and
 * passes that factory to runJobInWorker (worker-client.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { TrainingData } from './batching';
import { runTrainingJob } from './job';
import type { TrainingJob } from './job';

export type WorkerRequest =
  | { type: 'start'; job: TrainingJob; data: TrainingData; cancelFlag?: SharedArrayBuffer }
  | { type: 'cancel' };

const port = parentPort;
if (port) {
  const signal = { aborted: false };
  port.on('message', (msg: WorkerRequest) => {
    if (msg.type === 'cancel') {
      signal.aborted = true;
      return;
    }
    const cancelFlag = msg.cancelFlag ? new Int32Array(msg.cancelFlag) : undefined;
    runTrainingJob(msg.job, msg.data, { signal, cancelFlag, onProgress: (progress) => port.postMessage({ type: 'progress', progress }) })
      .then((result) => {
        const transfer = result.outcome === 'done' ? Object.values(result.params).map((p) => p.buffer as ArrayBuffer) : [];
        port.postMessage({ type: 'result', result }, transfer);
      })
      .catch((e: unknown) => port.postMessage({ type: 'error', message: (e as Error).message ?? String(e), stack: (e as Error).stack }));
  });
}
