import type { DocStatus, DocumentListItem } from '../../shared/contract';
import type { Db } from './db';
import { nowIso } from './db';

export interface DocumentRow {
  id: number;
  ext_id: string;
  text: string;
  split: string;
  metadata: string;
  status: DocStatus;
}

export interface ListFilter {
  split?: string | undefined;
  status?: DocStatus | undefined;
  query?: string | undefined;
  /** Keyset cursor: only documents with a larger id (the last id of the previous page). */
  after?: number | undefined;
  offset: number;
  limit: number;
}

interface ListRow {
  id: number;
  ext_id: string;
  split: string;
  status: DocStatus;
  snippet: string;
  label_count: number;
}

const SNIPPET_CHARS = 160;
const LIST_COLUMNS = `d.id, d.ext_id, d.split, d.status, substr(d.text, 1, ${SNIPPET_CHARS}) AS snippet,
  (SELECT COUNT(*) FROM assignments a WHERE a.doc_id = d.id AND a.present = 1) AS label_count`;

/** Turns free text into an FTS5 query of quoted prefix terms, so user input can never be FTS syntax. */
export function ftsQuery(text: string): string | null {
  const terms = text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  if (!terms || terms.length === 0) return null;
  return terms
    .slice(0, 12)
    .map((t) => `"${t}"*`)
    .join(' AND ');
}

/**
 * Counting a full-text match: the triggers keep one index row per document, so without a filter
 * the index alone counts (20 ms for a word in 222,000 of 250,000 documents; joining each match to
 * its row read past the text to no use, 100 ms). A split or status filter is checked in the
 * covering index on those columns, not in the row (142 instead of 208 ms).
 */
function ftsCountSql(filter: { split?: string | null | undefined; status?: string | null | undefined }): string {
  if (!filter.split && !filter.status) return 'SELECT COUNT(*) FROM documents_fts f WHERE documents_fts MATCH ?';
  const index = filter.split && filter.status ? 'documents_by_split_status' : filter.split ? 'documents_by_split' : 'documents_by_status';
  // The filter's parameters follow the match's, as in the listing query.
  const where = [...(filter.split ? ['d.split = ?'] : []), ...(filter.status ? ['d.status = ?'] : [])].join(' AND ');
  return `SELECT COUNT(*) FROM documents_fts f CROSS JOIN documents d INDEXED BY ${index} ON d.id = f.rowid WHERE documents_fts MATCH ? AND ${where}`;
}

