// Worker-thread entry of a training run: the app and `planter serve` start its `?nodeWorker`
// bundle (app/training-worker.ts); worker.test.ts starts this very file from source. A thin
// adapter: everything it does is runTraining(), which the CLI and tests also call in-process.
import { parentPort } from 'node:worker_threads';
import { runTraining } from './run-training';
import type { FromTrainingWorker, ToTrainingWorker } from './training-runner';
import createLexicalWorker from '../lexical/group-worker?nodeWorker';

const post = (m: FromTrainingWorker): void => parentPort?.postMessage(m);

parentPort?.on('message', (m: ToTrainingWorker) => {
  if (m.type !== 'start') return;
  const flag = new Int32Array(m.cancelFlag);
  // Read between steps: the flag is seen even while this thread's event loop is busy training.
  const signal = {
    get aborted(): boolean {
      return Atomics.load(flag, 0) !== 0;
    },
  };
  runTraining(m.input, {
    signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
    // the lexical ranker's model serves while the attention stages go on
    onModel: (result) => post({ type: 'model', result }),
    spawnLexicalWorker: () => createLexicalWorker({}),
  }).then(
    (result) => post({ type: 'result', result }),
    (e: unknown) => post({ type: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) }),
  );
});
