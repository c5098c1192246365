import { z } from 'zod';
import { ProjectId, RowId, type MethodTable } from './common';

export const LabelKind = z.enum(['code', 'category']);
export type LabelKind = z.infer<typeof LabelKind>;

export const LabelItem = z.object({
  id: RowId,
  code: z.string(),
  title: z.string(),
  synonyms: z.array(z.string()),
  parentCode: z.string().nullable(),
  kind: LabelKind,
  /** Distinct training documents carrying the label. */
  trainCount: z.number().int().min(0),
  /** Created because documents used it while the catalogue lacked it. */
  flagged: z.boolean(),
});
export type LabelItem = z.infer<typeof LabelItem>;

export const labelMethods = {
  'labels.search': {
    input: z
      .object({
        projectId: ProjectId,
        query: z.string().max(200),
        limit: z.number().int().min(1).max(200).default(50),
        /** Only assignable codes (leaves), not chapters or blocks. */
        leafOnly: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ items: z.array(LabelItem), total: z.number().int().min(0) }),
  },
} as const satisfies MethodTable;
