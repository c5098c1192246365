import type { Statement } from 'better-sqlite3';
import type { LabelItem, LabelKind } from '../../shared/contract';
import type { Db } from './db';

export interface LabelRow {
  id: number;
  code: string;
  title: string;
  synonyms: string;
  parent_code: string | null;
  kind: LabelKind;
  flagged: number;
}

export interface CatalogueEntry {
  code: string;
  title: string;
  synonyms: string[];
  parentCode: string | null;
  kind: LabelKind;
}

/** Codes are compared without dots and case, as coders type them ("e119" finds E11.9). */
export function codeKey(code: string): string {
  return code.replace(/\./g, '').toUpperCase();
}

function toItem(row: LabelRow, trainCount: number): LabelItem {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    synonyms: JSON.parse(row.synonyms) as string[],
    parentCode: row.parent_code,
    kind: row.kind,
    trainCount,
    flagged: row.flagged === 1,
  };
}

const COLUMNS = 'l.id, l.code, l.title, l.synonyms, l.parent_code, l.kind, l.flagged';

export class LabelsRepo {
  readonly #db: Db;
  #titleByCode: Statement | undefined;
  constructor(db: Db) {
    this.#db = db;
  }

  count(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM labels').get() as { n: number }).n;
  }

  /** Every label in id order (the catalogue the renderer indexes). */
  allInIdOrder(): LabelRow[] {
    return this.#db.prepare(`SELECT ${COLUMNS} FROM labels l ORDER BY l.id`).all() as LabelRow[];
  }

  /**
   * Changes whenever labels are added or removed or a catalogue is imported (a re-import may
   * change titles without adding rows, and every import adds an `imports` row).
   */
  catalogueVersion(): string {
    const l = this.#db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM labels').get() as { n: number; m: number };
    const imports = this.#db.prepare("SELECT COUNT(*) FROM imports WHERE kind = 'catalogue'").pluck().get() as number;
    return `${l.n}.${l.m}.${imports}`;
  }

  /** The title and flag of the label with this code, if any (a catalogue import compares against them). */
  titleByCode(code: string): { title: string; flagged: number } | undefined {
    this.#titleByCode ??= this.#db.prepare('SELECT title, flagged FROM labels WHERE code = ?');
    return this.#titleByCode.get(code) as { title: string; flagged: number } | undefined;
  }

  /** The first `limit` catalogue codes (assignable, not flagged), by id, with the format that brought each. */
  catalogueCodeSample(limit: number): { code: string; catalogue: string | null }[] {
    return this.#db.prepare("SELECT code, catalogue FROM labels WHERE flagged = 0 AND kind = 'code' ORDER BY id LIMIT ?").all(limit) as { code: string; catalogue: string | null }[];
  }

  /**
   * idsByCode in keyset slices with a turn of the event loop between them: 94,000 rows are
   * ~100 ms in one statement, which a host loading a model must not spend at once.
   */
  async idsByCodeInSlices(slice = 10_000): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const next = this.#db.prepare('SELECT id, code FROM labels WHERE id > ? ORDER BY id LIMIT ?').raw();
    for (let after = 0; ; ) {
      const rows = next.all(after, slice) as [number, string][];
      for (const [id, code] of rows) out.set(code, id);
      if (rows.length < slice) return out;
      after = rows[rows.length - 1]![0];
      await new Promise((r) => setImmediate(r));
    }
  }

  idsByCode(): Map<string, number> {
    const rows = this.#db.prepare('SELECT id, code FROM labels').all() as { id: number; code: string }[];
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  get(id: number): LabelRow | undefined {
    return this.#db.prepare(`SELECT ${COLUMNS} FROM labels l WHERE l.id = ?`).get(id) as LabelRow | undefined;
  }

  /** Training-document counts of the given labels (all labels when `ids` is omitted). */
  trainCounts(ids?: readonly number[]): Map<number, number> {
    if (ids && ids.length === 0) return new Map();
    // From the counters the triggers keep (migration 0005): counting assignments here instead read
    // one documents row per assignment to learn its split, 400 ms for the 15 most frequent labels
    // of a 250k-document project (bench/scale.ts), and suggestions.get asks on every document.
    if (!ids) return new Map(this.#db.prepare('SELECT label_id, train FROM label_counts WHERE train > 0').raw().all() as [number, number][]);
    const out = new Map<number, number>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.#db.prepare(`SELECT label_id, train FROM label_counts WHERE train > 0 AND label_id IN (${chunk.map(() => '?').join(',')})`).raw().all(...chunk) as [number, number][];
      for (const [id, n] of rows) out.set(id, n);
    }
    return out;
  }

  items(rows: LabelRow[]): LabelItem[] {
    const counts = this.trainCounts(rows.map((r) => r.id));
    return rows.map((r) => toItem(r, counts.get(r.id) ?? 0));
  }

  /**
   * Type-ahead search: exact code, then code prefix, then words of titles and synonyms (FTS5 prefix
   * terms ranked by bm25). User text is reduced to quoted terms, so it is never FTS syntax.
   */
  search(query: string, limit: number, leafOnly: boolean): { items: LabelItem[]; total: number } {
    const kindSql = leafOnly ? "AND l.kind = 'code'" : '';
    const trimmed = query.trim();
    if (!trimmed) {
      const rows = this.#db.prepare(`SELECT ${COLUMNS} FROM labels l WHERE 1 ${kindSql} ORDER BY l.code LIMIT ?`).all(limit) as LabelRow[];
      const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM labels l WHERE 1 ${kindSql}`).get() as { n: number }).n;
      return { items: this.items(rows), total };
    }
    const seen = new Set<number>();
    const out: LabelRow[] = [];
    const push = (rows: LabelRow[]): void => {
      for (const r of rows) {
        if (out.length >= limit) return;
        if (!seen.has(r.id)) {
          seen.add(r.id);
          out.push(r);
        }
      }
    };
    const key = codeKey(trimmed);
    if (/^[A-Z0-9]{1,12}$/.test(key)) {
      push(this.#db.prepare(`SELECT ${COLUMNS} FROM labels l WHERE l.code_key = ? ${kindSql}`).all(key) as LabelRow[]);
      push(
        this.#db
          .prepare(`SELECT ${COLUMNS} FROM labels l WHERE l.code_key > ? AND l.code_key < ? ${kindSql} ORDER BY l.code_key LIMIT ?`)
          .all(key, `${key}\u{10FFFF}`, limit) as LabelRow[],
      );
    }
    const terms = trimmed
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}.]+/gu);
    let total = out.length;
    if (terms && terms.length > 0 && out.length < limit) {
      const match = terms
        .slice(0, 8)
        .map((t) => `"${t.replace(/"/g, '')}"*`)
        .join(' AND ');
      // Title hits weigh more than synonym hits; code hits were handled above.
      const rows = this.#db
        .prepare(
          `SELECT ${COLUMNS} FROM labels_fts f JOIN labels l ON l.id = f.rowid
           WHERE labels_fts MATCH ? ${kindSql} ORDER BY bm25(labels_fts, 2.0, 10.0, 3.0), length(l.title) LIMIT ?`,
        )
        .all(match, limit) as LabelRow[];
      push(rows);
      total = Math.max(
        total,
        (this.#db.prepare(`SELECT COUNT(*) AS n FROM labels_fts f JOIN labels l ON l.id = f.rowid WHERE labels_fts MATCH ? ${kindSql}`).get(match) as { n: number }).n,
      );
    }
    return { items: this.items(out), total: Math.max(total, out.length) };
  }
}
