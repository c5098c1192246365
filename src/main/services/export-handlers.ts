import { relative, resolve, sep } from 'node:path';
import { ANNOTATION_EXPORT_EXTENSION, type ExportDestination } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { CallContext, Handlers } from '../core/handlers';
import { runStoreWork } from '../jobs/store-work';
import type { ProjectStore } from '../store/project-store';
import type { ServiceContext } from './context';

/**
 * Where an export may be written: a plain name under the project's exports/ folder for anything
 * arriving over IPC or HTTP, any path for the trusted CLI. The schema already forbids separators
 * in names; this re-checks, because a path check belongs next to the write.
 */
export function exportTarget(store: ProjectStore, destination: ExportDestination, ctx: CallContext, extension: string): string {
  if ('path' in destination) {
    if (!ctx.trusted) throw new PlanterError('unauthorized', 'only the command line may export to a path; give a file name instead');
    return resolve(destination.path);
  }
  const name = destination.name.endsWith(extension) || extension === '' ? destination.name : `${destination.name}${extension}`;
  if (name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new PlanterError('invalid-input', `not a plain file name: ${name}`);
  return store.path('exports', name);
}

/**
 * How an export names what it wrote: relative to the project folder for a plain name (a renderer
 * never learns the server's absolute paths), the command line's own path when it gave one.
 */
export function shownPath(store: ProjectStore, destination: ExportDestination, target: string): string {
  return 'path' in destination ? target : relative(store.dir, target).split(sep).join('/');
}

export function exportHandlers(s: ServiceContext): Pick<Handlers, 'exports.annotations'> {
  return {
    'exports.annotations': async ({ projectId, format, destination, split, annotatedOnly }, ctx) => {
      const store = s.projects.get(projectId);
      const target = exportTarget(store, destination, ctx, ANNOTATION_EXPORT_EXTENSION[format]);
      const jobId = s.jobs.start('export', projectId, async (job) => {
        // In a worker thread with its own connection (the built app): the host answers throughout.
        const counts = await runStoreWork(
          { kind: 'export', dbFile: store.dbFile, target, options: { format, split, annotatedOnly } },
          { db: store.db, spawn: s.spawnStoreWorker, nativeBinding: s.nativeBinding, signal: job.signal, gate: store.writes, onProgress: (p) => job.progress({ phase: 'writing', done: p.done, total: p.total, unit: 'documents' }) },
        );
        return { path: shownPath(store, destination, target), ...(counts as { documents: number; assignments: number }) };
      });
      return { jobId };
    },
  };
}
