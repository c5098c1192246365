import type { LabelEvalRow } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import { readableEvidence, readableTerms } from '../../shared/text/evidence-filter';
import type { Handlers } from '../core/handlers';
import { EvaluationStream } from '../eval/streaming';
import { CalibrationSums } from '../fusion/calibration';
import { exportBundle } from '../plant/pipeline/bundle';
import { isTuningDoc } from '../plant/pipeline/corpus';
import { thresholdOf } from '../plant/pipeline/model';
import type { ProjectStore } from '../store/project-store';
import type { ServiceContext } from './context';
import { exportTarget, shownPath } from './export-handlers';
import { privatiseTree } from '../store/private-files';
import type { LoadedModel } from './model-cache';
import { textHash } from '../lexical/retrain';
import type { SimilarDocument } from '../lexical/neighbours';

function docText(store: ProjectStore, docId: number): string {
  const row = store.documents.get(docId);
  if (!row) throw new PlanterError('not-found', `no document ${docId}`);
  return row.text;
}

/** Characters of a similar document shown beside a suggestion: enough to recognise the case. */
const EXCERPT_CHARS = 90;

export function excerptOf(text: string, chars = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= chars) return flat;
  const cut = flat.lastIndexOf(' ', chars);
  return `${flat.slice(0, cut > chars / 2 ? cut : chars)}…`;
}

/**
 * The model's similar documents that still exist, read as they did when it was trained and still
 * carry the label: a deleted, edited or recoded document is not evidence any more, and the
 * document itself never is.
 */
function similarStillCoded(store: ProjectStore, docId: number, labelId: number, similar: readonly SimilarDocument[]): { docId: number; similarity: number; excerpt: string }[] {
  const out: { docId: number; similarity: number; excerpt: string }[] = [];
  for (const d of similar) {
    if (d.docId === null || d.docId === docId || !store.documents.carries(d.docId, labelId)) continue;
    const row = store.documents.get(d.docId);
    if (!row || (d.hash !== null && textHash(row.text) !== d.hash)) continue;
    out.push({ docId: d.docId, similarity: Math.max(0, Math.min(1, d.similarity)), excerpt: excerptOf(row.text) });
  }
  return out;
}

type EvaluationOutput = Exclude<Awaited<ReturnType<Handlers['evaluation.report']>>, { modelId: null }>;

/** Evaluation results per project, model and split: computing them scores every document once. */
const evaluations = new Map<string, Promise<EvaluationOutput>>();

/** Documents scored per step of a streamed evaluation: one page of the split, one call of the predictor. */
const EVALUATION_PAGE = 256;

async function evaluateModel(store: ProjectStore, loaded: LoadedModel, split: string): Promise<EvaluationOutput> {
  const m = loaded.model;
  const stream = new EvaluationStream({
    numLabels: m.labels.length,
    trainFreq: m.trainFreq,
    numTrainDocs: m.numTrainDocs,
    thresholds: m.labelThresholds ? { global: m.threshold, perLabel: Float64Array.from(m.labelThresholds) } : { global: m.threshold },
  });
  // Only fused and lexical models output probabilities; an attention model's sigmoid scores are not calibrated.
  const calibrationSums = m.serves === 'attention' ? null : new CalibrationSums();
  // Streamed a page at a time (issue #15): memory holds one page and the metrics' sums, not [N × L] scores.
  for (const page of store.documents.splitPages(split, EVALUATION_PAGE)) {
    // On dev only the evaluation half counts: the tuning half chose the threshold.
    const evaluated = split === 'dev' ? page.filter((d) => !isTuningDoc(d.extId)) : page;
    if (evaluated.length === 0) continue;
    const gold = evaluated.map((d) => d.labelIds.map((id) => loaded.indexOfLabel.get(id)).filter((i): i is number => i !== undefined));
    const rows = await loaded.predictor.scoreDocs(evaluated.map((d) => d.text));
    stream.add(rows, gold);
    if (calibrationSums) rows.forEach((row, i) => calibrationSums.addDocument(row, new Set(gold[i]), 15));
  }
  if (stream.documents === 0) throw new PlanterError('not-found', `the split "${split}" has no documents to evaluate`);
  const detailed = stream.finish();
  const perLabel: LabelEvalRow[] = [];
  for (const row of detailed.perLabel) {
    const labelId = loaded.labelIds[row.label];
    if (labelId === null || labelId === undefined || (row.support === 0 && row.tp + row.fp === 0)) continue;
    perLabel.push({
      labelId,
      code: m.labels[row.label]!.code,
      title: m.labels[row.label]!.title,
      trainCount: row.trainFreq,
      support: row.support,
      tp: row.tp,
      fp: row.fp,
      fn: row.fn,
      precision: row.precision,
      recall: row.recall,
      f1: row.f1,
    });
  }
  const neverPredicted = detailed.neverPredicted
    .filter((l) => (detailed.perLabel[l]?.support ?? 0) > 0)
    .map((l) => loaded.labelIds[l])
    .filter((id): id is number => id !== null && id !== undefined);
  const calibration = calibrationSums ? calibrationSums.result() : null;
  return { modelId: loaded.id, split, documents: detailed.documents, report: detailed.report as EvaluationOutput['report'], perLabel, neverPredicted, threshold: m.threshold, serves: m.serves, calibration, aucExact: detailed.aucExact };
}

