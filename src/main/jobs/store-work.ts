/**
 * Imports and exports as work for a worker thread (the built app): the worker opens its own
 * connection to the project, so parsing a 250,000-document file, committing it, or writing a
 * 118 MB CSV never holds the host's event loop (issue #15 measured 36 s and 3.3 s stalls). The CLI
 * and tests run the same work in this thread.
 *
 * An import's commit is one write transaction. While the worker holds it, this thread's writers
 * wait on the project's write gate (store/write-gate.ts) instead of sleeping in SQLite's busy
 * handler: the worker asks before it begins (`commit-begin`), this thread closes the gate and
 * answers through a shared flag, and the gate opens again when the worker says it is done or stops.
 */
import type { Worker } from 'node:worker_threads';
import type { CatalogueFormat, CorpusFormatChoice, FieldMapping, ImportResult } from '../../shared/contract';
import { PlanterError, type WireError } from '../../shared/errors';
import { exportAnnotations, type AnnotationExportOptions } from '../exporters/annotations';
import { importCatalogue, importCorpus, type ImportOptions, type ImportProgress } from '../importers/run-import';
import { inReadSnapshot, type Db } from '../store/db';
import { scoreDocuments, type ScoreWork, type ScoredDoc } from './pool-scoring';
import type { WriteGate } from '../store/write-gate';

export type SpawnStoreWorker = () => Worker;

export type StoreWork =
  | { kind: 'corpus'; dbFile: string; format: CorpusFormatChoice; mapping: FieldMapping; file: string; displayName: string; tmpDir: string; who?: string | null }
  | { kind: 'catalogue'; dbFile: string; format: CatalogueFormat; file: string; displayName: string; tmpDir: string; force?: boolean }
  | { kind: 'export'; dbFile: string; target: string; options: Omit<AnnotationExportOptions, 'signal' | 'onProgress'> }
  | ScoreWork;

/** Progress of either kind: an import's (bytes read, documents) or an export's (documents written). */
export type StoreProgress = { kind: 'import'; import: ImportProgress } | { kind: 'export'; done: number; total: number } | { kind: 'score'; done: number; total: number; scored: ScoredDoc[] };

export interface StoreWorkOptions {
  /** The project connection of this thread (used when there is no worker). */
  db: Db;
  spawn?: SpawnStoreWorker | undefined;
  nativeBinding?: string | undefined;
  signal: AbortSignal;
  gate: WriteGate;
  onProgress: (p: { done: number; total: number; import?: ImportProgress; scored?: ScoredDoc[] }) => void;
}

/** Shared flags: [0] cancel, [1] the main thread let the commit begin. */
const CANCEL = 0;
const COMMIT_GO = 1;

/** Runs the work itself: in the worker, or in this thread. `hooks` are the commit handshake. */
export async function performStoreWork(
  db: Db,
  work: StoreWork,
  signal: { readonly aborted: boolean },
  onProgress: (p: StoreProgress) => void,
  aroundCommit?: ImportOptions['aroundCommit'],
): Promise<unknown> {
  if (work.kind === 'score') return scoreDocuments(db, work, signal, (done, total, scored) => onProgress({ kind: 'score', done, total, scored }));
  if (work.kind === 'export') {
    // One read transaction: the export is a consistent snapshot while annotation goes on (WAL).
    return inReadSnapshot(db, () => exportAnnotations(db, work.target, { ...work.options, signal, onProgress: (done, total) => onProgress({ kind: 'export', done, total }) }));
  }
  const options: ImportOptions = {
    file: work.file,
    displayName: work.displayName,
    tmpDir: work.tmpDir,
    signal: signal as AbortSignal,
    onProgress: (p) => onProgress({ kind: 'import', import: p }),
    ...(aroundCommit ? { aroundCommit } : {}),
    ...(work.kind === 'catalogue' && work.force ? { force: true } : {}),
    ...(work.kind === 'corpus' ? { who: work.who ?? null } : {}),
  };
  return work.kind === 'corpus' ? importCorpus(db, work.format, work.mapping, options) : importCatalogue(db, work.format, options);
}

const toProgress = (p: StoreProgress): { done: number; total: number; import?: ImportProgress; scored?: ScoredDoc[] } =>
  p.kind === 'export' ? { done: p.done, total: p.total } : p.kind === 'score' ? { done: p.done, total: p.total, scored: p.scored } : { done: p.import.doneBytes, total: p.import.totalBytes, import: p.import };

export function fromWire(e: WireError): PlanterError {
  return new PlanterError(e.code, e.message, e.details);
}

/** Runs store work in a worker when `spawn` is given, otherwise in this thread. */
export async function runStoreWork(work: StoreWork, o: StoreWorkOptions): Promise<ImportResult | { documents: number; assignments: number } | { scored: number }> {
  if (!o.spawn) return (await performStoreWork(o.db, work, o.signal, (p) => o.onProgress(toProgress(p)))) as ImportResult;
  const worker = o.spawn();
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const cancel = (): void => {
    Atomics.store(flags, CANCEL, 1);
    // A worker waiting for the gate must not wait for ever.
    Atomics.store(flags, COMMIT_GO, 1);
    Atomics.notify(flags, COMMIT_GO);
  };
  o.signal.addEventListener('abort', cancel);
  try {
    return await new Promise((resolve, reject) => {
      let settled = false;
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        o.gate.open();
        f();
        void worker.terminate();
      };
      worker.on('message', (m: { type: string; progress?: StoreProgress; result?: unknown; error?: WireError; message?: string }) => {
        if (m.type === 'progress' && m.progress) o.onProgress(toProgress(m.progress));
        else if (m.type === 'commit-begin') {
          o.gate.close();
          Atomics.store(flags, COMMIT_GO, 1);
          Atomics.notify(flags, COMMIT_GO);
        } else if (m.type === 'commit-end') o.gate.open();
        else if (m.type === 'result') finish(() => resolve(m.result as ImportResult));
        else if (m.type === 'error') finish(() => reject(m.error ? fromWire(m.error) : new Error(m.message ?? 'store work failed')));
      });
      worker.on('error', (e) => finish(() => reject(e)));
      worker.on('exit', (code) => finish(() => reject(new Error(`the import/export worker stopped unexpectedly (exit code ${code})`))));
      worker.postMessage({ type: 'start', work, flags: flags.buffer, nativeBinding: o.nativeBinding });
    });
  } finally {
    o.signal.removeEventListener('abort', cancel);
  }
}

export { CANCEL, COMMIT_GO };
