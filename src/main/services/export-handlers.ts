import { resolve } from 'node:path';
import type { ExportDestination } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { CallContext, Handlers } from '../app/dispatch';
import { exportAnnotations } from '../exporters/annotations';
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

export function exportHandlers(s: ServiceContext): Pick<Handlers, 'exports.annotations'> {
  return {
    'exports.annotations': async ({ projectId, format, destination, split }, ctx) => {
      const store = s.projects.get(projectId);
      const target = exportTarget(store, destination, ctx, `.${format}`);
      const jobId = s.jobs.start('export', projectId, async (job) => {
        const counts = exportAnnotations(store.db, target, {
          format,
          split,
          signal: job.signal,
          onProgress: (done, total) => job.progress({ phase: 'writing', done, total, unit: 'documents' }),
        });
        return { path: target, ...counts };
      });
      return { jobId };
    },
  };
}
