import { basename, resolve } from 'node:path';
import { PlanterError } from '../../shared/errors';
import { JobKind } from '../../shared/contract';
import type { Handlers } from '../core/handlers';
import { ProjectStore } from '../store/project-store';
import { projectStats } from '../store/stats';
import type { ServiceContext } from './context';
import { DEMO_PROJECT_ID } from './demo';

export function projectHandlers(s: ServiceContext): Pick<Handlers, 'app.info' | 'projects.list' | 'projects.create' | 'projects.init' | 'projects.stats' | 'projects.rename' | 'projects.delete'> {
  return {
    'app.info': async (_input, ctx) => ({
      version: s.version,
      transport: ctx.transport,
      defaultProjectId: s.projects.exists(DEMO_PROJECT_ID) ? DEMO_PROJECT_ID : (s.projects.ids()[0] ?? null),
      capabilities: s.capabilities,
    }),
    'projects.list': async () => ({ projects: s.projects.ids().map((id) => s.projects.summary(id)) }),
    'projects.create': async ({ id, name }) => {
      s.projects.create(id, name);
      return s.projects.summary(id);
    },
    'projects.init': async ({ path, name }, ctx) => {
      if (!ctx.trusted) throw new PlanterError('unauthorized', 'only the command line may create a project in a folder of its choice; use projects.create');
      const dir = resolve(path);
      if (ProjectStore.isProject(dir)) throw new PlanterError('conflict', `a project already exists in ${dir}`);
      const chosen = name ?? basename(dir);
      ProjectStore.create(dir, chosen).close();
      return { path: dir, name: chosen };
    },
    'projects.stats': async ({ projectId }) => {
      const store = s.projects.get(projectId);
      // The overview is where a project is opened: the queue's keyword index starts building now.
      if (!store.db.readonly) s.keywords.warm(projectId, store);
      return projectStats(store, projectId);
    },
    'projects.rename': async ({ projectId, name }) => {
      s.projects.get(projectId).setMeta('name', name);
      s.events.emit('projects.changed', { projectId, what: 'documents' });
      return s.projects.summary(projectId);
    },
    'projects.delete': async ({ projectId, confirm }) => {
      if (confirm !== projectId) throw new PlanterError('invalid-input', `to delete project "${projectId}", confirm with its id`);
      // The keyword index and the label-errors audit are the app's own background work: they are cancelled, not waited for.
      const background = (k: JobKind): boolean => k === 'index' || k === 'label-errors';
      const busy = s.jobs.running(projectId, JobKind.options.filter((k) => !background(k)));
      if (busy) throw new PlanterError('conflict', `a ${busy.kind} job is running in project "${projectId}" (${busy.jobId}); cancel it or wait, then delete`);
      for (const job of s.jobs.list(projectId)) if (background(job.kind) && !job.finished) s.jobs.cancel(job.jobId);
      s.models.invalidate(projectId);
      s.projects.delete(projectId);
      return {};
    },
  };
}
