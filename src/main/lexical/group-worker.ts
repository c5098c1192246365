// Worker-thread entry of lexical training (bundled by electron-vite from `?nodeWorker` imports;
// loaded through tsx in tests and benchmarks). A thin adapter around trainGroup().
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './group-runner';
import type { Csr } from './sparse';
import { GroupScratch, trainGroup, type GroupTrainOptions } from './train-group';

let state: { X: Csr; options: GroupTrainOptions; scratch: GroupScratch } | null = null;

parentPort?.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    state = { X: m.X, options: m.options, scratch: new GroupScratch(m.X.cols) };
    return;
  }
  try {
    if (!state) throw new Error('task before init');
    const chunk = trainGroup(state.X, m.task, state.options, state.scratch);
    parentPort?.postMessage({ type: 'chunk', chunk } satisfies FromWorker, [chunk.feats.buffer, chunk.entryStart.buffer, chunk.child.buffer, chunk.weight.buffer, chunk.bias.buffer] as ArrayBuffer[]);
  } catch (e) {
    parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies FromWorker);
  }
});
