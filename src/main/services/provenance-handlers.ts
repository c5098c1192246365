import type { BulkResult } from '../../shared/contract';
import type { Handlers } from '../core/handlers';
import type { AnnotationsRepo, BatchOutcome } from '../store/annotations-repo';
import { AnnotatorStatsRepo } from '../store/annotator-stats-repo';
import { annotationsOf } from './annotation-handlers';
import { annotatorStats, BREAK_SECONDS } from './annotator-stats';
import type { ServiceContext } from './context';

/**
 * Issue #17: the annotator's name, the per-annotator panel, and the bulk actions (each one batch
 * of the annotation log, so one undo step takes it back).
 */
export function provenanceHandlers(
  s: ServiceContext,
): Pick<Handlers, 'annotator.get' | 'annotator.set' | 'annotator.stats' | 'annotations.applyMany' | 'annotations.setStatusMany'> {
  const writable = async (projectId: string): Promise<AnnotationsRepo> => {
    const store = s.projects.get(projectId);
    await store.writes.ready();
    return annotationsOf(store);
  };
  const answer = (projectId: string, repo: AnnotationsRepo, outcome: BatchOutcome): BulkResult => {
    if (outcome.changed > 0) s.events.emit('projects.changed', { projectId, what: 'annotations' });
    return { ...outcome, history: repo.history(), statusCounts: repo.statusCounts() };
  };
  return {
    'annotator.get': async () => ({ name: s.annotator.name() }),
    'annotator.set': async ({ name }) => ({ name: s.annotator.setName(name) }),
    'annotator.stats': async ({ projectId }) => {
      const repo = new AnnotatorStatsRepo(s.projects.get(projectId).db);
      return { annotators: annotatorStats(repo.decisions(), repo.doneByAnnotator()), breakSeconds: BREAK_SECONDS };
    },
    'annotations.applyMany': async ({ projectId, items }) => {
      const repo = await writable(projectId);
      return answer(projectId, repo, repo.applyMany(items, s.annotator.name()));
    },
    'annotations.setStatusMany': async ({ projectId, status, scope }) => {
      const repo = await writable(projectId);
      const docIds = 'docIds' in scope ? scope.docIds : repo.scopeDocIds(scope.split, scope.statuses, status);
      return answer(projectId, repo, repo.setStatusMany(docIds, status, s.annotator.name()));
    },
  };
}
