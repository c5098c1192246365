import type { AnnotationAction, AnnotationEvent, AssignmentSource, DocStatus, DocumentLabel, HistoryState, StatusCounts } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Db } from './db';
import { nowIso } from './db';
import { isSpanAction, restoreSpan } from './spans-repo';

/** One assignment as the event log stores it; null = no row (never looked at, or removed). */
export type AssignmentState = { present: 0 | 1; source: AssignmentSource } | null;
type StatusState = { status: DocStatus };

interface EventRow {
  id: number;
  doc_id: number;
  label_id: number | null;
  action: string;
  before_state: string | null;
  after_state: string | null;
  created_at: string;
  undone: number;
  code: string | null;
  ext_id: string;
}

/** What each annotation action leaves in `assignments` (see the issue #6 decisions). */
function target(action: AnnotationAction): AssignmentState {
  switch (action) {
    case 'accept':
      return { present: 1, source: 'suggestion' };
    case 'add':
      return { present: 1, source: 'annotator' };
    case 'reject':
      return { present: 0, source: 'annotator' };
    case 'remove':
      return null;
  }
}

const same = (a: AssignmentState, b: AssignmentState): boolean => (a === null ? b === null : b !== null && a.present === b.present && a.source === b.source);

const EVENT_COLUMNS = `e.id, e.doc_id, e.label_id, e.action, e.before_state, e.after_state, e.created_at, e.undone, l.code, d.ext_id`;
const EVENT_FROM = `annotation_events e JOIN documents d ON d.id = e.doc_id LEFT JOIN labels l ON l.id = e.label_id`;

function toEvent(r: EventRow): AnnotationEvent {
  const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));
  const action = r.action as AnnotationEvent['action'];
  const before = parse(r.before_state);
  const after = parse(r.after_state);
  return {
    id: r.id,
    docId: r.doc_id,
    extId: r.ext_id,
    labelId: r.label_id,
    code: r.code,
    action,
    ...(action === 'status'
      ? { statusBefore: (before as StatusState | null)?.status ?? null, statusAfter: (after as StatusState | null)?.status ?? null }
      : {}),
    createdAt: r.created_at,
    undone: r.undone === 1,
  };
}

/**
 * Annotation writes and their event log. Every change writes the new state and one
 * `annotation_events` row (before/after as JSON) in one transaction, so undo/redo walks the log
 * and works across restarts; the database runs with synchronous=FULL, so an acknowledged write is
 * durable. History is linear and project-wide, like an editor's: undo takes the newest live event
 * wherever it happened, and a new action drops what could have been redone (marked superseded).
 */
