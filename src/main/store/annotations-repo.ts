import type { AnnotationAction, AnnotationEvent, AssignmentHow, AssignmentSource, DocStatus, DocumentLabel, HistoryState, StatusCounts } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Db } from './db';
import { nowIso } from './db';
import { isSpanAction, restoreSpan } from './spans-repo';

/**
 * One assignment as the event log stores it; null = no row (never looked at, or removed). Events
 * logged before migration 0006 hold only `present` and `source`: `how` is then derived from them
 * and `who` is unknown. `at` (a before-state's last write) lets undo give a restored assignment
 * back its own time, so its provenance does not claim it was set at the moment of the undo.
 */
export type AssignmentState = { present: 0 | 1; source: AssignmentSource; how?: AssignmentHow; who?: string | null; score?: number | null; at?: string } | null;
type StatusState = { status: DocStatus };

/** Who makes a decision, and the score of the suggestion it was about (issue #17 provenance). */
export interface DecisionBy {
  who: string | null;
  score?: number | null | undefined;
}
const NOBODY: DecisionBy = { who: null };

/** One decision of a bulk action. */
export interface BatchItem {
  docId: number;
  labelId: number;
  action: AnnotationAction;
  score?: number | undefined;
}

/** What a bulk action did: its batch (null when nothing changed), decisions recorded, documents touched. */
export interface BatchOutcome {
  batchId: number | null;
  changed: number;
  documents: number;
}

/** The `how` an assignment written by an action (or an old log entry without one) has. */
export function howOf(state: { present: 0 | 1; source: AssignmentSource }): AssignmentHow {
  if (state.source === 'imported') return 'imported';
  if (state.present === 0) return 'rejected';
  return state.source === 'suggestion' ? 'accepted' : 'added';
}

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
  who: string | null;
  score: number | null;
  batch_id: number | null;
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

const EVENT_COLUMNS = `e.id, e.doc_id, e.label_id, e.action, e.before_state, e.after_state, e.created_at, e.undone, l.code, d.ext_id, e.who, e.score, e.batch_id`;
const EVENT_FROM = `annotation_events e JOIN documents d ON d.id = e.doc_id LEFT JOIN labels l ON l.id = e.label_id`;

