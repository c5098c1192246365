import { z } from 'zod';
import { ProjectId, RowId, Split, type MethodTable } from './common';
import { AnnotationAction, HistoryState, StatusCounts, SuggestionScore } from './annotations';
import { DocStatus } from './documents';

/** One decision of a bulk action; `score` as in `annotations.apply`. */
export const BulkItem = z.object({ docId: RowId, labelId: RowId, action: AnnotationAction, score: SuggestionScore.optional() }).strict();
export type BulkItem = z.infer<typeof BulkItem>;

/**
 * Which documents `annotations.setStatusMany` marks: a list, or the queue's scope (a split, or
 * every split with null, and the statuses it lists), the set the queue's progress bar counts.
 */
export const StatusScope = z.union([
  z.object({ docIds: z.array(RowId).min(1).max(10_000) }).strict(),
  z.object({ split: Split.nullable(), statuses: z.array(DocStatus).min(1).max(4) }).strict(),
]);
export type StatusScope = z.infer<typeof StatusScope>;

/**
 * The answer to a bulk action: one batch in the history (one undo step), how many decisions
 * changed something (a no-op, such as accepting an accepted label, records nothing) and on how
 * many documents. `batchId` is null when nothing changed.
 */
export const BulkResult = z.object({
  batchId: RowId.nullable(),
  changed: z.number().int().min(0),
  documents: z.number().int().min(0),
  history: HistoryState,
  statusCounts: z.record(z.string(), StatusCounts),
});
export type BulkResult = z.infer<typeof BulkResult>;

export const bulkAnnotationMethods = {
  /**
   * Several decisions as one undo step: "accept every suggestion above its threshold on this
   * document", or "add label X to these similar documents" after the preview.
   * @example { projectId: 'demo', items: [{ docId: 12, labelId: 4711, action: 'accept', score: 0.91 }] }
   */
  'annotations.applyMany': {
    input: z.object({ projectId: ProjectId, items: z.array(BulkItem).min(1).max(1_000) }).strict(),
    output: BulkResult,
  },
  /** Marks a set of documents done / skipped / review / pending as one undo step. */
  'annotations.setStatusMany': {
    input: z.object({ projectId: ProjectId, status: DocStatus, scope: StatusScope }).strict(),
    output: BulkResult,
  },
} as const satisfies MethodTable;
