import { z } from 'zod';
import { AssignmentHow } from './annotators';
import { Page, ProjectId, RowId, Split, type MethodTable } from './common';

export const DocStatus = z.enum(['pending', 'done', 'skipped', 'review']);
export type DocStatus = z.infer<typeof DocStatus>;

/** Where a label assignment came from. */
export const AssignmentSource = z.enum(['imported', 'annotator', 'suggestion']);
export type AssignmentSource = z.infer<typeof AssignmentSource>;

/**
 * How one label came to be on one document (issue #17), as the assignment row stores it.
 * - `who`: the annotator name of the install that wrote it; null where nobody recorded one (rows
 *   older than migration 0006, and imports made before the importer recorded who ran them).
 * - `score`: the suggestion's score when the label is a suggestion the coder accepted or rejected
 *   and the UI sent it.
 * - `at`: the assignment's last write (ISO 8601, UTC).
 */
export const LabelProvenance = z.object({
  how: AssignmentHow,
  who: z.string().nullable(),
  score: z.number().min(0).max(1).nullable(),
  at: z.string(),
});
export type LabelProvenance = z.infer<typeof LabelProvenance>;

export const DocumentLabel = z.object({
  labelId: RowId,
  code: z.string(),
  title: z.string(),
  source: AssignmentSource,
  /** False when an annotator explicitly rejected the label for this document. */
  present: z.boolean(),
  provenance: LabelProvenance,
});
export type DocumentLabel = z.infer<typeof DocumentLabel>;

export const DocumentListItem = z.object({
  id: RowId,
  extId: z.string(),
  split: Split,
  status: DocStatus,
  snippet: z.string(),
  labelCount: z.number().int().min(0),
});
export type DocumentListItem = z.infer<typeof DocumentListItem>;

export const DocumentDetail = z.object({
  id: RowId,
  extId: z.string(),
  split: Split,
  status: DocStatus,
  text: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  labels: z.array(DocumentLabel),
});
export type DocumentDetail = z.infer<typeof DocumentDetail>;

export const documentMethods = {
  'documents.list': {
    input: z
      .object({
        projectId: ProjectId,
        split: Split.optional(),
        status: DocStatus.optional(),
        /** Full-text search over document text. */
        query: z.string().max(500).optional(),
        /**
         * Keyset paging: documents after this id (the last id of the page before). Pages cost the
         * same at any depth; `offset` then counts from the cursor.
         */
        after: RowId.optional(),
        ...Page.shape,
      })
      .strict(),
    output: z.object({ total: z.number().int().min(0), items: z.array(DocumentListItem) }),
  },
  'documents.get': {
    input: z.object({ projectId: ProjectId, docId: RowId }).strict(),
    output: DocumentDetail,
  },
} as const satisfies MethodTable;
