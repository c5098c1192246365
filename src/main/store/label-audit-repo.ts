import type { Db } from './db';
import { trainingDocsWhere } from './training-docs';

/** A label as the label-errors audit names and describes it. */
export interface AuditLabel {
  id: number;
  code: string;
  title: string;
  synonyms: string[];
}

/** The training documents with their gold labels (label row ids), in id order. */
export interface TrainingSet {
  docIds: number[];
  texts: string[];
  /** [docs] label row ids present on each document. */
  labels: number[][];
  /** Every label present on some training document, by id. */
  catalogue: AuditLabel[];
}

/** The SQL side of the queue's label-errors audit: what it audits, and when that changed. */
export class LabelAuditRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  trainingSet(): TrainingSet {
    const docs = this.#db.prepare(`SELECT d.id, d.text FROM documents d WHERE ${trainingDocsWhere('d')} ORDER BY d.id`).raw().all() as [number, string][];
    const at = new Map(docs.map(([id], i) => [id, i]));
    const labels: number[][] = docs.map(() => []);
    const pairs = this.#db
      .prepare(`SELECT a.doc_id, a.label_id FROM assignments a JOIN documents d ON d.id = a.doc_id WHERE a.present = 1 AND ${trainingDocsWhere('d')} ORDER BY a.doc_id, a.label_id`)
      .raw()
      .all() as [number, number][];
    const used = new Set<number>();
    for (const [doc, label] of pairs) {
      labels[at.get(doc)!]!.push(label);
      used.add(label);
    }
    const ids = [...used].sort((a, b) => a - b);
    const catalogue: AuditLabel[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.#db.prepare(`SELECT id, code, title, synonyms FROM labels WHERE id IN (${chunk.map(() => '?').join(',')}) ORDER BY id`).all(...chunk) as { id: number; code: string; title: string; synonyms: string }[];
      for (const r of rows) catalogue.push({ id: r.id, code: r.code, title: r.title, synonyms: JSON.parse(r.synonyms) as string[] });
    }
    return { docIds: docs.map(([id]) => id), texts: docs.map(([, t]) => t), labels, catalogue };
  }

  /**
   * Changes whenever the training labels do: which documents are training documents and which
   * labels they carry. Order-free sums of a mixed hash per document and per (document, label), so
   * swapping two labels between documents changes it too (a plain sum of ids would not).
   */
  trainingLabelsStamp(): string {
    const docs = this.#db.prepare(`SELECT COUNT(*), COALESCE(SUM((d.id * 2654435761) % 1000000007), 0) FROM documents d WHERE ${trainingDocsWhere('d')}`).raw().get() as [number, number];
    const pairs = this.#db
      .prepare(
        `SELECT COUNT(*), COALESCE(SUM(((((a.doc_id * 2654435761) % 4294967291) + a.label_id) % 4294967291) * (((a.label_id * 40503) % 65521) + 1) % 1000000007), 0)
         FROM assignments a JOIN documents d ON d.id = a.doc_id WHERE a.present = 1 AND ${trainingDocsWhere('d')}`,
      )
      .raw()
      .get() as [number, number];
    return `${docs[0]}.${docs[1]}/${pairs[0]}.${pairs[1]}`;
  }
}
