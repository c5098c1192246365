import type { CoderSpan, SpanSource } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Db } from './db';
import { nowIso } from './db';

/** The annotation-log actions that carry a span (before/after: a `SpanState` as JSON, or null). */
export const SPAN_ACTIONS = ['span-add', 'span-update', 'span-delete'] as const;
export type SpanAction = (typeof SPAN_ACTIONS)[number];
export const isSpanAction = (action: string): action is SpanAction => (SPAN_ACTIONS as readonly string[]).includes(action);

/** A span row as the event log keeps it, so undo/redo can put it back under the same id. */
interface SpanState {
  id: number;
  docId: number;
  labelId: number;
  start: number;
  end: number;
  text: string;
  source: SpanSource;
  createdAt: string;
}

interface SpanRow {
  id: number;
  doc_id: number;
  label_id: number;
  code: string;
  start: number;
  end: number;
  text: string;
  source: SpanSource;
  created_at: string;
}

export interface NewSpan {
  docId: number;
  labelId: number;
  start: number;
  end: number;
  text: string;
}

const SPAN_SELECT = `SELECT s.id, s.doc_id, s.label_id, l.code, s.start, s."end" AS "end", s.text, s.source, s.created_at
  FROM evidence_spans s JOIN labels l ON l.id = s.label_id`;

const toSpan = (r: SpanRow): CoderSpan => ({
  id: r.id,
  docId: r.doc_id,
  labelId: r.label_id,
  code: r.code,
  start: r.start,
  end: r.end,
  text: r.text,
  source: r.source,
  createdAt: r.created_at,
});

const toState = (s: CoderSpan): SpanState => ({ id: s.id, docId: s.docId, labelId: s.labelId, start: s.start, end: s.end, text: s.text, source: s.source, createdAt: s.createdAt });

/**
 * Checks offsets against the document's text (UTF-16 code units, as JavaScript indexes a string)
 * and returns the text they cover. A span must cover at least one non-space character.
 */
export function spanText(docText: string, start: number, end: number): string {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > docText.length) {
    throw new PlanterError('invalid-input', `span ${start}–${end} is outside the document (its text has ${docText.length} characters)`);
  }
  const text = docText.slice(start, end);
  if (!text.trim()) throw new PlanterError('invalid-input', 'a span must cover some text, not only spaces');
  return text;
}

/**
 * Evidence spans and their writes. Every write by an annotator records one `annotation_events`
 * row in the same transaction (like AnnotationsRepo), so the project-wide undo/redo walks them
 * with the label decisions; AnnotationsRepo's undo calls `restoreSpan` for these actions.
 * Imported spans are not logged (like imported assignments: an import is not an annotation).
 */
