import { MATCH_END, MATCH_START, type Guidelines, type NoteHit, type StoredNote } from '../../shared/contract';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import { nowIso } from './db';
import { ftsQuery } from './documents-repo';

interface NoteRow {
  label_id: number | null;
  code: string | null;
  text: string;
  updated_at: string;
  author: string | null;
}

const toNote = (r: NoteRow): StoredNote => ({ labelId: r.label_id, code: r.code, text: r.text, updatedAt: r.updated_at, author: r.author });

/**
 * A coder's notes (one per document, one per document-label pair) and the project's guidelines
 * (migration 0008). Notes are free text beside the annotations, not annotations: they are not in
 * the annotation log and undo does not revert them (see notes-handlers.ts for why).
 */
export class NotesRepo {
  readonly #db: Db;
  #ofDocument: Statement | undefined;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Every note on a document: the document's own first, then its labels' notes by code (an export asks once per document). */
  ofDocument(docId: number): StoredNote[] {
    this.#ofDocument ??= this.#db.prepare(
      `SELECT n.label_id, l.code, n.text, n.updated_at, n.author FROM notes n LEFT JOIN labels l ON l.id = n.label_id
       WHERE n.doc_id = ? ORDER BY n.label_id IS NOT NULL, l.code`,
    );
    return (this.#ofDocument.all(docId) as NoteRow[]).map(toNote);
  }

  /**
   * Sets the note of a document (`labelId` null) or of one of its labels; empty or blank text
   * deletes it. Returns the stored note, or null when there is none now.
   */
  set(docId: number, labelId: number | null, text: string, author: string | null = null): StoredNote | null {
    return this.#db.transaction((): StoredNote | null => {
      const at = nowIso();
      const match = labelId === null ? 'doc_id = ? AND label_id IS NULL' : 'doc_id = ? AND label_id = ?';
      const key = labelId === null ? [docId] : [docId, labelId];
      if (text.trim() === '') {
        this.#db.prepare(`DELETE FROM notes WHERE ${match}`).run(...key);
        return null;
      }
      const updated = this.#db.prepare(`UPDATE notes SET text = ?, updated_at = ?, author = ? WHERE ${match}`).run(text, at, author, ...key);
      if (updated.changes === 0) this.#db.prepare('INSERT INTO notes (doc_id, label_id, text, updated_at, author) VALUES (?, ?, ?, ?, ?)').run(docId, labelId, text, at, author);
      const code = labelId === null ? null : ((this.#db.prepare('SELECT code FROM labels WHERE id = ?').pluck().get(labelId) as string | undefined) ?? null);
      return { labelId, code, text, updatedAt: at, author };
    })();
  }

  /**
   * Notes whose text matches every word of `query` (prefix matches, as the document search), best
   * bm25 first, with an excerpt whose matches are wrapped in MATCH_START … MATCH_END. One hit per
   * note: a document with a matching document note and a matching label note appears twice.
   */
  search(query: string, limit: number): { items: NoteHit[]; total: number } {
    const fts = ftsQuery(query);
    if (!fts) return { items: [], total: 0 };
    const total = this.#db.prepare('SELECT COUNT(*) FROM notes_fts WHERE notes_fts MATCH ?').pluck().get(fts) as number;
    const rows = this.#db
      .prepare(
        `SELECT n.doc_id, d.ext_id, n.label_id, l.code, snippet(notes_fts, 0, '${MATCH_START}', '${MATCH_END}', '…', 12) AS excerpt
         FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid JOIN documents d ON d.id = n.doc_id LEFT JOIN labels l ON l.id = n.label_id
         WHERE notes_fts MATCH ? ORDER BY bm25(notes_fts), n.id LIMIT ?`,
      )
      .all(fts, limit) as { doc_id: number; ext_id: string; label_id: number | null; code: string | null; excerpt: string }[];
    return {
      total,
      items: rows.map((r) => ({ docId: r.doc_id, extId: r.ext_id, labelId: r.label_id, code: r.code, excerpt: r.excerpt.replace(/\s+/g, ' ').trim() })),
    };
  }

  guidelines(): Guidelines {
    const row = this.#db.prepare('SELECT text, updated_at, author FROM guidelines WHERE id = 1').get() as { text: string; updated_at: string; author: string | null } | undefined;
    return row ? { text: row.text, updatedAt: row.updated_at, author: row.author } : { text: '', updatedAt: null, author: null };
  }

  /** Replaces the guidelines (an empty text is kept as empty, with its time: "cleared on …"). */
  setGuidelines(text: string, author: string | null = null): Guidelines {
    const at = nowIso();
    this.#db
      .prepare('INSERT INTO guidelines (id, text, updated_at, author) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, author = excluded.author')
      .run(text, at, author);
    return { text, updatedAt: at, author };
  }
}
