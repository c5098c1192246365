import { MATCH_END, MATCH_START, type DocStatus, type QueueItem, type QueueProgress } from '../../shared/contract';
import type { Db } from './db';
import { DocumentsRepo, ftsQuery } from './documents-repo';
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
  readonly #documents: DocumentsRepo;
  constructor(db: Db) {
    this.#db = db;
    this.#documents = new DocumentsRepo(db);
  }

  /** Ids of the documents in scope, in import order. */
  ids(scope: Scope): number[] {
    const { sql, params } = scopeSql(scope);
    return this.#db.prepare(`SELECT d.id FROM documents d WHERE ${sql} ORDER BY d.id`).pluck().all(...params) as number[];
  }

  /**
   * The same ids in keyset slices with a turn of the event loop between them (250,000 ids are
   * 80–280 ms in one statement, which an interactive host must not spend at once).
   */
  async idsInSlices(scope: Scope, slice = 25_000): Promise<number[]> {
    // One request asks for the same scope two or three times (the model's scoring, the ranker,
    // `similar`'s anchor): read once per state of the documents (imports, status changes).
    const key = `${JSON.stringify([scope.split, [...scope.statuses].sort(), slice])}|${this.documentCount()}|${this.#maxDocId()}|${this.changeSeq()}`;
    if (this.#scopeIds?.key !== key) {
      const ids = this.#readIdsInSlices(scope, slice);
      this.#scopeIds = { key, ids };
      ids.catch(() => {
        if (this.#scopeIds?.ids === ids) this.#scopeIds = null;
      });
    }
    return (await this.#scopeIds.ids).slice();
  }

  #scopeIds: { key: string; ids: Promise<number[]> } | null = null;

  #maxDocId(): number {
    return this.#db.prepare('SELECT COALESCE(MAX(id), 0) FROM documents').pluck().get() as number;
  }

  async #readIdsInSlices(scope: Scope, slice: number): Promise<number[]> {
    const { sql, params } = scopeSql(scope);
    const next = this.#db.prepare(`SELECT d.id FROM documents d WHERE (${sql}) AND d.id > ? ORDER BY d.id LIMIT ?`).pluck();
    const out: number[] = [];
    for (let after = 0; ; ) {
      const ids = next.all(...params, after, slice) as number[];
      for (const id of ids) out.push(id);
      if (ids.length < slice) return out;
      after = ids[ids.length - 1]!;
      await new Promise((r) => setImmediate(r));
    }
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
    // From the counters the schema keeps (migration 0005): no pass over the split's documents.
    const rows = (
      split === null
        ? this.#db.prepare('SELECT status, SUM(n) AS n FROM doc_counts GROUP BY status').all()
        : this.#db.prepare('SELECT status, n FROM doc_counts WHERE split = ?').all(split)
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

  /** Documents in the scope, from the counters (no pass over the documents). */
  scopeCount(scope: Scope): number {
    const params: (string | number)[] = [...scope.statuses];
    let sql = `SELECT COALESCE(SUM(n), 0) FROM doc_counts WHERE status IN (${scope.statuses.map(() => '?').join(',')})`;
    if (scope.split !== null) {
      sql += ' AND split = ?';
      params.push(scope.split);
    }
    return this.#db.prepare(sql).pluck().get(...params) as number;
  }

  /** A page of the scope in import order, through the (split, status, id) index. */
  scopePage(scope: Scope, offset: number, limit: number): number[] {
    const { sql, params } = scopeSql(scope);
    return this.#db.prepare(`SELECT d.id FROM documents d WHERE ${sql} ORDER BY d.id LIMIT ? OFFSET ?`).pluck().all(...params, limit, offset) as number[];
  }

  /** Which of `ids` are in the scope now. */
  inScope(ids: readonly number[], scope: Scope): Set<number> {
    const out = new Set<number>();
    const { sql, params } = scopeSql(scope);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.#db.prepare(`SELECT d.id FROM documents d WHERE d.id IN (${chunk.map(() => '?').join(',')}) AND ${sql}`).pluck().all(...chunk, ...params) as number[];
      for (const id of rows) out.add(id);
    }
    return out;
  }

  /** Best-match score of one document for a search (−bm25; null when it does not match). */
  searchScore(query: string, docId: number): number | null {
    const fts = ftsQuery(query);
    if (!fts) return null;
    // A range, not `rowid = ?`: with an equality FTS5 returns the row whether or not it matches.
    const rank = this.#db.prepare('SELECT bm25(documents_fts) FROM documents_fts WHERE documents_fts MATCH ? AND rowid >= ? AND rowid <= ?').pluck().get(fts, docId, docId) as number | undefined;
    return rank === undefined ? null : -rank;
  }

  documentCount(): number {
    return this.#db.prepare('SELECT COALESCE(SUM(n), 0) FROM doc_counts').pluck().get() as number;
  }

  /** Texts of the documents whose id is a multiple of `every` (an even sample), after `afterId`. */
  sampleTexts(every: number, afterId: number, limit: number): { id: number; text: string }[] {
    // The ids come from the id-only index: a pass over it reads a few MB, not every text.
    const ids = this.#db
      .prepare('SELECT id FROM documents INDEXED BY documents_ids WHERE id > ? AND id % ? = 0 ORDER BY id LIMIT ?')
      .pluck()
      .all(afterId, every, limit) as number[];
    return this.textsOf(ids);
  }

  textsOf(ids: readonly number[]): { id: number; text: string }[] {
    return this.#documents.textsOf(ids);
  }

  /** The next `limit` documents after `afterId`, for the keyword index (read in slices). */
  textsAfter(afterId: number, limit: number): { id: number; text: string }[] {
    return this.#db.prepare('SELECT id, text FROM documents WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as { id: number; text: string }[];
  }

  /** The newest entry of the change log (0 when empty). */
  changeSeq(): number {
    return (this.#db.prepare('SELECT COALESCE(MAX(seq), 0) FROM doc_changes').pluck().get() as number) ?? 0;
  }

  /**
   * Documents changed by annotation writes after `seq`, oldest first, at most `limit` entries;
   * null when the log no longer reaches back that far (it is pruned) or holds more than `limit`.
   */
  changesSince(seq: number, limit: number): number[] | null {
    const oldest = this.#db.prepare('SELECT MIN(seq) FROM doc_changes').pluck().get() as number | null;
    if (oldest !== null && oldest > seq + 1) return null;
    const rows = this.#db.prepare('SELECT doc_id FROM doc_changes WHERE seq > ? ORDER BY seq LIMIT ?').pluck().all(seq, limit + 1) as number[];
    return rows.length > limit ? null : [...new Set(rows)];
  }

  /** Training documents per label (from the counters), for every label that has any. */
  trainCounts(): Map<number, number> {
    const rows = this.#db.prepare('SELECT label_id, train FROM label_counts WHERE train > 0').raw().all() as [number, number][];
    return new Map(rows);
  }

  /** Current training counts of the given labels (0 for those without a row). */
  trainCountsOf(labelIds: readonly number[]): Map<number, number> {
    const out = new Map<number, number>(labelIds.map((l) => [l, 0]));
    for (let i = 0; i < labelIds.length; i += 500) {
      const chunk = labelIds.slice(i, i + 500);
      const rows = this.#db.prepare(`SELECT label_id, train FROM label_counts WHERE label_id IN (${chunk.map(() => '?').join(',')})`).raw().all(...chunk) as [number, number][];
      for (const [l, n] of rows) out.set(l, n);
    }
    return out;
  }

  /** Labels present on the given documents. */
  labelsOn(docIds: readonly number[]): number[] {
    const out = new Set<number>();
    for (let i = 0; i < docIds.length; i += 500) {
      const chunk = docIds.slice(i, i + 500);
      const rows = this.#db.prepare(`SELECT DISTINCT label_id FROM assignments WHERE doc_id IN (${chunk.map(() => '?').join(',')})`).pluck().all(...chunk) as number[];
      for (const l of rows) out.add(l);
    }
    return [...out];
  }

  /** label id → its positive training documents, for labels with 1–`max` training documents. */
  fewShotPositives(max: number): Map<number, number[]> {
    const rows = this.#db
      .prepare(
        `SELECT a.label_id, a.doc_id FROM label_counts c JOIN assignments a ON a.label_id = c.label_id JOIN documents d ON d.id = a.doc_id
         WHERE c.train BETWEEN 1 AND ? AND a.present = 1 AND ${trainingDocsWhere('d')} ORDER BY a.label_id, a.doc_id`,
      )
      .raw()
      .all(max) as [number, number][];
    const out = new Map<number, number[]>();
    for (const [l, d] of rows) {
      const list = out.get(l);
      if (list) list.push(d);
      else out.set(l, [d]);
    }
    return out;
  }

  /** One label's positive training documents. */
  positivesOf(labelId: number): number[] {
    return this.#db
      .prepare(`SELECT a.doc_id FROM assignments a JOIN documents d ON d.id = a.doc_id WHERE a.label_id = ? AND a.present = 1 AND ${trainingDocsWhere('d')} ORDER BY a.doc_id`)
      .pluck()
      .all(labelId) as number[];
  }

  /** Which of `ids` are training documents now. */
  trainingAmong(ids: readonly number[]): Set<number> {
    const out = new Set<number>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.#db.prepare(`SELECT d.id FROM documents d WHERE d.id IN (${chunk.map(() => '?').join(',')}) AND ${trainingDocsWhere('d')}`).pluck().all(...chunk) as number[];
      for (const id of rows) out.add(id);
    }
    return out;
  }

  /** Ids of the training documents (the imported train split and finished non-evaluation documents). */
  trainingDocIds(): number[] {
    return this.#db.prepare(`SELECT d.id FROM documents d WHERE ${trainingDocsWhere('d')} ORDER BY d.id`).pluck().all() as number[];
  }

  /** Assignable labels (not chapters or blocks) with their descriptions, for keyword seeds, in slices. */
  labelsForSeeds(afterId: number, limit: number): LabelForSeeds[] {
    // NOT INDEXED: through labels_by_kind every slice sorted the rest of the catalogue again (94,000
    // labels read in 700 ms); the rowid range reads them in order (330 ms).
    return this.#db.prepare("SELECT id, code, title, synonyms, kind FROM labels NOT INDEXED WHERE kind = 'code' AND id > ? ORDER BY id LIMIT ?").all(afterId, limit) as LabelForSeeds[];
  }

  label(id: number): LabelForSeeds | undefined {
    return this.#db.prepare('SELECT id, code, title, synonyms, kind FROM labels WHERE id = ?').get(id) as LabelForSeeds | undefined;
  }

  /** Changes whenever documents or labels are imported or removed (the keyword index is rebuilt then). */
  corpusVersion(): string {
    const d = { n: this.documentCount(), m: this.#db.prepare('SELECT COALESCE(MAX(id), 0) FROM documents').pluck().get() as number };
    const l = this.#db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM labels').get() as { n: number; m: number };
    // A catalogue re-import may change titles without adding rows: every import adds a row here.
    const imports = this.#db.prepare('SELECT COUNT(*) FROM imports').pluck().get() as number;
    return `${d.n}.${d.m}/${l.n}.${l.m}/${imports}`;
  }
}