export class AnnotationsRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** The document's assignments, present ones first (the shape `documents.get` returns). */
  labelsOf(docId: number): DocumentLabel[] {
    const rows = this.#db
      .prepare(
        `SELECT a.label_id, l.code, l.title, a.source, a.present FROM assignments a JOIN labels l ON l.id = a.label_id
         WHERE a.doc_id = ? ORDER BY a.present DESC, l.code`,
      )
      .all(docId) as { label_id: number; code: string; title: string; source: AssignmentSource; present: number }[];
    return rows.map((l) => ({ labelId: l.label_id, code: l.code, title: l.title, source: l.source, present: l.present === 1 }));
  }

  /** Documents per status in every split (from the counters of migration 0005). */
  statusCounts(): Record<string, StatusCounts> {
    const out: Record<string, StatusCounts> = {};
    for (const r of this.#db.prepare('SELECT split, status, n FROM doc_counts').all() as { split: string; status: DocStatus; n: number }[]) {
      (out[r.split] ??= { pending: 0, done: 0, skipped: 0, review: 0 })[r.status] = r.n;
    }
    return out;
  }

  statusOf(docId: number): DocStatus {
    const row = this.#db.prepare('SELECT status FROM documents WHERE id = ?').get(docId) as { status: DocStatus } | undefined;
    if (!row) throw new PlanterError('not-found', `no document ${docId}`);
    return row.status;
  }

  /** Applies one action; returns the event, or null when the document already was in that state. */
  apply(docId: number, labelId: number, action: AnnotationAction): AnnotationEvent | null {
    return this.#db.transaction((): AnnotationEvent | null => {
      this.statusOf(docId);
      if (!this.#db.prepare('SELECT 1 FROM labels WHERE id = ?').get(labelId)) throw new PlanterError('not-found', `no label ${labelId}`);
      const before = this.#assignment(docId, labelId);
      const after = target(action);
      if (same(before, after)) return null;
      this.#setAssignment(docId, labelId, after);
      return this.#record(docId, labelId, action, before, after);
    }).immediate();
  }

  /** Sets a document's queue status (pending / done / skipped / review), as an undoable event. */
  setStatus(docId: number, status: DocStatus): AnnotationEvent | null {
    return this.#db.transaction((): AnnotationEvent | null => {
      const before = this.statusOf(docId);
      if (before === status) return null;
      this.#setStatus(docId, status);
      return this.#record(docId, null, 'status', { status: before }, { status });
    }).immediate();
  }

  /** Reverts the newest live event; null when there is nothing to undo. */
  undo(): AnnotationEvent | null {
    return this.#db.transaction((): AnnotationEvent | null => {
      const row = this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.undone = 0 ORDER BY e.id DESC LIMIT 1`).get() as EventRow | undefined;
      if (!row) return null;
      this.#restore(row, row.before_state);
      this.#db.prepare('UPDATE annotation_events SET undone = 1 WHERE id = ?').run(row.id);
      return toEvent({ ...row, undone: 1 });
    }).immediate();
  }

  /** Re-applies the most recently undone event that no later action superseded. */
  redo(): AnnotationEvent | null {
    return this.#db.transaction((): AnnotationEvent | null => {
      const row = this.#redoCandidate();
      if (!row) return null;
      this.#restore(row, row.after_state);
      this.#db.prepare('UPDATE annotation_events SET undone = 0 WHERE id = ?').run(row.id);
      return toEvent({ ...row, undone: 0 });
    }).immediate();
  }

  history(): HistoryState {
    const undo = this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.undone = 0 ORDER BY e.id DESC LIMIT 1`).get() as EventRow | undefined;
    const redo = this.#redoCandidate();
    return { undo: undo ? toEvent(undo) : null, redo: redo ? toEvent(redo) : null };
  }

  /** The log, newest first (the audit trail), optionally for one document. */
  events(options: { docId?: number | undefined; limit: number }): AnnotationEvent[] {
    const rows = (
      options.docId === undefined
        ? this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} ORDER BY e.id DESC LIMIT ?`).all(options.limit)
        : this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.doc_id = ? ORDER BY e.id DESC LIMIT ?`).all(options.docId, options.limit)
    ) as EventRow[];
    return rows.map(toEvent);
  }

  /** Labels the annotator accepted or added lately, most recent first, each once. */
  recentLabelIds(limit: number): number[] {
    return this.#db
      .prepare(
        `SELECT label_id FROM annotation_events WHERE label_id IS NOT NULL AND undone = 0 AND action IN ('accept', 'add')
         GROUP BY label_id ORDER BY MAX(id) DESC LIMIT ?`,
      )
      .pluck()
      .all(limit) as number[];
  }

  /**
   * Changes whenever an assignment or document is added, removed or changed, also by undo (which
   * moves no event id but flips `undone`).
   */
  assignmentsVersion(): string {
    const a = this.#db.prepare("SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), '') AS m FROM assignments WHERE present = 1").get() as { n: number; m: string };
    const e = this.#db.prepare('SELECT COALESCE(MAX(id), 0) AS m, COALESCE(SUM(undone), 0) AS u FROM annotation_events').get() as { m: number; u: number };
    const d = this.#db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number;
    return `${a.n}.${a.m}.${e.m}.${e.u}.${d}`;
  }

  /** Every present assignment, grouped by label, each label's newest assignments first (ties by document id). */
  presentAssignmentsByLabel(): { labelId: number; docId: number }[] {
    return this.#db.prepare('SELECT label_id AS labelId, doc_id AS docId FROM assignments WHERE present = 1 ORDER BY label_id, updated_at DESC, doc_id').all() as {
      labelId: number;
      docId: number;
    }[];
  }

  #redoCandidate(): EventRow | undefined {
    return this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.undone = 1 AND e.superseded = 0 ORDER BY e.id ASC LIMIT 1`).get() as
      | EventRow
      | undefined;
  }

  #assignment(docId: number, labelId: number): AssignmentState {
    const row = this.#db.prepare('SELECT present, source FROM assignments WHERE doc_id = ? AND label_id = ?').get(docId, labelId) as
      | { present: 0 | 1; source: AssignmentSource }
      | undefined;
    return row ? { present: row.present, source: row.source } : null;
  }

  #setAssignment(docId: number, labelId: number, state: AssignmentState): void {
    if (state === null) {
      this.#db.prepare('DELETE FROM assignments WHERE doc_id = ? AND label_id = ?').run(docId, labelId);
      return;
    }
    this.#db
      .prepare(
        `INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (doc_id, label_id) DO UPDATE SET present = excluded.present, source = excluded.source, updated_at = excluded.updated_at`,
      )
      .run(docId, labelId, state.present, state.source, nowIso());
  }

  #setStatus(docId: number, status: DocStatus): void {
    this.#db.prepare('UPDATE documents SET status = ?, updated_at = ? WHERE id = ?').run(status, nowIso(), docId);
  }

  #record(docId: number, labelId: number | null, action: AnnotationEvent['action'], before: unknown, after: unknown): AnnotationEvent {
    // A new action ends every redo branch: the undone events stay in the log, superseded.
    this.#db.prepare('UPDATE annotation_events SET superseded = 1 WHERE undone = 1 AND superseded = 0').run();
    const id = Number(
      this.#db
        .prepare('INSERT INTO annotation_events (doc_id, label_id, action, before_state, after_state, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(docId, labelId, action, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after), nowIso()).lastInsertRowid,
    );
    const row = this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.id = ?`).get(id) as EventRow;
    return toEvent(row);
  }

  #restore(row: EventRow, state: string | null): void {
    if (isSpanAction(row.action)) return restoreSpan(this.#db, state, state === row.before_state ? row.after_state : row.before_state);
    if (row.action === 'status') {
      const s = state === null ? null : (JSON.parse(state) as StatusState);
      if (s) this.#setStatus(row.doc_id, s.status);
      return;
    }
    if (row.label_id === null) return; // the label was deleted since; nothing left to restore
    this.#setAssignment(row.doc_id, row.label_id, state === null ? null : (JSON.parse(state) as { present: 0 | 1; source: AssignmentSource }));
  }
}