export class DocumentsRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  get(id: number): DocumentRow | undefined {
    return this.#db.prepare('SELECT id, ext_id, text, split, metadata, status FROM documents WHERE id = ?').get(id) as
      | DocumentRow
      | undefined;
  }

  /** Whether the label is present on the document now (a coder may have removed it since a training). */
  carries(docId: number, labelId: number): boolean {
    return this.#db.prepare('SELECT 1 FROM assignments WHERE doc_id = ? AND label_id = ? AND present = 1').get(docId, labelId) !== undefined;
  }

  /** Every document, counted on the table itself. */
  count(): number {
    return this.#db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number;
  }

  /** Every document id in import order (ids only: no text is read). */
  allIds(): number[] {
    return this.#db.prepare('SELECT id FROM documents ORDER BY id').pluck().all() as number[];
  }

  /** Ids and texts of the given documents, by id (unknown ids are skipped). */
  textsOf(ids: readonly number[]): { id: number; text: string }[] {
    if (ids.length === 0) return [];
    return this.#db.prepare(`SELECT id, text FROM documents WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`).all(...ids) as { id: number; text: string }[];
  }

  idByExtId(extId: string): number | undefined {
    const row = this.#db.prepare('SELECT id FROM documents WHERE ext_id = ?').get(extId) as { id: number } | undefined;
    return row?.id;
  }

  countBySplit(): Record<string, number> {
    const rows = this.#db.prepare('SELECT split, SUM(n) AS n FROM doc_counts WHERE n > 0 GROUP BY split ORDER BY split').all() as {
      split: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.split, r.n]));
  }

  setStatus(id: number, status: DocStatus): void {
    this.#db.prepare('UPDATE documents SET status = ?, updated_at = ? WHERE id = ?').run(status, nowIso(), id);
  }

  /**
   * A page of documents in import (id) order. Keyset paging: `after` continues after the last id
   * a client saw, and `offset` (a jump) walks only the narrow index that matches the filter, never
   * the rows, so a page at 250,000 costs what the first one does. Totals come from `doc_counts`.
   * A text query pages FTS5's own rowid order, so it stops after one page of matches.
   */
  list(filter: ListFilter): { total: number; items: DocumentListItem[] } {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.split) {
      where.push('d.split = ?');
      params.push(filter.split);
    }
    if (filter.status) {
      where.push('d.status = ?');
      params.push(filter.status);
    }
    const fts = filter.query ? ftsQuery(filter.query) : null;
    if (filter.query && !fts) return { total: 0, items: [] };
    const after = filter.after ?? 0;
    let rows: ListRow[];
    let total: number;
    if (fts) {
      const filterSql = where.length ? `AND ${where.join(' AND ')}` : '';
      // CROSS JOIN keeps FTS5 outermost: its matches come in rowid order and the LIMIT ends the scan.
      total = this.#db.prepare(ftsCountSql(filter)).pluck().get(fts, ...params) as number;
      rows = this.#db
        .prepare(
          `SELECT ${LIST_COLUMNS} FROM documents_fts f CROSS JOIN documents d ON d.id = f.rowid
           WHERE documents_fts MATCH ? AND f.rowid > ? ${filterSql} ORDER BY f.rowid LIMIT ? OFFSET ?`,
        )
        .all(fts, after, ...params, filter.limit, filter.offset) as ListRow[];
    } else {
      total = this.#db
        .prepare(`SELECT COALESCE(SUM(n), 0) FROM doc_counts WHERE (? IS NULL OR split = ?) AND (? IS NULL OR status = ?)`)
        .pluck()
        .get(filter.split ?? null, filter.split ?? null, filter.status ?? null, filter.status ?? null) as number;
      const filterSql = where.length ? `${where.join(' AND ')} AND` : '';
      let start = after;
      if (filter.offset > 0) {
        // The unfiltered walk would step over every row's text: the id-only index is a few MB.
        const index = where.length ? '' : 'INDEXED BY documents_ids';
        const boundary = this.#db
          .prepare(`SELECT d.id FROM documents d ${index} WHERE ${filterSql} d.id > ? ORDER BY d.id LIMIT 1 OFFSET ?`)
          .pluck()
          .get(...params, start, filter.offset - 1) as number | undefined;
        if (boundary === undefined) return { total, items: [] };
        start = boundary;
      }
      rows = this.#db.prepare(`SELECT ${LIST_COLUMNS} FROM documents d WHERE ${filterSql} d.id > ? ORDER BY d.id LIMIT ?`).all(...params, start, filter.limit) as ListRow[];
    }
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        extId: r.ext_id,
        split: r.split,
        status: r.status,
        snippet: r.snippet.replace(/\s+/g, ' ').trim(),
        labelCount: r.label_count,
      })),
    };
  }

  /**
   * A split's documents with their present label ids, in id order, a page at a time (keyset
   * paging: each page is its own query, so no statement stays open while the caller awaits
   * between pages and memory holds one page).
   */
  *splitPages(split: string, pageSize: number): Generator<{ id: number; extId: string; text: string; labelIds: number[] }[]> {
    const page = this.#db.prepare('SELECT id, ext_id, text FROM documents WHERE split = ? AND id > ? ORDER BY id LIMIT ?');
    const labels = this.#db.prepare('SELECT label_id FROM assignments WHERE doc_id = ? AND present = 1').pluck();
    let after = 0;
    for (;;) {
      const rows = page.all(split, after, pageSize) as { id: number; ext_id: string; text: string }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      yield rows.map((r) => ({ id: r.id, extId: r.ext_id, text: r.text, labelIds: labels.all(r.id) as number[] }));
    }
  }
}
