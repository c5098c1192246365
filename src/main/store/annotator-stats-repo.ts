import type { Db } from './db';

/** One live (not undone) event of the annotation log, as the per-annotator panel reads it. */
export interface DecisionRow {
  who: string | null;
  docId: number;
  action: string;
  score: number | null;
  batchId: number | null;
  createdAt: string;
}

/** The reads behind `annotator.stats` (services/annotator-stats.ts does the arithmetic). */
export class AnnotatorStatsRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Every live decision in log order, streamed (the log of a large project is not held at once). */
  decisions(): IterableIterator<DecisionRow> {
    return this.#db
      .prepare(
        `SELECT who, doc_id AS docId, action, score, batch_id AS batchId, created_at AS createdAt
         FROM annotation_events WHERE undone = 0 ORDER BY id`,
      )
      .iterate() as IterableIterator<DecisionRow>;
  }

  /**
   * Documents now done, by who marked them done last (the newest live status event of each
   * document). Documents imported as done have no such event and count for nobody.
   */
  doneByAnnotator(): Map<string | null, number> {
    const rows = this.#db
      .prepare(
        `SELECT e.who, COUNT(*) AS n FROM documents d
         JOIN annotation_events e ON e.id = (
           SELECT MAX(x.id) FROM annotation_events x WHERE x.doc_id = d.id AND x.action = 'status' AND x.undone = 0)
         WHERE d.status = 'done' AND json_extract(e.after_state, '$.status') = 'done'
         GROUP BY e.who`,
      )
      .all() as { who: string | null; n: number }[];
    return new Map(rows.map((r) => [r.who, r.n]));
  }
}
