import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import { EVALUATION_SPLITS, trainingDocsWhere } from './training-docs';

/** A label as a training run reads it: its row, and the title of its parent for the label text. */
export interface CorpusLabelRow {
  id: number;
  code: string;
  title: string;
  /** JSON array of strings. */
  synonyms: string;
  parent_title: string | null;
}

export interface CorpusDocRow {
  id: number;
  ext_id: string;
  text: string;
}

/** An evidence span as a training run reads it (UTF-16 offsets into the document text). */
export interface CorpusSpanRow {
  doc_id: number;
  label_id: number;
  start: number;
  end: number;
}

/** The corpus sizes a training's step budget depends on (the sets `loadProjectCorpus` reads). */
export interface CorpusSetCounts {
  /** Training documents (trainingDocsWhere). */
  train: number;
  /** Every non-training document outside the evaluation splits, before the pool's cap. */
  unlabelled: number;
  dev: number;
}

const LABEL_COLUMNS = 'l.id, l.code, l.title, l.synonyms, p.title AS parent_title FROM labels l LEFT JOIN labels p ON p.code = l.parent_code';
const EVALUATION_LIST = EVALUATION_SPLITS.map((s) => `'${s}'`).join(', ');
/** Non-training documents outside the evaluation splits: the unlabelled pool. */
const POOL_WHERE = `NOT ${trainingDocsWhere('d')} AND d.split NOT IN (${EVALUATION_LIST})`;

/**
 * What a training run and an evaluation read: the label space, the training, pool and dev
 * documents and their gold labels. The statements run once per document are prepared once per
 * repository, so a 250,000-document load does not prepare them 250,000 times.
 */
export class TrainingCorpusRepo {
  readonly #db: Db;
  #labelByCode: Statement | undefined;
  #presentLabelIds: Statement | undefined;
  #annotatedAfter: Statement | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Assignable codes (not chapters or blocks) with at least one present assignment in any split, by code. */
  labelsInUse(): CorpusLabelRow[] {
    return this.#db
      .prepare(
        `SELECT ${LABEL_COLUMNS}
         WHERE l.kind = 'code' AND EXISTS (SELECT 1 FROM assignments a WHERE a.label_id = l.id AND a.present = 1)
         ORDER BY l.code`,
      )
      .all() as CorpusLabelRow[];
  }

  /** Any label by its code (a previous model's label that no document carries any more). */
  labelByCode(code: string): CorpusLabelRow | undefined {
    this.#labelByCode ??= this.#db.prepare(`SELECT ${LABEL_COLUMNS} WHERE l.code = ?`);
    return this.#labelByCode.get(code) as CorpusLabelRow | undefined;
  }

  /** Label ids present on a document (its gold labels), in no particular order. */
  presentLabelIds(docId: number): number[] {
    this.#presentLabelIds ??= this.#db.prepare('SELECT label_id FROM assignments WHERE doc_id = ? AND present = 1').pluck();
    return this.#presentLabelIds.all(docId) as number[];
  }

  /** Whether a coder (not an import) changed one of the document's assignments after `sinceIso`. */
  annotatedAfter(docId: number, sinceIso: string): boolean {
    this.#annotatedAfter ??= this.#db.prepare("SELECT 1 FROM assignments WHERE doc_id = ? AND source != 'imported' AND updated_at > ? LIMIT 1").pluck();
    return this.#annotatedAfter.get(docId, sinceIso) !== undefined;
  }

  /** The training documents (the train split and finished documents outside dev/test), by id. */
  trainingDocuments(): CorpusDocRow[] {
    return this.#db.prepare(`SELECT d.id, d.ext_id, d.text FROM documents d WHERE ${trainingDocsWhere('d')} ORDER BY d.id`).all() as CorpusDocRow[];
  }

  /**
   * Coders' evidence spans on the training documents (never dev or test: those are where the
   * model is measured), by document then offset; the spans feed Stage A' with `spanRelevance`.
   */
  trainingSpans(): CorpusSpanRow[] {
    return this.#db
      .prepare(`SELECT s.doc_id, s.label_id, s.start, s."end" AS "end" FROM evidence_spans s JOIN documents d ON d.id = s.doc_id WHERE ${trainingDocsWhere('d')} ORDER BY s.doc_id, s.start, s."end", s.label_id`)
      .all() as CorpusSpanRow[];
  }

  /** Every document of one split, by id. */
  splitDocuments(split: string): CorpusDocRow[] {
    return this.#db.prepare('SELECT d.id, d.ext_id, d.text FROM documents d WHERE d.split = ? ORDER BY d.id').all(split) as CorpusDocRow[];
  }

  /**
   * Texts of up to `limit` pool documents, a sample fixed by id (a multiplicative hash orders
   * them), so the same project gives the same pool on every run.
   */
  unlabelledPoolTexts(limit: number): string[] {
    return this.#db.prepare(`SELECT d.text FROM documents d WHERE ${POOL_WHERE} ORDER BY (d.id * 2654435761) % 4294967296 LIMIT ?`).pluck().all(limit) as string[];
  }

  counts(): CorpusSetCounts {
    const count = (where: string): number => this.#db.prepare(`SELECT COUNT(*) FROM documents d WHERE ${where}`).pluck().get() as number;
    return { train: count(trainingDocsWhere('d')), unlabelled: count(POOL_WHERE), dev: count("d.split = 'dev'") };
  }

  /** Training documents that carry at least one present label (none means there is nothing to train on). */
  labelledTrainingDocumentCount(): number {
    return this.#db
      .prepare(`SELECT COUNT(DISTINCT d.id) FROM documents d JOIN assignments a ON a.doc_id = d.id AND a.present = 1 WHERE ${trainingDocsWhere('d')}`)
      .pluck()
      .get() as number;
  }
}
