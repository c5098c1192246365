import type { SpanAgreement } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import { readableEvidence, readableTerms } from '../../shared/text/evidence-filter';
import { documentCases, evidenceAgreement, type EvidenceCase, type Range } from '../eval/evidence-agreement';
import type { ProjectStore } from '../store/project-store';
import { annotationsOf } from './annotation-handlers';
import type { ServiceContext } from './context';
import type { LoadedModel } from './model-cache';
import { spansOf } from './span-handlers';

/**
 * The model's top evidence for some labels of one text, the way `evidence.get` shows it to a
 * coder: the readable attended tokens and the places of the readable lexical terms.
 */
async function modelEvidence(loaded: LoadedModel, text: string, labelIds: readonly number[], evidenceK: number): Promise<Map<number, Range[]>> {
  const known = labelIds.filter((id) => loaded.indexOfLabel.has(id));
  const explained = known.length ? await loaded.predictor.explain(text, known.map((id) => loaded.indexOfLabel.get(id)!), evidenceK) : [];
  return new Map(explained.map((e, i) => [known[i]!, [...readableEvidence(text, e.spans), ...readableTerms(e.terms).flatMap((t) => t.spans)]]));
}

/** Evidence agreement of one model on one split's documents that have coder spans. */
export async function spanAgreement(s: ServiceContext, projectId: string, input: { split: string; modelId?: number | undefined; k: number; evidenceK: number }): Promise<SpanAgreement> {
  const store: ProjectStore = s.projects.get(projectId);
  const base = { split: input.split, k: input.k, evidenceK: input.evidenceK };
  const docIds = spansOf(store).documentsWithSpans(input.split);
  const lease = await s.models.lease(projectId, store, input.modelId);
  if (!lease && input.modelId === undefined) {
    return { ...base, modelId: null, documents: docIds.length, ...evidenceAgreement([]), noModel: 'there is no model to evaluate yet: train one first' };
  }
  if (!lease) throw new PlanterError('not-found', `there is no model #${input.modelId} in this project`);
  try {
    const loaded = lease.loaded;
    const cases: EvidenceCase[] = [];
    for (const docId of docIds) {
      const doc = store.documents.get(docId);
      if (!doc) continue;
      const gold = new Set(annotationsOf(store).labelsOf(docId).filter((l) => l.present).map((l) => l.labelId));
      const coder = new Map<number, Range[]>();
      for (const sp of spansOf(store).ofDocument(docId)) coder.set(sp.labelId, [...(coder.get(sp.labelId) ?? []), { start: sp.start, end: sp.end }]);
      const best = await loaded.predictor.top(doc.text, Math.min(input.k * 2, loaded.model.labels.length));
      const topK = best
        .map((b) => loaded.labelIds[b.label])
        .filter((id): id is number => id !== null && id !== undefined)
        .slice(0, input.k);
      cases.push(...(await documentCases(docId, gold, coder, topK, (ids) => modelEvidence(loaded, doc.text, ids, input.evidenceK))));
    }
    return { ...base, modelId: loaded.id, documents: docIds.length, ...evidenceAgreement(cases) };
  } finally {
    lease.release();
  }
}