function toEvent(r: EventRow, batchSize = 1): AnnotationEvent {
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
    who: r.who,
    score: r.score,
    batchId: r.batch_id,
    batchSize,
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

  /** The document's assignments, present ones first, each with its provenance (the shape `documents.get` returns). */
  labelsOf(docId: number): DocumentLabel[] {
    const rows = this.#db
      .prepare(
        `SELECT a.label_id, l.code, l.title, a.source, a.present, a.how, a.who, a.score, a.updated_at FROM assignments a JOIN labels l ON l.id = a.label_id
         WHERE a.doc_id = ? ORDER BY a.present DESC, l.code`,
      )
      .all(docId) as { label_id: number; code: string; title: string; source: AssignmentSource; present: number; how: AssignmentHow; who: string | null; score: number | null; updated_at: string }[];
    return rows.map((l) => ({
      labelId: l.label_id,
      code: l.code,
      title: l.title,
      source: l.source,
      present: l.present === 1,
      provenance: { how: l.how, who: l.who, score: l.score, at: l.updated_at },
    }));
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
  apply(docId: number, labelId: number, action: AnnotationAction, by: DecisionBy = NOBODY): AnnotationEvent | null {
    return this.#db.transaction((): AnnotationEvent | null => {
      const id = this.#applyOne(docId, labelId, action, by, null);
      return id === null ? null : this.#event(id);
    }).immediate();
  }

  /**
   * Several decisions in one transaction and one batch: one undo step takes them all back.
   * Decisions that change nothing are left out, as `apply` leaves them out.
   */
  applyMany(items: readonly BatchItem[], who: string | null): BatchOutcome {
    return this.#db.transaction((): BatchOutcome => {
      const batchId = this.#nextBatchId();
      const docs = new Set<number>();
      let changed = 0;
      for (const item of items) {
        if (this.#applyOne(item.docId, item.labelId, item.action, { who, score: item.score }, batchId) === null) continue;
        changed++;
        docs.add(item.docId);
      }
      return { batchId: changed > 0 ? batchId : null, changed, documents: docs.size };
    }).immediate();
  }

  /** Marks many documents at once (one batch); documents already in that status are left out. */
  setStatusMany(docIds: Iterable<number>, status: DocStatus, who: string | null): BatchOutcome {
    return this.#db.transaction((): BatchOutcome => {
      const batchId = this.#nextBatchId();
      let changed = 0;
      for (const docId of docIds) {
        const before = this.statusOf(docId);
        if (before === status) continue;
        this.#setStatus(docId, status);
        this.#insertEvent(docId, null, 'status', { status: before }, { status }, { who }, batchId);
        changed++;
      }
      return { batchId: changed > 0 ? batchId : null, changed, documents: changed };
    }).immediate();
  }

  /** The documents of a queue scope (a split or every split, and statuses) not yet in `status`, in id order. */
  scopeDocIds(split: string | null, statuses: readonly DocStatus[], status: DocStatus): number[] {
    const wanted = statuses.filter((s) => s !== status);
    if (wanted.length === 0) return [];
    const marks = wanted.map(() => '?').join(', ');
    const sql = `SELECT id FROM documents WHERE status IN (${marks})${split === null ? '' : ' AND split = ?'} ORDER BY id`;
    return this.#db
      .prepare(sql)
      .pluck()
      .all(...wanted, ...(split === null ? [] : [split])) as number[];
  }

  /** Sets a document's queue status (pending / done / skipped / review), as an undoable event. */
  setStatus(docId: number, status: DocStatus, by: DecisionBy = NOBODY): AnnotationEvent | null {
    return this.#db.transaction((): AnnotationEvent | null => {
      const before = this.statusOf(docId);
      if (before === status) return null;
      this.#setStatus(docId, status);
      return this.#event(this.#insertEvent(docId, null, 'status', { status: before }, { status }, { who: by.who }, null));
    }).immediate();
  }

  /** Reverts the newest live event; null when there is nothing to undo. */
  undo(): AnnotationEvent | null {
    return this.#db.transaction((): AnnotationEvent | null => {
      const row = this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.undone = 0 ORDER BY e.id DESC LIMIT 1`).get() as EventRow | undefined;
      if (!row) return null;
      if (row.batch_id !== null) return this.#travelBatch(row, 'undo');
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
      if (row.batch_id !== null) return this.#travelBatch(row, 'redo');
      this.#restore(row, row.after_state);
      this.#db.prepare('UPDATE annotation_events SET undone = 0 WHERE id = ?').run(row.id);
      return toEvent({ ...row, undone: 0 });
    }).immediate();
  }

  history(): HistoryState {
    const undo = this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.undone = 0 ORDER BY e.id DESC LIMIT 1`).get() as EventRow | undefined;
    const redo = this.#redoCandidate();
    return { undo: undo ? toEvent(undo, this.#batchSize(undo, 0)) : null, redo: redo ? toEvent(redo, this.#batchSize(redo, 1)) : null };
  }

  /** The log, newest first (the audit trail), optionally for one document. */
  events(options: { docId?: number | undefined; limit: number }): AnnotationEvent[] {
    const rows = (
      options.docId === undefined
        ? this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} ORDER BY e.id DESC LIMIT ?`).all(options.limit)
        : this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.doc_id = ? ORDER BY e.id DESC LIMIT ?`).all(options.docId, options.limit)
    ) as EventRow[];
    return rows.map((r) => toEvent(r));
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
    const row = this.#db.prepare('SELECT present, source, how, who, score, updated_at FROM assignments WHERE doc_id = ? AND label_id = ?').get(docId, labelId) as
      | { present: 0 | 1; source: AssignmentSource; how: AssignmentHow; who: string | null; score: number | null; updated_at: string }
      | undefined;
    return row ? { present: row.present, source: row.source, how: row.how, who: row.who, score: row.score, at: row.updated_at } : null;
  }

  #setAssignment(docId: number, labelId: number, state: AssignmentState): void {
    if (state === null) {
      this.#db.prepare('DELETE FROM assignments WHERE doc_id = ? AND label_id = ?').run(docId, labelId);
      return;
    }
    this.#db
      .prepare(
        `INSERT INTO assignments (doc_id, label_id, present, source, how, who, score, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (doc_id, label_id) DO UPDATE SET present = excluded.present, source = excluded.source, how = excluded.how,
           who = excluded.who, score = excluded.score, updated_at = excluded.updated_at`,
      )
      .run(docId, labelId, state.present, state.source, state.how ?? howOf(state), state.who ?? null, state.score ?? null, state.at ?? nowIso());
  }

  #setStatus(docId: number, status: DocStatus): void {
    this.#db.prepare('UPDATE documents SET status = ?, updated_at = ? WHERE id = ?').run(status, nowIso(), docId);
  }

  /** One label decision (inside the caller's transaction); the event id, or null when nothing changed. */
  #applyOne(docId: number, labelId: number, action: AnnotationAction, by: DecisionBy, batchId: number | null): number | null {
    this.statusOf(docId);
    if (!this.#db.prepare('SELECT 1 FROM labels WHERE id = ?').get(labelId)) throw new PlanterError('not-found', `no label ${labelId}`);
    const before = this.#assignment(docId, labelId);
    const base = target(action);
    if (same(before, base)) return null;
    // The score belongs to a suggestion the coder answered (accepted or rejected): an auditor sees
    // "rejected at 91 %" as a confident model miss. A label added by hand has none.
    const after: AssignmentState = base === null ? null : { ...base, how: howOf(base), who: by.who, score: action === 'accept' || action === 'reject' ? (by.score ?? null) : null };
    this.#setAssignment(docId, labelId, after);
    return this.#insertEvent(docId, labelId, action, before, after, by, batchId);
  }

  #event(id: number): AnnotationEvent {
    return toEvent(this.#db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.id = ?`).get(id) as EventRow);
  }

  #nextBatchId(): number {
    return (this.#db.prepare('SELECT COALESCE(MAX(batch_id), 0) + 1 FROM annotation_events WHERE batch_id IS NOT NULL').pluck().get() as number);
  }

  /** Events of the row's batch that are in the given `undone` state (1 for a plain event). */
  #batchSize(row: EventRow, undone: 0 | 1): number {
    if (row.batch_id === null) return 1;
    return this.#db.prepare('SELECT COUNT(*) FROM annotation_events WHERE batch_id = ? AND undone = ? AND superseded = 0').pluck().get(row.batch_id, undone) as number;
  }

  /**
   * Undoes (newest first) or redoes (oldest first) every event of the row's batch: a bulk action
   * is one step of the history. Returns the row that was asked for, with the batch's size.
   */
  #travelBatch(row: EventRow, direction: 'undo' | 'redo'): AnnotationEvent {
    const undo = direction === 'undo';
    const rows = this.#db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.batch_id = ? AND e.undone = ? AND e.superseded = 0 ORDER BY e.id ${undo ? 'DESC' : 'ASC'}`)
      .all(row.batch_id, undo ? 0 : 1) as EventRow[];
    for (const r of rows) this.#restore(r, undo ? r.before_state : r.after_state);
    this.#db.prepare('UPDATE annotation_events SET undone = ? WHERE batch_id = ? AND undone = ? AND superseded = 0').run(undo ? 1 : 0, row.batch_id, undo ? 0 : 1);
    return toEvent({ ...row, undone: undo ? 1 : 0 }, rows.length);
  }

  #insertEvent(docId: number, labelId: number | null, action: AnnotationEvent['action'], before: unknown, after: unknown, by: DecisionBy, batchId: number | null): number {
    // A new action ends every redo branch: the undone events stay in the log, superseded.
    this.#db.prepare('UPDATE annotation_events SET superseded = 1 WHERE undone = 1 AND superseded = 0').run();
    return Number(
      this.#db
        .prepare('INSERT INTO annotation_events (doc_id, label_id, action, before_state, after_state, created_at, who, score, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(
          docId,
          labelId,
          action,
          before === null ? null : JSON.stringify(before),
          after === null ? null : JSON.stringify(after),
          nowIso(),
          by.who,
          action === 'accept' || action === 'reject' ? (by.score ?? null) : null,
          batchId,
        ).lastInsertRowid,
    );
  }

  #restore(row: EventRow, state: string | null): void {
    if (isSpanAction(row.action)) return restoreSpan(this.#db, state, state === row.before_state ? row.after_state : row.before_state);
    if (row.action === 'status') {
      const s = state === null ? null : (JSON.parse(state) as StatusState);
      if (s) this.#setStatus(row.doc_id, s.status);
      return;
    }
    if (row.label_id === null) return; // the label was deleted since; nothing left to restore
    this.#setAssignment(row.doc_id, row.label_id, state === null ? null : (JSON.parse(state) as NonNullable<AssignmentState>));
  }
}
