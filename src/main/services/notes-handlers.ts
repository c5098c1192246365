import { PlanterError } from '../../shared/errors';
import type { Handlers } from '../core/handlers';
import { NotesRepo } from '../store/notes-repo';
import type { ProjectStore } from '../store/project-store';
import type { ServiceContext } from './context';

// One repo per open store: the store owns the connection, the repo only its statements.
const repos = new WeakMap<ProjectStore, NotesRepo>();
export function notesOf(store: ProjectStore): NotesRepo {
  let repo = repos.get(store);
  if (!repo) repos.set(store, (repo = new NotesRepo(store.db)));
  return repo;
}

/**
 * Notes and guidelines. A note change is deliberately not in the annotation log, so `u` never
 * reverts one: the log holds the coder's label and status decisions, which retraining and the
 * audit trail read, and a note is saved while typing (debounced), so its saves would bury those
 * decisions under keystroke-sized steps. While a note is being edited the text field's own undo
 * (Ctrl+Z) works; an old note can be seen and retyped, a lost label decision could not.
 * Writes emit no `projects.changed`: nothing a view counts or ranks depends on notes.
 */
export function notesHandlers(s: ServiceContext): Pick<Handlers, 'notes.get' | 'notes.set' | 'notes.search' | 'guidelines.get' | 'guidelines.set'> {
  /** The store once no worker holds the write lock for an import's commit (store/write-gate.ts). */
  const writable = async (projectId: string): Promise<ProjectStore> => {
    const store = s.projects.get(projectId);
    await store.writes.ready();
    return store;
  };
  const documentOf = (store: ProjectStore, projectId: string, docId: number): void => {
    if (!store.documents.get(docId)) throw new PlanterError('not-found', `no document ${docId} in project ${projectId}`, { field: 'docId' });
  };
  return {
    'notes.get': async ({ projectId, docId }) => {
      const store = s.projects.get(projectId);
      documentOf(store, projectId, docId);
      return { docId, notes: notesOf(store).ofDocument(docId) };
    },
    'notes.set': async ({ projectId, docId, labelId, text }) => {
      const store = await writable(projectId);
      documentOf(store, projectId, docId);
      if (labelId !== undefined && !store.labels.get(labelId)) throw new PlanterError('not-found', `no label ${labelId} in project ${projectId}`, { field: 'labelId' });
      return { docId, labelId: labelId ?? null, note: notesOf(store).set(docId, labelId ?? null, text) };
    },
    'notes.search': async ({ projectId, query, limit }) => notesOf(s.projects.get(projectId)).search(query, limit),
    'guidelines.get': async ({ projectId }) => notesOf(s.projects.get(projectId)).guidelines(),
    'guidelines.set': async ({ projectId, text }) => notesOf(await writable(projectId)).setGuidelines(text),
  };
}
