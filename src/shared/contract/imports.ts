import { z } from 'zod';
import { JobStarted, ProjectId, Split, type MethodTable } from './common';
import { UploadId } from './uploads';

/**
 * Corpus formats. `jsonl` and `csv` use the field mapping; the others follow their tool's export:
 * Prodigy JSONL (`text`, `accept`, `answer`), doccano JSONL (`text`, `label`), Label Studio JSON
 * (an array of tasks with `data.text` and `choices` results).
 */
export const CorpusFormat = z.enum(['jsonl', 'csv', 'prodigy', 'doccano', 'label-studio']);
export type CorpusFormat = z.infer<typeof CorpusFormat>;

/**
 * A format, or `auto`: CSV/TSV and Label Studio JSON by the file name, JSON Lines by its first
 * record (Prodigy, doccano or generic JSONL). The result says which format was used.
 */
export const CorpusFormatChoice = z.union([CorpusFormat, z.literal('auto')]);
export type CorpusFormatChoice = z.infer<typeof CorpusFormatChoice>;

/** Label catalogue formats: ICD-10-CM/PCS TSV (../shared/data/icd-codes), EUROVOC JSON, generic CSV. */
export const CatalogueFormat = z.enum(['icd10cm-tsv', 'icd10pcs-tsv', 'eurovoc-json', 'labels-csv']);
export type CatalogueFormat = z.infer<typeof CatalogueFormat>;

const FieldName = z.string().min(1).max(200);

/** How corpus fields map onto Planter's document. Defaults suit `{"id", "text", "labels", "split"}`. */
export const FieldMapping = z
  .object({
    textField: FieldName.default('text'),
    /** Several fields are joined with blank lines (e.g. EURLEX57K's header, recitals, main_body). */
    extraTextFields: z.array(FieldName).max(20).default([]),
    labelsField: FieldName.optional(),
    idField: FieldName.optional(),
    /** Prodigy, doccano and Label Studio read it where they keep metadata: `meta`, the line, `data`. */
    splitField: FieldName.optional(),
    /** The split for every document of the file, when there is no split field. */
    split: Split.optional(),
    /** How labels are separated when the labels field is a string rather than a JSON array. */
    labelSeparator: z.string().min(1).max(5).default(';'),
  })
  .strict();
export type FieldMapping = z.infer<typeof FieldMapping>;

/** Files come from an upload (UI) or, for trusted callers only (the CLI), from a path. */
export const ImportSource = z.union([
  z.object({ uploadId: UploadId }).strict(),
  z.object({ path: z.string().min(1).max(4096) }).strict(),
]);
export type ImportSource = z.infer<typeof ImportSource>;

export const ImportResult = z.object({
  file: z.string(),
  documents: z.number().int().min(0),
  assignments: z.number().int().min(0),
  labelsCreated: z.number().int().min(0),
  /** Labels used by documents but missing from the catalogue: created and flagged, never dropped. */
  labelsFlagged: z.number().int().min(0),
  labelsUpdated: z.number().int().min(0),
  durationMs: z.number().min(0),
  /** The corpus format the file was read as (after `auto`). */
  format: CorpusFormat.optional(),
  /** Catalogues: existing labels whose title the file replaced, and up to five of them. */
  titlesChanged: z.number().int().min(0).optional(),
  titleChanges: z.array(z.object({ code: z.string(), before: z.string(), after: z.string() })).optional(),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const importMethods = {
  'imports.corpus': {
    input: z
      .object({
        projectId: ProjectId,
        source: ImportSource,
        format: CorpusFormatChoice,
        mapping: FieldMapping.default(FieldMapping.parse({})),
      })
      .strict(),
    output: JobStarted,
  },
  'imports.catalogue': {
    input: z
      .object({
        projectId: ProjectId,
        source: ImportSource,
        format: CatalogueFormat,
        /** Import even when the catalogue's code system (ICD-9-CM, ICD-10-CM, …) differs from the project's. */
        force: z.boolean().default(false),
      })
      .strict(),
    output: JobStarted,
  },
} as const satisfies MethodTable;
