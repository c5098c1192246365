import { MATCH_END, MATCH_START, type DocStatus, type QueueItem, type QueueProgress } from '../../shared/contract';
import type { Db } from './db';
import { ftsQuery } from './documents-repo';
import { trainingDocsWhere } from './training-docs';

const SNIPPET_CHARS = 160;

export interface Scope {
  /** null = every split. */
  split: string | null;
  statuses: readonly DocStatus[];
}

export interface LabelForSeeds {
  id: number;
  code: string;
  title: string;
  synonyms: string;
  kind: 'code' | 'category';
}

function scopeSql(scope: Scope, alias = 'd'): { sql: string; params: (string | number)[] } {
  const parts = [`${alias}.status IN (${scope.statuses.map(() => '?').join(',')})`];
  const params: (string | number)[] = [...scope.statuses];
  if (scope.split !== null) {
    parts.push(`${alias}.split = ?`);
    params.push(scope.split);
  }
  return { sql: parts.join(' AND '), params };
}

/** The SQL side of the annotation queue: which documents are in scope, their list items, progress. */
export class QueueRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Ids of the documents in scope, in import order. */
  ids(scope: Scope): number[] {
    const { sql, params } = scopeSql(scope);
    return this.#db.prepare(`SELECT d.id FROM documents d WHERE ${sql} ORDER BY d.id`).pluck().all(...params) as number[];
  }

  /** List items for `ids`, in the order given (unknown ids are skipped). */
  items(ids: readonly number[]): Omit<QueueItem, 'score' | 'reason'>[] {
    if (ids.length === 0) return [];
    const rows = this.#db
      .prepare(
        `SELECT d.id, d.ext_id, d.split, d.status, substr(d.text, 1, ${SNIPPET_CHARS}) AS snippet,
                (SELECT COUNT(*) FROM assignments a WHERE a.doc_id = d.id AND a.present = 1) AS label_count
         FROM documents d WHERE d.id IN (${ids.map(() => '?').join(',')})`,
      )
      .all(...ids) as { id: number; ext_id: string; split: string; status: DocStatus; snippet: string; label_count: number }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ docId: r.id, extId: r.ext_id, split: r.split, status: r.status, snippet: r.snippet.replace(/\s+/g, ' ').trim(), labelCount: r.label_count }] : [];
    });
  }

  progress(split: string | null): QueueProgress {
    const rows = (
      split === null
        ? this.#db.prepare('SELECT status, COUNT(*) AS n FROM documents GROUP BY status').all()
        : this.#db.prepare('SELECT status, COUNT(*) AS n FROM documents WHERE split = ? GROUP BY status').all(split)
    ) as { status: DocStatus; n: number }[];
    const out: QueueProgress = { split, total: 0, pending: 0, done: 0, skipped: 0, review: 0 };
    for (const r of rows) {
      out[r.status] = r.n;
      out.total += r.n;
    }
    return out;
  }

  /** Full-text search inside the scope, best bm25 first, with a short highlighted excerpt. */
  search(query: string, scope: Scope): { id: number; rank: number; excerpt: string }[] {
    const fts = ftsQuery(query);
    if (!fts) return [];
    const { sql, params } = scopeSql(scope);
    return this.#db
      .prepare(
        `SELECT d.id, bm25(documents_fts) AS rank, snippet(documents_fts, 0, '${MATCH_START}', '${MATCH_END}', '…', 8) AS excerpt
         FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
         WHERE documents_fts MATCH ? AND ${sql} ORDER BY rank LIMIT 2000`,
      )
      .all(fts, ...params) as { id: number; rank: number; excerpt: string }[];
  }

  /** Every document's text, for the keyword index (read once per change of the corpus). */
  texts(): { id: number; text: string }[] {
    return this.#db.prepare('SELECT id, text FROM documents ORDER BY id').all() as { id: number; text: string }[];
  }

  /** Ids of the training documents (the imported train split and finished non-evaluation documents). */
  trainingDocIds(): number[] {
    return this.#db.prepare(`SELECT d.id FROM documents d WHERE ${trainingDocsWhere('d')} ORDER BY d.id`).pluck().all() as number[];
  }

  /** label id → its positive training documents. */
  trainingPositives(): Map<number, number[]> {
    const rows = this.#db
      .prepare(
        `SELECT a.label_id AS l, a.doc_id AS d FROM assignments a JOIN documents d ON d.id = a.doc_id
         WHERE a.present = 1 AND ${trainingDocsWhere('d')} ORDER BY a.label_id, a.doc_id`,
      )
      .all() as { l: number; d: number }[];
    const out = new Map<number, number[]>();
    for (const r of rows) {
      const list = out.get(r.l);
      if (list) list.push(r.d);
      else out.set(r.l, [r.d]);
    }
    return out;
  }

  /** Assignable labels (not chapters or blocks) with their descriptions, for keyword seeds. */
  labelsForSeeds(): LabelForSeeds[] {
    return this.#db.prepare("SELECT id, code, title, synonyms, kind FROM labels WHERE kind = 'code' ORDER BY id").all() as LabelForSeeds[];
  }

  label(id: number): LabelForSeeds | undefined {
    return this.#db.prepare('SELECT id, code, title, synonyms, kind FROM labels WHERE id = ?').get(id) as LabelForSeeds | undefined;
  }

  /** Changes whenever documents or labels are imported or removed (the keyword index is rebuilt then). */
  corpusVersion(): string {
    const d = this.#db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM documents').get() as { n: number; m: number };
    const l = this.#db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM labels').get() as { n: number; m: number };
    // A catalogue re-import may change titles without adding rows: every import adds a row here.
    const imports = this.#db.prepare('SELECT COUNT(*) FROM imports').pluck().get() as number;
    return `${d.n}.${d.m}/${l.n}.${l.m}/${imports}`;
  }
}
