import type { DocumentLabel } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Handlers } from '../core/handlers';
import type { ServiceContext } from './context';

export function documentHandlers(s: ServiceContext): Pick<Handlers, 'documents.list' | 'documents.get' | 'labels.search'> {
  return {
    'documents.list': async ({ projectId, split, status, query, after, offset, limit }) =>
      s.projects.get(projectId).documents.list({ split, status, query, after, offset, limit }),
    'documents.get': async ({ projectId, docId }) => {
      const store = s.projects.get(projectId);
      const row = store.documents.get(docId);
      if (!row) throw new PlanterError('not-found', `no document ${docId} in project ${projectId}`);
      const labels = store.db
        .prepare(
          `SELECT a.label_id, l.code, l.title, a.source, a.present FROM assignments a JOIN labels l ON l.id = a.label_id
           WHERE a.doc_id = ? ORDER BY a.present DESC, l.code`,
        )
        .all(docId) as { label_id: number; code: string; title: string; source: DocumentLabel['source']; present: number }[];
      return {
        id: row.id,
        extId: row.ext_id,
        split: row.split,
        status: row.status,
        text: row.text,
        metadata: JSON.parse(row.metadata) as Record<string, unknown>,
        labels: labels.map((l) => ({ labelId: l.label_id, code: l.code, title: l.title, source: l.source, present: l.present === 1 })),
      };
    },
    'labels.search': async ({ projectId, query, limit, leafOnly }) => s.projects.get(projectId).labels.search(query, limit, leafOnly),
  };
}
