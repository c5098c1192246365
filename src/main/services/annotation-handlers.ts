import type { AnnotationEvent, AnnotationResult } from '../../shared/contract';
import type { Handlers } from '../core/handlers';
import { AnnotationsRepo } from '../store/annotations-repo';
import type { ProjectStore } from '../store/project-store';
import type { ServiceContext } from './context';

// One repo per open store: the store owns the connection, the repo only its statements.
const repos = new WeakMap<ProjectStore, AnnotationsRepo>();
export function annotationsOf(store: ProjectStore): AnnotationsRepo {
  let repo = repos.get(store);
  if (!repo) repos.set(store, (repo = new AnnotationsRepo(store.db)));
  return repo;
}

/** Undo, redo and every annotation write: state + event in one transaction, then one `projects.changed`. */
export function annotationHandlers(
  s: ServiceContext,
): Pick<Handlers, 'annotations.apply' | 'annotations.setStatus' | 'annotations.undo' | 'annotations.redo' | 'annotations.history'> {
  const answer = (projectId: string, repo: AnnotationsRepo, event: AnnotationEvent | null, docId: number | null): AnnotationResult => {
    if (event) s.events.emit('projects.changed', { projectId, what: 'annotations' });
    const id = event?.docId ?? docId;
    return {
      event,
      document: id === null ? null : { docId: id, status: repo.statusOf(id), labels: repo.labelsOf(id) },
      history: repo.history(),
      statusCounts: repo.statusCounts(),
    };
  };
  /**
   * The project's annotations, once no worker holds the write lock for an import's commit: the
   * write then waits without blocking the host (store/write-gate.ts), not inside SQLite.
   */
  const writable = async (projectId: string): Promise<AnnotationsRepo> => {
    const store = s.projects.get(projectId);
    await store.writes.ready();
    return annotationsOf(store);
  };
  return {
    'annotations.apply': async ({ projectId, docId, labelId, action }) => {
      const repo = await writable(projectId);
      return answer(projectId, repo, repo.apply(docId, labelId, action), docId);
    },
    'annotations.setStatus': async ({ projectId, docId, status }) => {
      const repo = await writable(projectId);
      return answer(projectId, repo, repo.setStatus(docId, status), docId);
    },
    'annotations.undo': async ({ projectId }) => {
      const repo = await writable(projectId);
      return answer(projectId, repo, repo.undo(), null);
    },
    'annotations.redo': async ({ projectId }) => {
      const repo = await writable(projectId);
      return answer(projectId, repo, repo.redo(), null);
    },
    'annotations.history': async ({ projectId, docId, limit }) => {
      const repo = annotationsOf(s.projects.get(projectId));
      return { events: repo.events({ docId, limit }), history: repo.history() };
    },
  };
}
