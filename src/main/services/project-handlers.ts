import type { Handlers } from '../app/dispatch';
import { projectStats } from '../store/stats';
import type { ServiceContext } from './context';
import { DEMO_PROJECT_ID } from './demo';

export function projectHandlers(s: ServiceContext): Pick<Handlers, 'app.info' | 'projects.list' | 'projects.create' | 'projects.stats'> {
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
    'projects.stats': async ({ projectId }) => {
      const store = s.projects.get(projectId);
      // The overview is where a project is opened: the queue's keyword index starts building now.
      if (!store.db.readonly) s.keywords.warm(projectId, store);
      return projectStats(store, projectId);
    },
  };
}
