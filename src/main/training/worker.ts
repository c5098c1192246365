// Worker-thread entry of a training run (bundled by electron-vite from `?nodeWorker` imports).
// A thin adapter: everything it does is runTraining(), which the CLI and tests call in-process.
import { parentPort } from 'node:worker_threads';
import { runTraining, type TrainingRunInput } from './run-training';
import createLexicalWorker from '../lexical/group-worker?nodeWorker';

interface StartMessage {
  type: 'start';
  input: TrainingRunInput;
  cancelFlag: SharedArrayBuffer;
}

parentPort?.on('message', (m: StartMessage) => {
  if (m.type !== 'start') return;
  const flag = new Int32Array(m.cancelFlag);
  const signal = {
    get aborted(): boolean {
      return Atomics.load(flag, 0) !== 0;
    },
  };
  runTraining(m.input, {
    signal,
    onProgress: (progress) => parentPort?.postMessage({ type: 'progress', progress }),
    // the lexical ranker's model serves while the attention stages go on
    onModel: (result) => parentPort?.postMessage({ type: 'model', result }),
    spawnLexicalWorker: () => createLexicalWorker({}),
  }).then(
    (result) => parentPort?.postMessage({ type: 'result', result }),
    (e: unknown) => parentPort?.postMessage({ type: 'error', name: (e as Error)?.name, message: e instanceof Error ? e.message : String(e), stack: (e as Error)?.stack }),
  );
});
