import { PlanterError } from '../../shared/errors';
import type { Handlers } from '../core/handlers';
import { annotationsOf } from './annotation-handlers';
import type { ServiceContext } from './context';

export function documentHandlers(s: ServiceContext): Pick<Handlers, 'documents.list' | 'documents.get' | 'labels.search'> {
  return {
    'documents.list': async ({ projectId, split, status, query, after, offset, limit }) =>
      s.projects.get(projectId).documents.list({ split, status, query, after, offset, limit }),
    'documents.get': async ({ projectId, docId }) => {
      const store = s.projects.get(projectId);
      const row = store.documents.get(docId);
      if (!row) throw new PlanterError('not-found', `no document ${docId} in project ${projectId}`);
      return {
        id: row.id,
        extId: row.ext_id,
        split: row.split,
        status: row.status,
        text: row.text,
        metadata: JSON.parse(row.metadata) as Record<string, unknown>,
        labels: annotationsOf(store).labelsOf(docId),
      };
    },
    'labels.search': async ({ projectId, query, limit, leafOnly }) => s.projects.get(projectId).labels.search(query, limit, leafOnly),
  };
}
