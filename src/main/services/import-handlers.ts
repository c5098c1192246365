import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ImportSource } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { CallContext, Handlers } from '../app/dispatch';
import { importCatalogue, importCorpus, type ImportProgress } from '../importers/run-import';
import type { JobContext } from '../jobs/job-runner';
import type { ServiceContext } from './context';

/** Resolves an import source; only trusted in-process callers may name a path on disk. */
export function sourceFile(s: ServiceContext, source: ImportSource, ctx: CallContext): { path: string; displayName: string; uploadId?: string } {
  if ('uploadId' in source) {
    const f = s.uploads.file(source.uploadId);
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
  return {
    'imports.corpus': async ({ projectId, source, format, mapping }, ctx) => {
      const store = s.projects.get(projectId);
      const file = sourceFile(s, source, ctx);
      guard(projectId);
      const jobId = s.jobs.start('import', projectId, async (job) => {
        try {
          const result = await importCorpus(store.db, format, mapping, {
            file: file.path,
            displayName: file.displayName,
            tmpDir: store.path('tmp'),
            signal: job.signal,
            onProgress: (p) => reportImport(job, p),
          });
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
      const file = sourceFile(s, source, ctx);
      guard(projectId);
      const jobId = s.jobs.start('catalogue', projectId, async (job) => {
        try {
          const result = await importCatalogue(store.db, format, {
            file: file.path,
            displayName: file.displayName,
            tmpDir: store.path('tmp'),
            signal: job.signal,
            onProgress: (p) => reportImport(job, p),
            force,
          });
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
