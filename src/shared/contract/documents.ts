import { z } from 'zod';
import { Page, ProjectId, RowId, Split, type MethodTable } from './common';

export const DocStatus = z.enum(['pending', 'done', 'skipped', 'review']);
export type DocStatus = z.infer<typeof DocStatus>;

/** Where a label assignment came from. */
export const AssignmentSource = z.enum(['imported', 'annotator', 'suggestion']);
export type AssignmentSource = z.infer<typeof AssignmentSource>;

export const DocumentLabel = z.object({
  labelId: RowId,
  code: z.string(),
  title: z.string(),
  source: AssignmentSource,
  /** False when an annotator explicitly rejected the label for this document. */
  present: z.boolean(),
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
