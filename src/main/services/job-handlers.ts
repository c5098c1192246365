import type { Handlers } from '../core/handlers';
import type { ServiceContext } from './context';

export function jobHandlers(s: ServiceContext): Pick<Handlers, 'jobs.list' | 'jobs.get' | 'jobs.cancel'> {
  return {
    'jobs.list': async ({ projectId }) => ({ jobs: s.jobs.list(projectId) }),
    'jobs.get': async ({ jobId }) => s.jobs.get(jobId),
    'jobs.cancel': async ({ jobId }) => ({ cancelled: s.jobs.cancel(jobId) }),
  };
}
