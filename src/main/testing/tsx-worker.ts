// Starts a shipped worker-thread entry from its TypeScript source, for tests: under tsx, with
// node-worker-hooks.mjs resolving the entry's own `?nodeWorker` imports (which vitest and tsx do
// not understand) to workers started the same way. The bootstrap matches the one in that file.
import { Worker } from 'node:worker_threads';

const HOOKS = new URL('./node-worker-hooks.mjs', import.meta.url).href;

/** A worker running `entry` (a file URL of a `.ts` worker entry) as the build would run its bundle. */
export function spawnTsxWorker(entry: URL): Worker {
  const source =
    `import('tsx/esm/api').then((t) => { t.register(); return import('node:module'); })` +
    `.then((m) => { m.register(${JSON.stringify(HOOKS)}); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(source, { eval: true });
}
