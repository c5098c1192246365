import type { CoderSpan, SpanResult } from '../../shared/contract';
import type { Handlers } from '../core/handlers';
import { readEvidenceFile } from '../importers/codiesp-spans';
import type { ProjectStore } from '../store/project-store';
import { SpansRepo } from '../store/spans-repo';
import { annotationsOf } from './annotation-handlers';
import type { ServiceContext } from './context';
import { sourceFile } from './import-handlers';
import { storeEvidence } from './span-import';
import { spanAgreement } from './span-agreement';

const repos = new WeakMap<ProjectStore, SpansRepo>();
export function spansOf(store: ProjectStore): SpansRepo {
  let repo = repos.get(store);
  if (!repo) repos.set(store, (repo = new SpansRepo(store.db)));
  return repo;
}

/** Evidence spans: list, the annotator's undoable writes, and the CodiEsp-X import. */
export function spanHandlers(s: ServiceContext): Pick<Handlers, 'spans.list' | 'spans.add' | 'spans.update' | 'spans.delete' | 'spans.import' | 'spans.agreement'> {
  const writable = async (projectId: string): Promise<ProjectStore> => {
    const store = s.projects.get(projectId);
    await store.writes.ready();
    return store;
  };
  const answer = (projectId: string, store: ProjectStore, docId: number, written: { span: CoderSpan } | null): SpanResult => {
    if (written) s.events.emit('projects.changed', { projectId, what: 'annotations' });
    return { changed: written !== null, span: written?.span ?? null, docId, spans: spansOf(store).ofDocument(docId), history: annotationsOf(store).history() };
  };
  return {
    'spans.list': async ({ projectId, docId }) => ({ spans: spansOf(s.projects.get(projectId)).ofDocument(docId) }),
    'spans.add': async ({ projectId, docId, labelId, start, end }) => {
      const store = await writable(projectId);
      return answer(projectId, store, docId, spansOf(store).add(docId, labelId, start, end));
    },
    'spans.update': async ({ projectId, spanId, labelId, start, end }) => {
      const store = await writable(projectId);
      const repo = spansOf(store);
      const written = repo.update(spanId, { labelId, start, end });
      return answer(projectId, store, written?.span.docId ?? repo.get(spanId)!.docId, written);
    },
    'spans.delete': async ({ projectId, spanId }) => {
      const store = await writable(projectId);
      const written = spansOf(store).delete(spanId);
      return answer(projectId, store, written.span.docId, written);
    },
    'spans.agreement': async ({ projectId, split, modelId, k, evidenceK }) => spanAgreement(s, projectId, { split, modelId, k, evidenceK }),
    'spans.import': async ({ projectId, source }, ctx) => {
      const store = await writable(projectId);
      const file = sourceFile(s, projectId, source, ctx);
      const rows = await readEvidenceFile(file.path, file.displayName);
      await store.writes.ready();
      const result = storeEvidence(store, rows, file.displayName);
      if (result.imported) s.events.emit('projects.changed', { projectId, what: 'annotations' });
      return result;
    },
  };
}
