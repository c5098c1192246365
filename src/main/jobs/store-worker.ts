// Worker-thread entry of imports and exports (bundled by electron-vite from a `?nodeWorker`
// import in app/store-worker.ts). A thin adapter: the work is jobs/store-work.ts's, on a
// connection of its own.
import { parentPort } from 'node:worker_threads';
import { PlanterError } from '../../shared/errors';
import { openDb } from '../store/db';
import { CANCEL, COMMIT_GO, performStoreWork, type StoreWork } from './store-work';

interface StartMessage {
  type: 'start';
  work: StoreWork;
  flags: SharedArrayBuffer;
  nativeBinding?: string;
}

parentPort?.on('message', (m: StartMessage) => {
  if (m.type !== 'start') return;
  const flags = new Int32Array(m.flags);
  const signal = {
    get aborted(): boolean {
      return Atomics.load(flags, CANCEL) !== 0;
    },
  };
  const post = (message: unknown): void => parentPort?.postMessage(message);
  let db: ReturnType<typeof openDb> | undefined;
  void (async () => {
    try {
      db = openDb(m.work.dbFile, { readonly: m.work.kind === 'export' || m.work.kind === 'score', ...(m.nativeBinding ? { nativeBinding: m.nativeBinding } : {}) });
      const result = await performStoreWork(db, m.work, signal, (progress) => post({ type: 'progress', progress }), {
        before: () => {
          post({ type: 'commit-begin' });
          Atomics.wait(flags, COMMIT_GO, 0);
          if (signal.aborted) throw new PlanterError('cancelled', 'import cancelled');
        },
        after: () => post({ type: 'commit-end' }),
      });
      post({ type: 'result', result });
    } catch (e) {
      const cancelled = (e as { cancelled?: boolean }).cancelled === true;
      const error = e instanceof PlanterError ? e.toWire() : cancelled ? { code: 'cancelled', message: 'export cancelled' } : { code: 'internal', message: e instanceof Error ? e.message : String(e) };
      post({ type: 'error', error });
    } finally {
      db?.close();
    }
  })();
});
