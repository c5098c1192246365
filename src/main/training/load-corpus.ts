import type { Db } from '../store/db';
import { TrainingCorpusRepo } from '../store/training-corpus-repo';
import { isTuningDoc, type DocSpan, type PlantCorpus, type PlantDoc } from '../plant/pipeline/corpus';

/** The corpus of one training run plus the ids that map model rows back to the project. */
export interface ProjectCorpus {
  corpus: PlantCorpus;
  /** [L] label row id of each model label index. */
  labelIds: number[];
  /** Document row ids of the training documents, in `corpus.train` order. */
  trainDocIds: number[];
  tuningDocIds: number[];
  evaluationDocIds: number[];
}

/** Unlabelled pool text used for Stage 0 and the vocabulary is capped (a seeded-by-id sample). */
export const MAX_UNLABELLED_DOCS = 20_000;

/**
 * Reads a project into a PlantCorpus.
 * - Label space: assignable codes with at least one present assignment in any split (so labels
 *   that appear only in dev are scored: the zero-shot bucket), plus `extraLabelCodes` (e.g. the
 *   previous model's labels, so a retrained model never loses one).
 * - Training documents: the train split and every finished document outside dev/test.
 * - Unlabelled: the rest of the non-evaluation documents (Stage 0 and vocabulary only).
 * - Dev: split into tuning and evaluation halves by the fixed id rule (isTuningDoc).
 * Dev and test text never reaches training, pretraining or the vocabulary. With `recentSince`,
 * documents annotated after that time are marked `recent` (the few-shot loop oversamples them).
 * With `withSpans`, training documents carry their coders' evidence spans (labels outside the
 * label space dropped); dev documents never do.
 */
export function loadProjectCorpus(db: Db, options: { extraLabelCodes?: readonly string[]; recentSince?: string; withSpans?: boolean } = {}): ProjectCorpus {
  const repo = new TrainingCorpusRepo(db);
  const used = repo.labelsInUse();
  const usedCodes = new Set(used.map((u) => u.code));
  const extra = (options.extraLabelCodes ?? []).filter((code) => !usedCodes.has(code));
  if (extra.length) {
    for (const code of extra) {
      const row = repo.labelByCode(code);
      if (row) used.push(row);
    }
    used.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
  const index = new Map(used.map((l, i) => [l.id, i]));
  const labels = used.map((l) => ({ code: l.code, title: l.title, synonyms: JSON.parse(l.synonyms) as string[], ...(l.parent_title ? { parentTitles: [l.parent_title] } : {}) }));

  const recentSince = options.recentSince;
  const toDoc = (d: { id: number; text: string }): PlantDoc => ({
    id: d.id,
    text: d.text,
    labels: repo.presentLabelIds(d.id).map((id) => index.get(id)).filter((i): i is number => i !== undefined),
    ...(recentSince && repo.annotatedAfter(d.id, recentSince) ? { recent: true } : {}),
  });

  const train = repo.trainingDocuments();
  const spansOf = new Map<number, DocSpan[]>();
  if (options.withSpans) {
    for (const r of repo.trainingSpans()) {
      const label = index.get(r.label_id);
      if (label === undefined) continue;
      const list = spansOf.get(r.doc_id) ?? [];
      spansOf.set(r.doc_id, list);
      list.push({ label, start: r.start, end: r.end });
    }
  }
  const toTrainDoc = (d: { id: number; text: string }): PlantDoc => {
    const spans = spansOf.get(d.id);
    return { ...toDoc(d), ...(spans ? { spans } : {}) };
  };
  const pool = repo.unlabelledPoolTexts(MAX_UNLABELLED_DOCS);
  const dev = repo.splitDocuments('dev');
  const tuning = dev.filter((d) => isTuningDoc(d.ext_id));
  const evaluation = dev.filter((d) => !isTuningDoc(d.ext_id));
  return {
    corpus: { labels, train: train.map(toTrainDoc), unlabelled: pool, tuning: tuning.map(toDoc), evaluation: evaluation.map(toDoc) },
    labelIds: used.map((l) => l.id),
    trainDocIds: train.map((d) => d.id),
    tuningDocIds: tuning.map((d) => d.id),
    evaluationDocIds: evaluation.map((d) => d.id),
  };
}
