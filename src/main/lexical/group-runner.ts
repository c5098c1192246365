/**
 * Runs tree-group training tasks, in this thread or spread over worker threads. Workers receive
 * the document matrix once (its arrays live in SharedArrayBuffers, so nothing is copied) and then
 * one task at a time; the largest tasks go first so the threads finish together.
 */
import type { Worker } from 'node:worker_threads';
import type { Csr } from './sparse';
import { GroupScratch, trainGroup, type GroupChunk, type GroupTask, type GroupTrainOptions } from './train-group';

export type SpawnLexicalWorker = () => Worker;

export interface GroupRunner {
  run(tasks: readonly GroupTask[], onChunk: (chunk: GroupChunk, task: GroupTask) => void, signal?: { readonly aborted: boolean }): Promise<void>;
  dispose(): Promise<void>;
}

/** Thrown when the run is cancelled between tasks. */
export class GroupRunCancelled extends Error {
  constructor() {
    super('lexical training cancelled');
    this.name = 'GroupRunCancelled';
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export function inlineRunner(X: Csr, o: GroupTrainOptions): GroupRunner {
  const scratch = new GroupScratch(X.cols);
  return {
    async run(tasks, onChunk, signal) {
      for (const t of tasks) {
        if (signal?.aborted) throw new GroupRunCancelled();
        onChunk(trainGroup(X, t, o, scratch), t);
        await yieldToEventLoop();
      }
    },
    async dispose() {},
  };
}

/** Messages between the runner and its workers (group-worker.ts). */
export type ToWorker = { type: 'init'; X: Csr; options: GroupTrainOptions } | { type: 'task'; task: GroupTask };
export type FromWorker = { type: 'chunk'; chunk: GroupChunk } | { type: 'error'; message: string };

function isShared(X: Csr): boolean {
  return [X.indptr, X.indices, X.data].every((a) => a.buffer instanceof SharedArrayBuffer);
}

export function workerRunner(X: Csr, o: GroupTrainOptions, spawn: SpawnLexicalWorker, threads: number): GroupRunner {
  if (!isShared(X)) throw new Error('workerRunner: the document matrix must be in shared memory (transformAll(docs, true))');
  const workers = Array.from({ length: Math.max(1, threads) }, () => {
    const w = spawn();
    w.postMessage({ type: 'init', X, options: o } satisfies ToWorker);
    return w;
  });
  return {
    run(tasks, onChunk, signal) {
      const queue = [...tasks];
      return new Promise<void>((resolve, reject) => {
        let running = 0;
        let failed = false;
        const fail = (e: Error): void => {
          if (failed) return;
          failed = true;
          reject(e);
        };
        const next = (w: Worker): void => {
          if (failed) return;
          if (signal?.aborted) return fail(new GroupRunCancelled());
          const task = queue.shift();
          if (!task) {
            if (running === 0) resolve();
            return;
          }
          running++;
          const onMessage = (m: FromWorker): void => {
            w.off('message', onMessage);
            w.off('error', onError);
            running--;
            if (m.type === 'error') return fail(new Error(`lexical worker: ${m.message}`));
            try {
              onChunk(m.chunk, task);
            } catch (e) {
              return fail(e as Error);
            }
            next(w);
          };
          const onError = (e: Error): void => fail(e);
          w.on('message', onMessage);
          w.once('error', onError);
          w.postMessage({ type: 'task', task } satisfies ToWorker);
        };
        for (const w of workers) next(w);
      });
    },
    async dispose() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
