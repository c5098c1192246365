// The training worker as the built app spawns it (electron-vite bundles ../training/worker.ts as a
// separate entry). Imported only by the Electron app and the CLI, never by tests: vitest does not
// understand the `?nodeWorker` suffix (training/worker.test.ts starts the same entry from source).
import createTrainingWorker from '../training/worker?nodeWorker';
import createLexicalWorker from '../lexical/group-worker?nodeWorker';
import type { SpawnTrainingWorker } from '../training/training-runner';
import type { SpawnLexicalWorker } from '../lexical/group-runner';

export const spawnTrainingWorker: SpawnTrainingWorker = () => createTrainingWorker({});
/** The lexical ranker's threads, for training that runs in this process (`planter train`). */
export const spawnLexicalWorker: SpawnLexicalWorker = () => createLexicalWorker({});
