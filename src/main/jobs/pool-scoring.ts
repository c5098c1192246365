/**
 * Scores documents with a stored model and keeps only the queue's summary of each (its best
 * labels and its uncertainty). Run in the store worker by the built app and `planter serve`: the
 * pool of a 250,000-document project is minutes of forward passes, and on the host thread it
 * starved every request and the keyword index behind it (issue #15, bench:scale).
 */
import { summarise, type DocScores } from '../eval/doc-summary';
import { readModelDir } from '../plant/pipeline/model-files';
import { predictorParts, TextPredictor } from '../plant/pipeline/predict';
import { Vocabulary } from '../plant/text/vocabulary';
import type { Db } from '../store/db';
import { DocumentsRepo } from '../store/documents-repo';

export interface ScoreWork {
  kind: 'score';
  dbFile: string;
  /** The model's folder. */
  modelDir: string;
  docIds: number[];
}

export type ScoredDoc = DocScores & { docId: number };

/** Documents per forward pass: small, so cancelling and progress stay prompt. */
const BATCH = 16;

export async function scoreDocuments(
  db: Db,
  work: ScoreWork,
  signal: { readonly aborted: boolean },
  onBatch: (done: number, total: number, scored: ScoredDoc[]) => void,
): Promise<{ scored: number }> {
  const model = await readModelDir(work.modelDir);
  const predictor = await TextPredictor.create(predictorParts(model, Vocabulary.fromJSON(model.vocabulary)));
  const thresholds = model.labelThresholds ?? model.threshold;
  const docs = new DocumentsRepo(db);
  let done = 0;
  try {
    for (let i = 0; i < work.docIds.length && !signal.aborted; i += BATCH) {
      const rows = docs.textsOf(work.docIds.slice(i, i + BATCH));
      const out = await predictor.scoreTexts(rows.map((r) => r.text));
      const scored = rows.map((r, j): ScoredDoc => ({ docId: r.id, ...summarise(out[j]!, thresholds) }));
      done = Math.min(work.docIds.length, i + BATCH);
      onBatch(done, work.docIds.length, scored);
    }
    return { scored: done };
  } finally {
    await predictor.dispose();
  }
}
