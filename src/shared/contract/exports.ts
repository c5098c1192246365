import { z } from 'zod';
import { JobStarted, ProjectId, RowId, Split, type MethodTable } from './common';

/**
 * `jsonl` and `csv` are Planter's own shapes (everything, provenance included); `prodigy`,
 * `doccano` and `label-studio` are those tools' own formats, the ones `imports.corpus` reads.
 */
export const AnnotationExportFormat = z.enum(['jsonl', 'csv', 'prodigy', 'doccano', 'label-studio']);
export type AnnotationExportFormat = z.infer<typeof AnnotationExportFormat>;

/** The file extension each format is written with (Prodigy and doccano are JSON Lines, Label Studio one JSON array). */
export const ANNOTATION_EXPORT_EXTENSION: Record<AnnotationExportFormat, string> = {
  jsonl: '.jsonl',
  csv: '.csv',
  prodigy: '.jsonl',
  doccano: '.jsonl',
  'label-studio': '.json',
};

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

/** The result of an `exports.model` job: the bundle's folder and files, shown like `AnnotationExportResult.path`. */
export const ModelExportResult = z.object({
  path: z.string(),
  /** Every file of the bundle, each as `<path>/<file>`. */
  files: z.array(z.string()),
  modelId: RowId,
});
export type ModelExportResult = z.infer<typeof ModelExportResult>;

/** Both exports run as `export` jobs; the model's result is the one with `files`. */
export const ExportResult = z.union([AnnotationExportResult, ModelExportResult]);
export type ExportResult = z.infer<typeof ExportResult>;
export const isModelExport = (r: ExportResult): r is ModelExportResult => 'files' in r;

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