export function modelHandlers(s: ServiceContext): Pick<Handlers, 'suggestions.get' | 'models.predict' | 'evidence.get' | 'evaluation.report' | 'exports.model'> {
  return {
    'suggestions.get': async ({ projectId, docId, top }) => {
      const store = s.projects.get(projectId);
      return s.models.use(projectId, store, undefined, async (loaded) => {
      const text = docText(store, docId);
      if (!loaded) return { modelId: null, labels: [] };
      const best = await loaded.predictor.top(text, Math.min(top * 2, loaded.model.labels.length));
      const items = best.filter((b) => loaded.labelIds[b.label] !== null).slice(0, top);
      const ids = items.map((b) => loaded.labelIds[b.label]!);
      const counts = store.labels.trainCounts(ids);
      return {
        modelId: loaded.id,
        labels: items.map((b, i) => ({
          labelId: ids[i]!,
          code: loaded.model.labels[b.label]!.code,
          title: loaded.model.labels[b.label]!.title,
          score: Math.max(0, Math.min(1, b.score)),
          assigned: b.score >= thresholdOf(loaded.model, b.label),
          trainCount: counts.get(ids[i]!) ?? 0,
        })),
      };
      });
    },
    'models.predict': async ({ projectId, texts, top, evidence }) => {
      const store = s.projects.get(projectId);
      return s.models.use(projectId, store, undefined, async (loaded) => {
        if (!loaded) return { modelId: null, noModel: 'the project has no trained model yet: train one first' };
        const predictions = [];
        for (const text of texts) {
          const best = await loaded.predictor.top(text, top);
          const explained = evidence !== undefined ? await loaded.predictor.explain(text, best.map((b) => b.label), evidence) : null;
          const labels = best.map((b, i) => ({
            code: loaded.model.labels[b.label]!.code,
            score: b.score,
            assigned: b.score >= thresholdOf(loaded.model, b.label),
            ...(explained ? { spans: readableEvidence(text, explained[i]!.spans), terms: readableTerms(explained[i]!.terms).map((t) => ({ text: t.text, weight: t.weight })) } : {}),
          }));
          predictions.push({ labels });
        }
        return { modelId: loaded.id, predictions };
      });
    },
    'evidence.get': async ({ projectId, docId, labelIds, k }) => {
      const store = s.projects.get(projectId);
      return s.models.use(projectId, store, undefined, async (loaded) => {
      const text = docText(store, docId);
      if (!loaded) return { modelId: null, labels: [] };
      const known = labelIds.filter((id) => loaded.indexOfLabel.has(id));
      const explained = known.length ? await loaded.predictor.explain(text, known.map((id) => loaded.indexOfLabel.get(id)!), k) : [];
      // Only words a coder can read as evidence leave for the UI (no stop-words, numbers, punctuation).
      return {
        modelId: loaded.id,
        labels: explained.map((e, i) => ({ labelId: known[i]!, score: Math.max(0, Math.min(1, e.score)), spans: readableEvidence(text, e.spans), terms: readableTerms(e.terms), similar: similarStillCoded(store, docId, known[i]!, e.similar) })),
      };
      });
    },
    'evaluation.report': async ({ projectId, modelId, split }) => {
      const store = s.projects.get(projectId);
      const lease = await s.models.lease(projectId, store, modelId);
      if (!lease && modelId === undefined) return { modelId: null, split, noModel: 'there is no model to evaluate yet: train one first' };
      if (!lease) throw new PlanterError('not-found', `there is no model #${modelId} in this project`);
      const key = `${projectId}#${lease.loaded.id}#${split}`;
      let result = evaluations.get(key);
      if (!result) {
        result = evaluateModel(store, lease.loaded, split).finally(() => lease.release());
        evaluations.set(key, result);
        result.catch(() => evaluations.delete(key));
      } else lease.release();
      return result;
    },
    'exports.model': async ({ projectId, modelId, destination }, ctx) => {
      const store = s.projects.get(projectId);
      const target = exportTarget(store, destination, ctx, '');
      // The bundle is written from the model's files in memory; no predictor is needed past this point.
      const loaded = await s.models.use(projectId, store, modelId, async (m) => m);
      if (!loaded) throw new PlanterError('not-found', 'there is no model to export yet: train one first');
      const jobId = s.jobs.start('export', projectId, async (job) => {
        job.progress({ phase: 'writing model bundle', done: 0, total: 4, unit: 'files' });
        const files = exportBundle(loaded.model, target, { projectName: store.getMeta('name') ?? projectId });
        privatiseTree(target);
        job.progress({ phase: 'writing model bundle', done: 4, total: 4, unit: 'files' });
        const shown = shownPath(store, destination, target);
        return { path: shown, files: files.map((f) => `${shown}/${f.slice(target.length + 1)}`), modelId: loaded.id };
      });
      return { jobId };
    },
  };
}
