import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ImportResult, ImportSource } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { CallContext, Handlers } from '../core/handlers';
import type { ImportProgress } from '../importers/run-import';
import { runStoreWork, type StoreWorkOptions } from '../jobs/store-work';
import type { ProjectStore } from '../store/project-store';
import type { JobContext } from '../jobs/job-runner';
import type { ServiceContext } from './context';

/** Resolves an import source; only trusted in-process callers may name a path on disk. */
export function sourceFile(s: ServiceContext, projectId: string, source: ImportSource, ctx: CallContext): { path: string; displayName: string; uploadId?: string } {
  if ('uploadId' in source) {
    const f = s.uploads.file(source.uploadId, projectId);
    return { path: f.path, displayName: f.fileName, uploadId: source.uploadId };
  }
  if (!ctx.trusted) throw new PlanterError('unauthorized', 'only the command line may import from a path; upload the file instead');
  const path = resolve(source.path);
  if (!existsSync(path)) throw new PlanterError('not-found', `no such file: ${source.path}`, { file: source.path });
  if (!statSync(path).isFile()) throw new PlanterError('invalid-input', `not a file: ${source.path}`, { file: source.path });
  return { path, displayName: basename(path) };
}

export function reportImport(job: JobContext, p: ImportProgress): void {
  job.progress(
    p.phase === 'reading'
      ? { phase: 'reading', done: p.doneBytes, total: p.totalBytes, unit: 'bytes', message: p.documents > 0 ? `${p.documents.toLocaleString('en')} records read` : 'reading the file' }
      : { phase: 'committing', done: 0, total: 0, unit: 'step', message: 'writing to the project' },
  );
}

export function importHandlers(s: ServiceContext): Pick<Handlers, 'imports.corpus' | 'imports.catalogue'> {
  const guard = (projectId: string): void => {
    const busy = s.jobs.running(projectId, ['import', 'catalogue', 'demo']);
    if (busy) throw new PlanterError('conflict', `another import is running in this project (${busy.jobId}); wait for it or cancel it`);
  };
  // Parsing and the commit run in a worker thread in the app (jobs/store-work.ts): the host answers throughout.
  const workOptions = (store: ProjectStore, job: JobContext): StoreWorkOptions => ({
    db: store.db,
    spawn: s.spawnStoreWorker,
    nativeBinding: s.nativeBinding,
    signal: job.signal,
    gate: store.writes,
    onProgress: (p) => {
      if (p.import) reportImport(job, p.import);
    },
  });
  return {
    'imports.corpus': async ({ projectId, source, format, mapping }, ctx) => {
      const store = s.projects.get(projectId);
      const file = sourceFile(s, projectId, source, ctx);
      guard(projectId);
      const jobId = s.jobs.start('import', projectId, async (job) => {
        try {
          const result = (await runStoreWork(
            // Who ran the import is its assignments' provenance, read when the job starts, as every other write reads it.
            { kind: 'corpus', dbFile: store.dbFile, format, mapping, file: file.path, displayName: file.displayName, tmpDir: store.path('tmp'), who: s.annotator.name() },
            workOptions(store, job),
          )) as ImportResult;
          s.events.emit('projects.changed', { projectId, what: 'documents' });
          return result;
        } finally {
          if (file.uploadId) s.uploads.discard(file.uploadId);
        }
      });
      return { jobId };
    },
    'imports.catalogue': async ({ projectId, source, format, force }, ctx) => {
      const store = s.projects.get(projectId);
      const file = sourceFile(s, projectId, source, ctx);
      guard(projectId);
      const jobId = s.jobs.start('catalogue', projectId, async (job) => {
        try {
          const work = { kind: 'catalogue' as const, dbFile: store.dbFile, format, file: file.path, displayName: file.displayName, tmpDir: store.path('tmp'), ...(force ? { force } : {}) };
          const result = (await runStoreWork(work, workOptions(store, job))) as ImportResult;
          s.events.emit('projects.changed', { projectId, what: 'labels' });
          return result;
        } finally {
          if (file.uploadId) s.uploads.discard(file.uploadId);
        }
      });
      return { jobId };
    },
  };
}
