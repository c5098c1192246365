import type { Db } from '../store/db';
import { EVALUATION_SPLITS, trainingDocsWhere } from '../store/training-docs';
import { isTuningDoc, type PlantCorpus, type PlantDoc } from '../plant/pipeline/corpus';

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
 */
export function loadProjectCorpus(db: Db, options: { extraLabelCodes?: readonly string[]; recentSince?: string } = {}): ProjectCorpus {
  const used = db
    .prepare(
      `SELECT l.id, l.code, l.title, l.synonyms, p.title AS parent_title FROM labels l
       LEFT JOIN labels p ON p.code = l.parent_code
       WHERE l.kind = 'code' AND EXISTS (SELECT 1 FROM assignments a WHERE a.label_id = l.id AND a.present = 1)
       ORDER BY l.code`,
    )
    .all() as { id: number; code: string; title: string; synonyms: string; parent_title: string | null }[];
  const usedCodes = new Set(used.map((u) => u.code));
  const extra = (options.extraLabelCodes ?? []).filter((code) => !usedCodes.has(code));
  if (extra.length) {
    const get = db.prepare('SELECT l.id, l.code, l.title, l.synonyms, p.title AS parent_title FROM labels l LEFT JOIN labels p ON p.code = l.parent_code WHERE l.code = ?');
    for (const code of extra) {
      const row = get.get(code) as (typeof used)[number] | undefined;
      if (row) used.push(row);
    }
    used.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
  const index = new Map(used.map((l, i) => [l.id, i]));
  const labels = used.map((l) => ({ code: l.code, title: l.title, synonyms: JSON.parse(l.synonyms) as string[], ...(l.parent_title ? { parentTitles: [l.parent_title] } : {}) }));

  const labelsOf = db.prepare('SELECT label_id FROM assignments WHERE doc_id = ? AND present = 1').pluck();
  const docs = (where: string): { id: number; ext_id: string; text: string }[] =>
    db.prepare(`SELECT d.id, d.ext_id, d.text FROM documents d WHERE ${where} ORDER BY d.id`).all() as { id: number; ext_id: string; text: string }[];
  const recent = db.prepare('SELECT 1 FROM assignments WHERE doc_id = ? AND source != ? AND updated_at > ? LIMIT 1').pluck();
  const toDoc = (d: { id: number; text: string }): PlantDoc => ({
    text: d.text,
    labels: (labelsOf.all(d.id) as number[]).map((id) => index.get(id)).filter((i): i is number => i !== undefined),
    ...(options.recentSince && recent.get(d.id, 'imported', options.recentSince) ? { recent: true } : {}),
  });

  const train = docs(trainingDocsWhere('d'));
  const evalList = EVALUATION_SPLITS.map((s) => `'${s}'`).join(', ');
  const pool = db
    .prepare(`SELECT d.text FROM documents d WHERE NOT ${trainingDocsWhere('d')} AND d.split NOT IN (${evalList}) ORDER BY (d.id * 2654435761) % 4294967296 LIMIT ?`)
    .pluck()
    .all(MAX_UNLABELLED_DOCS) as string[];
  const dev = docs("d.split = 'dev'");
  const tuning = dev.filter((d) => isTuningDoc(d.ext_id));
  const evaluation = dev.filter((d) => !isTuningDoc(d.ext_id));
  return {
    corpus: { labels, train: train.map(toDoc), unlabelled: pool, tuning: tuning.map(toDoc), evaluation: evaluation.map(toDoc) },
    labelIds: used.map((l) => l.id),
    trainDocIds: train.map((d) => d.id),
    tuningDocIds: tuning.map((d) => d.id),
    evaluationDocIds: evaluation.map((d) => d.id),
  };
}
