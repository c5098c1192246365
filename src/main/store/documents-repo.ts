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
  offset: number;
  limit: number;
}

const SNIPPET_CHARS = 160;

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

  idByExtId(extId: string): number | undefined {
    const row = this.#db.prepare('SELECT id FROM documents WHERE ext_id = ?').get(extId) as { id: number } | undefined;
    return row?.id;
  }

  countBySplit(): Record<string, number> {
    const rows = this.#db.prepare('SELECT split, COUNT(*) AS n FROM documents GROUP BY split ORDER BY split').all() as {
      split: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.split, r.n]));
  }

  setStatus(id: number, status: DocStatus): void {
    this.#db.prepare('UPDATE documents SET status = ?, updated_at = ? WHERE id = ?').run(status, nowIso(), id);
  }

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
    if (fts) {
      where.push('d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)');
      params.push(fts);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM documents d ${whereSql}`).get(...params) as { n: number }).n;
    const rows = this.#db
      .prepare(
        `SELECT d.id, d.ext_id, d.split, d.status, substr(d.text, 1, ${SNIPPET_CHARS}) AS snippet,
                (SELECT COUNT(*) FROM assignments a WHERE a.doc_id = d.id AND a.present = 1) AS label_count
         FROM documents d ${whereSql} ORDER BY d.id LIMIT ? OFFSET ?`,
      )
      .all(...params, filter.limit, filter.offset) as {
      id: number;
      ext_id: string;
      split: string;
      status: DocStatus;
      snippet: string;
      label_count: number;
    }[];
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
}
