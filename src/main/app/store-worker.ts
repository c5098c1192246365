// The import/export worker as the built app spawns it (electron-vite bundles ../jobs/store-worker.ts
// as a separate entry). Imported only by the Electron app and `planter serve`, never by tests:
// vitest does not understand the `?nodeWorker` suffix.
import createStoreWorker from '../jobs/store-worker?nodeWorker';
import type { SpawnStoreWorker } from '../jobs/store-work';

export const spawnStoreWorker: SpawnStoreWorker = () => createStoreWorker({});
