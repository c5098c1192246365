import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

/** Which documents an annotation export covers. */
export interface ExportSelection {
  split?: string | undefined;
  /** Only documents a coder worked on: marked done, or with a label a coder set (accepted, added, rejected). */
  annotatedOnly?: boolean | undefined;
}

export interface ExportDocumentRow {
  id: number;
  ext_id: string;
  text: string;
  split: string;
  status: string;
}

/** One assignment of a document as an export writes it: present = 1 a label, 0 a rejection. */
export interface ExportMarkRow {
  code: string;
  present: number;
  /** Provenance (migration 0006): how, by whom, the accepted or rejected suggestion's score, and when. */
  how: string;
  who: string | null;
  score: number | null;
  updated_at: string;
}

/** One evidence span as the JSONL export writes it. */
export interface ExportSpanRow {
  label: string;
  start: number;
  end: number;
  text: string;
}

/** The selection as SQL over `documents d`. */
function selectionSql(selection: ExportSelection): { where: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (selection.split) {
    parts.push('d.split = ?');
    params.push(selection.split);
  }
  if (selection.annotatedOnly) parts.push("(d.status = 'done' OR EXISTS (SELECT 1 FROM assignments a WHERE a.doc_id = d.id AND a.source != 'imported'))");
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** The reads of an annotation export (exporters/annotations.ts writes the file). */
export class AnnotationExportRepo {
  readonly #db: Db;
  #marks: Statement | undefined;
  #spans: Statement | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  countDocuments(selection: ExportSelection): number {
    const { where, params } = selectionSql(selection);
    return this.#db.prepare(`SELECT COUNT(*) FROM documents d ${where}`).pluck().get(...params) as number;
  }

  /** The selected documents in id order, streamed: a 250,000-document export holds one row at a time, never every text. */
  documents(selection: ExportSelection): IterableIterator<ExportDocumentRow> {
    const { where, params } = selectionSql(selection);
    return this.#db.prepare(`SELECT d.id, d.ext_id, d.text, d.split, d.status FROM documents d ${where} ORDER BY d.id`).iterate(...params) as IterableIterator<ExportDocumentRow>;
  }

  /** A document's assignments, labels and rejections alike, by code. */
  marksOf(docId: number): ExportMarkRow[] {
    this.#marks ??= this.#db.prepare('SELECT l.code, a.present, a.how, a.who, a.score, a.updated_at FROM assignments a JOIN labels l ON l.id = a.label_id WHERE a.doc_id = ? ORDER BY l.code');
    return this.#marks.all(docId) as ExportMarkRow[];
  }

  /** A document's evidence spans in reading order (offsets: UTF-16 code units into its text). */
  spansOf(docId: number): ExportSpanRow[] {
    this.#spans ??= this.#db.prepare('SELECT l.code AS label, s.start, s."end" AS "end", s.text FROM evidence_spans s JOIN labels l ON l.id = s.label_id WHERE s.doc_id = ? ORDER BY s.start, s."end", l.code');
    return this.#spans.all(docId) as ExportSpanRow[];
  }
}
