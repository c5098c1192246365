import { z } from 'zod';
import { ProjectId, RowId, type MethodTable } from './common';
import { DocStatus, DocumentLabel } from './documents';

/** A model suggestion's probability, as `Suggestion.score`. */
export const SuggestionScore = z.number().min(0).max(1);

/**
 * What an annotator does to one label of one document:
 * - `accept` a model suggestion → present, source `suggestion`;
 * - `add` a label the model missed (through the picker) → present, source `annotator`;
 * - `reject` a label → kept as an explicit negative (present = false, source `annotator`);
 * - `remove` → the assignment row is deleted ("never looked at" again).
 */
export const AnnotationAction = z.enum(['accept', 'add', 'reject', 'remove']);
export type AnnotationAction = z.infer<typeof AnnotationAction>;

/** One row of the annotation log: the audit trail and the source of undo/redo. */
export const AnnotationEvent = z.object({
  id: RowId,
  docId: RowId,
  extId: z.string(),
  /** Null for status changes. */
  labelId: RowId.nullable(),
  code: z.string().nullable(),
  /** `span-*`: an evidence span was attached, changed or removed (contract/spans.ts). */
  action: z.enum(['accept', 'add', 'reject', 'remove', 'status', 'span-add', 'span-update', 'span-delete']),
  /** Only for `status` events. */
  statusBefore: DocStatus.nullable().optional(),
  statusAfter: DocStatus.nullable().optional(),
  createdAt: z.string(),
  undone: z.boolean(),
  /** Who decided (the app install's annotator name); null before issue #17 or when none was set. */
  who: z.string().nullable().optional(),
  /** The model suggestion's score, on an `accept` or `reject` of a suggestion the UI showed. */
  score: z.number().nullable().optional(),
  /** The bulk action this event belongs to (undo and redo take the whole batch); null for single actions. */
  batchId: RowId.nullable().optional(),
  /** Events in that batch (1 for single actions), for "undo: accept 5 labels". */
  batchSize: z.number().int().min(1).optional(),
});
export type AnnotationEvent = z.infer<typeof AnnotationEvent>;

/** What undo and redo would do next (null = nothing). The history is project-wide and linear. */
export const HistoryState = z.object({ undo: AnnotationEvent.nullable(), redo: AnnotationEvent.nullable() });
export type HistoryState = z.infer<typeof HistoryState>;

/**
 * The answer to every annotation write: the event it recorded (null when nothing changed, e.g.
 * accepting a label that is already accepted), the touched document's labels and status after the
 * write, and the history state.
 */
/** Documents per status in one split. */
export const StatusCounts = z.object({ pending: z.number().int().min(0), done: z.number().int().min(0), skipped: z.number().int().min(0), review: z.number().int().min(0) });
export type StatusCounts = z.infer<typeof StatusCounts>;

export const AnnotationResult = z.object({
  event: AnnotationEvent.nullable(),
  document: z.object({ docId: RowId, status: DocStatus, labels: z.array(DocumentLabel) }).nullable(),
  history: HistoryState,
  /**
   * Documents per status in every split after the write, so the queue's counters are the stored
   * truth after any write, undo or redo, wherever the document is (issue #14 bug 1).
   */
  statusCounts: z.record(z.string(), StatusCounts),
});
export type AnnotationResult = z.infer<typeof AnnotationResult>;

export const annotationMethods = {
  /** @example { projectId: 'demo', docId: 12, labelId: 4711, action: 'accept' } */
  'annotations.apply': {
    input: z
      .object({
        projectId: ProjectId,
        docId: RowId,
        labelId: RowId,
        action: AnnotationAction,
        /** The suggestion's score when the coder accepted or rejected a model suggestion (the provenance records it). */
        score: SuggestionScore.optional(),
      })
      .strict(),
    output: AnnotationResult,
  },
  /** Marks a document done (it then counts as training data unless it is in dev/test), skipped, for review, or pending again. */
  'annotations.setStatus': {
    input: z.object({ projectId: ProjectId, docId: RowId, status: DocStatus }).strict(),
    output: AnnotationResult,
  },
  /** Reverts the newest annotation action of the project, wherever it happened (also after a restart). */
  'annotations.undo': { input: z.object({ projectId: ProjectId }).strict(), output: AnnotationResult },
  'annotations.redo': { input: z.object({ projectId: ProjectId }).strict(), output: AnnotationResult },
  /** The log, newest first, optionally for one document, with the current undo/redo state. */
  'annotations.history': {
    input: z.object({ projectId: ProjectId, docId: RowId.optional(), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.object({ events: z.array(AnnotationEvent), history: HistoryState }),
  },
} as const satisfies MethodTable;