export class SpansRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** The document's spans in reading order. */
  ofDocument(docId: number): CoderSpan[] {
    return (this.#db.prepare(`${SPAN_SELECT} WHERE s.doc_id = ? ORDER BY s.start, s."end", l.code`).all(docId) as SpanRow[]).map(toSpan);
  }

  get(id: number): CoderSpan | undefined {
    const row = this.#db.prepare(`${SPAN_SELECT} WHERE s.id = ?`).get(id) as SpanRow | undefined;
    return row ? toSpan(row) : undefined;
  }

  /** Every span of these documents (the evaluation's evidence agreement reads them). */
  ofDocuments(docIds: readonly number[]): CoderSpan[] {
    const out: CoderSpan[] = [];
    const stmt = this.#db.prepare(`${SPAN_SELECT} WHERE s.doc_id = ? ORDER BY s.start`);
    for (const id of docIds) for (const r of stmt.all(id) as SpanRow[]) out.push(toSpan(r));
    return out;
  }

  /** Documents of a split that have spans, in id order (the evidence agreement reads them). */
  documentsWithSpans(split: string): number[] {
    return this.#db.prepare('SELECT DISTINCT s.doc_id FROM evidence_spans s JOIN documents d ON d.id = s.doc_id WHERE d.split = ? ORDER BY s.doc_id').pluck().all(split) as number[];
  }

  count(): number {
    return this.#db.prepare('SELECT COUNT(*) FROM evidence_spans').pluck().get() as number;
  }

  /** Distinct span texts per label with how often each was written (the picker's span index). */
  textsByLabel(): { labelId: number; text: string; n: number }[] {
    return this.#db
      .prepare('SELECT label_id AS labelId, MIN(text) AS text, COUNT(*) AS n FROM evidence_spans GROUP BY label_id, lower(text) ORDER BY label_id, n DESC')
      .all() as { labelId: number; text: string; n: number }[];
  }

  /** Changes whenever a span is added, removed or changed (the picker's index rebuilds then). */
  version(): string {
    const r = this.#db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m, COALESCE(SUM(label_id * 31 + start * 7 + "end"), 0) AS h FROM evidence_spans').get() as {
      n: number;
      m: number;
      h: number;
    };
    return `${r.n}.${r.m}.${r.h}`;
  }

  /** Attaches `start`–`end` of the document to a label; null when that very span exists already. */
  add(docId: number, labelId: number, start: number, end: number): { span: CoderSpan; eventId: number } | null {
    return this.#db.transaction(() => {
      const text = spanText(this.#docText(docId), start, end);
      this.#requireLabel(labelId);
      const existing = this.#db.prepare('SELECT id FROM evidence_spans WHERE doc_id = ? AND label_id = ? AND start = ? AND "end" = ?').get(docId, labelId, start, end);
      if (existing) return null;
      const id = this.#insert({ docId, labelId, start, end, text }, 'added', nowIso());
      const span = this.get(id)!;
      return { span, eventId: recordSpanEvent(this.#db, docId, labelId, 'span-add', null, toState(span)) };
    }).immediate();
  }

  /** Retargets a span to another label and/or moves its offsets; null when nothing changes. */
  update(spanId: number, patch: { labelId?: number | undefined; start?: number | undefined; end?: number | undefined }): { span: CoderSpan; eventId: number } | null {
    return this.#db.transaction(() => {
      const before = this.#require(spanId);
      const labelId = patch.labelId ?? before.labelId;
      const start = patch.start ?? before.start;
      const end = patch.end ?? before.end;
      if (labelId === before.labelId && start === before.start && end === before.end) return null;
      const text = spanText(this.#docText(before.docId), start, end);
      this.#requireLabel(labelId);
      const clash = this.#db.prepare('SELECT id FROM evidence_spans WHERE doc_id = ? AND label_id = ? AND start = ? AND "end" = ? AND id != ?').get(before.docId, labelId, start, end, spanId);
      if (clash) throw new PlanterError('conflict', 'the document already has this span for that label');
      this.#db.prepare('UPDATE evidence_spans SET label_id = ?, start = ?, "end" = ?, text = ? WHERE id = ?').run(labelId, start, end, text, spanId);
      const span = this.get(spanId)!;
      return { span, eventId: recordSpanEvent(this.#db, before.docId, labelId, 'span-update', toState(before), toState(span)) };
    }).immediate();
  }

  delete(spanId: number): { span: CoderSpan; eventId: number } {
    return this.#db.transaction(() => {
      const before = this.#require(spanId);
      this.#db.prepare('DELETE FROM evidence_spans WHERE id = ?').run(spanId);
      return { span: before, eventId: recordSpanEvent(this.#db, before.docId, before.labelId, 'span-delete', toState(before), null) };
    }).immediate();
  }

  /**
   * Stores imported spans in one transaction (the caller checked their text); a span the project
   * already has (same document, label and offsets) is counted, not duplicated.
   */
  insertImported(spans: readonly NewSpan[]): { inserted: number; duplicates: number } {
    return this.#db.transaction(() => {
      const at = nowIso();
      const stmt = this.#db.prepare(`INSERT OR IGNORE INTO evidence_spans (doc_id, label_id, start, "end", text, source, created_at) VALUES (?, ?, ?, ?, ?, 'imported', ?)`);
      let inserted = 0;
      for (const s of spans) inserted += stmt.run(s.docId, s.labelId, s.start, s.end, s.text, at).changes;
      return { inserted, duplicates: spans.length - inserted };
    }).immediate();
  }

  #insert(s: NewSpan, source: SpanSource, createdAt: string): number {
    return Number(
      this.#db
        .prepare('INSERT INTO evidence_spans (doc_id, label_id, start, "end", text, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(s.docId, s.labelId, s.start, s.end, s.text, source, createdAt).lastInsertRowid,
    );
  }

  #require(spanId: number): CoderSpan {
    const span = this.get(spanId);
    if (!span) throw new PlanterError('not-found', `no span ${spanId}`);
    return span;
  }

  #docText(docId: number): string {
    const row = this.#db.prepare('SELECT text FROM documents WHERE id = ?').get(docId) as { text: string } | undefined;
    if (!row) throw new PlanterError('not-found', `no document ${docId}`);
    return row.text;
  }

  #requireLabel(labelId: number): void {
    if (!this.#db.prepare('SELECT 1 FROM labels WHERE id = ?').get(labelId)) throw new PlanterError('not-found', `no label ${labelId}`);
  }
}

/** One span write in the annotation log; a new action ends every redo branch (as AnnotationsRepo does). */
function recordSpanEvent(db: Db, docId: number, labelId: number, action: SpanAction, before: SpanState | null, after: SpanState | null): number {
  db.prepare('UPDATE annotation_events SET superseded = 1 WHERE undone = 1 AND superseded = 0').run();
  return Number(
    db
      .prepare('INSERT INTO annotation_events (doc_id, label_id, action, before_state, after_state, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(docId, labelId, action, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after), nowIso()).lastInsertRowid,
  );
}

/**
 * Puts a span back as an undo or redo needs it: `state` is the side of the event to restore (null:
 * the span did not exist), `other` the opposite side, which names the span's id then. Runs inside
 * AnnotationsRepo's undo/redo transaction. A span whose label was deleted since stays gone.
 */
export function restoreSpan(db: Db, state: string | null, other: string | null): void {
  const target = state === null ? null : (JSON.parse(state) as SpanState);
  const ref = target ?? (other === null ? null : (JSON.parse(other) as SpanState));
  if (!ref) return;
  if (target === null) {
    db.prepare('DELETE FROM evidence_spans WHERE id = ?').run(ref.id);
    return;
  }
  if (!db.prepare('SELECT 1 FROM labels WHERE id = ?').get(target.labelId)) return;
  // The same span written again since (another id) is the same evidence: keep one row.
  db.prepare('DELETE FROM evidence_spans WHERE doc_id = ? AND label_id = ? AND start = ? AND "end" = ? AND id != ?').run(target.docId, target.labelId, target.start, target.end, target.id);
  db.prepare(
    `INSERT INTO evidence_spans (id, doc_id, label_id, start, "end", text, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET label_id = excluded.label_id, start = excluded.start, "end" = excluded."end", text = excluded.text`,
  ).run(target.id, target.docId, target.labelId, target.start, target.end, target.text, target.source, target.createdAt);
}
