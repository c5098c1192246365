import { z } from 'zod';
import { JobStarted } from './jobs';
import { ProjectId, Split, type MethodTable } from './common';

export const AnnotationExportFormat = z.enum(['jsonl', 'csv']);

/**
 * Where an export goes. Over HTTP and IPC only a plain file or folder name is accepted, written
 * under the project's `exports/` folder: a renderer never names a path on disk. The CLI (trusted,
 * in-process) may give a path.
 */
export const ExportDestination = z.union([
  z
    .object({
      name: z
        .string()
        .min(1)
        .max(120)
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain name: letters, digits, dot, dash or underscore, no folders'),
    })
    .strict(),
  z.object({ path: z.string().min(1).max(4096) }).strict(),
]);
export type ExportDestination = z.infer<typeof ExportDestination>;

export const AnnotationExportResult = z.object({
  /** Relative to the project folder ("exports/annotations.csv"); the command line's own path when it gave one. */
  path: z.string(),
  documents: z.number().int().min(0),
  assignments: z.number().int().min(0),
});
export type AnnotationExportResult = z.infer<typeof AnnotationExportResult>;

export const exportMethods = {
  'exports.annotations': {
    input: z
      .object({
        projectId: ProjectId,
        format: AnnotationExportFormat,
        destination: ExportDestination,
        split: Split.optional(),
        /** Only documents a coder worked on: marked done, or with a label a coder accepted, added or rejected. */
        annotatedOnly: z.boolean().default(false),
      })
      .strict(),
    output: JobStarted,
  },
} as const satisfies MethodTable;
