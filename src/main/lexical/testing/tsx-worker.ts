// The lexical training worker loaded from TypeScript sources (tests, benchmarks run by tsx): on
// Node 20 `execArgv: ['--import', 'tsx']` does not reach a worker's entry, registering tsx inside does.
import { Worker } from 'node:worker_threads';
import type { SpawnLexicalWorker } from '../group-runner';

const entry = new URL('../group-worker.ts', import.meta.url).href;

export const spawnTsxLexicalWorker: SpawnLexicalWorker = () =>
  new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
