import { z } from 'zod';
import { ProjectId, RowId, Split, type MethodTable } from './common';
import { HistoryState } from './annotations';
import { ImportSource } from './imports';

/**
 * Evidence spans (issue #17): the words of a document that justify one of its labels. `start` and
 * `end` are UTF-16 code-unit offsets into the document's text, as a JavaScript string indexes it
 * (`text === document.text.slice(start, end)`); `end` is exclusive.
 */
export const SpanSource = z.enum(['imported', 'added']);
export type SpanSource = z.infer<typeof SpanSource>;

const Offset = z.number().int().min(0);

export const CoderSpan = z.object({
  id: RowId,
  docId: RowId,
  labelId: RowId,
  code: z.string(),
  start: Offset,
  end: Offset,
  text: z.string(),
  source: SpanSource,
  createdAt: z.string(),
});
export type CoderSpan = z.infer<typeof CoderSpan>;

/** The answer to every span write: the document's spans after it, and what undo/redo would do next. */
export const SpanResult = z.object({
  /** False when nothing changed (the same span already existed, or an update changed nothing). */
  changed: z.boolean(),
  span: CoderSpan.nullable(),
  docId: RowId,
  spans: z.array(CoderSpan),
  history: HistoryState,
});
export type SpanResult = z.infer<typeof SpanResult>;

/** One span whose text is not the document's text at its offsets: reported, never stored. */
export const SpanMismatch = z.object({ line: z.number().int().min(1), extId: z.string(), expected: z.string(), actual: z.string() });
export type SpanMismatch = z.infer<typeof SpanMismatch>;

export const SpanImportResult = z.object({
  file: z.string(),
  /** Data lines read (the file's evidence rows). */
  rows: z.number().int().min(0),
  /** Spans stored (one per piece of a discontinuous evidence). */
  imported: z.number().int().min(0),
  /** Pieces already in the project (the same document, label and offsets). */
  duplicates: z.number().int().min(0),
  mismatches: z.array(SpanMismatch),
  /** Rows naming a document or a code the project does not have (skipped; first lines listed). */
  unknownDocuments: z.number().int().min(0),
  unknownCodes: z.number().int().min(0),
  unknownLines: z.array(z.number().int().min(1)),
});
export type SpanImportResult = z.infer<typeof SpanImportResult>;

/**
 * Does the model look where a coder looks? Among correct suggestions (a gold label among the
 * model's top `k`) on documents of the split where coders marked spans for that label, the share
 * whose model top evidence (the `evidenceK` most attended tokens and lexical terms, as
 * `evidence.get` gives them) overlaps a coder's span. `agreement` is a fraction in [0, 1].
 */
export const SpanAgreement = z.object({
  modelId: RowId.nullable(),
  split: Split,
  k: z.number().int().min(1),
  evidenceK: z.number().int().min(1),
  /** Documents of the split that have coder spans. */
  documents: z.number().int().min(0),
  cases: z.number().int().min(0),
  agreeing: z.number().int().min(0),
  agreement: z.number().min(0).max(1).nullable(),
  withoutModelEvidence: z.number().int().min(0),
  /** Set when there is no model yet (then every count is 0). */
  noModel: z.string().optional(),
});
export type SpanAgreement = z.infer<typeof SpanAgreement>;

export const spanMethods = {
  /** @example { projectId: 'demo', docId: 12 } */
  'spans.list': { input: z.object({ projectId: ProjectId, docId: RowId }).strict(), output: z.object({ spans: z.array(CoderSpan) }) },
  /** Attaches the text between `start` and `end` to a label; undoable like every annotation. */
  'spans.add': {
    input: z.object({ projectId: ProjectId, docId: RowId, labelId: RowId, start: Offset, end: Offset }).strict().refine((i) => i.end > i.start, { path: ['end'], message: 'end must be after start' }),
    output: SpanResult,
  },
  /** Moves a span to another label (retarget) or other offsets. */
  'spans.update': {
    input: z
      .object({ projectId: ProjectId, spanId: RowId, labelId: RowId.optional(), start: Offset.optional(), end: Offset.optional() })
      .strict()
      .refine((i) => i.start === undefined || i.end === undefined || i.end > i.start, { path: ['end'], message: 'end must be after start' }),
    output: SpanResult,
  },
  'spans.delete': { input: z.object({ projectId: ProjectId, spanId: RowId }).strict(), output: SpanResult },
  /**
   * Imports CodiEsp-X evidence (`doc \t type \t code \t text \t offsets`, offsets `a b;c d`) in one
   * transaction; a span whose text differs from the document's text at its offsets is reported, not stored.
   */
  /** @example { projectId: 'demo-es', split: 'dev' } */
  'spans.agreement': {
    input: z
      .object({ projectId: ProjectId, split: Split.default('dev'), modelId: RowId.optional(), k: z.number().int().min(1).max(50).default(5), evidenceK: z.number().int().min(1).max(32).default(5) })
      .strict(),
    output: SpanAgreement,
  },
  'spans.import': { input: z.object({ projectId: ProjectId, source: ImportSource }).strict(), output: SpanImportResult },
} as const satisfies MethodTable;
