import { z } from 'zod';
import { Page, ProjectId, RowId, Split, type MethodTable } from './common';
import { DocStatus } from './documents';

/**
 * How the annotation queue orders documents.
 * - `rare-first`: documents likely to carry labels with few training examples — model scores ×
 *   label rarity when a model exists, plus keyword seeds (description and MIG tokens) for labels
 *   with 0–5 training documents, which works before the first model.
 * - `uncertainty`: the model's least certain documents (scores nearest the threshold). Needs a model.
 * - `random`: a seeded shuffle (the same seed gives the same order).
 * - `by-label`: "find more examples of this label" (`labelId`): the model's scores for it, or its
 *   description and MIG keywords before there is a model.
 * - `search`: full-text search (`query`), best matches first.
 * - `similar`: documents like `docId` (the model's document representations; word overlap before
 *   there is a model).
 * - `sequential`: import order.
 * - `label-errors`: likely label errors among the training documents in scope (issue #17): the
 *   lexical ranker's out-of-fold scores (5-fold) disagree with the gold labels — a gold label scored
 *   far below its label's threshold, or a confident prediction missing from gold. Computed once per
 *   state of the training labels as a `label-errors` job; each item's reason names the label.
 */
export const QueueStrategy = z.enum(['rare-first', 'uncertainty', 'random', 'by-label', 'search', 'similar', 'sequential', 'label-errors']);
export type QueueStrategy = z.infer<typeof QueueStrategy>;

/**
 * Around a matched word in a search excerpt (private-use characters, which no document text
 * holds): the UI highlights what is between them. Brackets showed up as text (issue #14).
 */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

export const QueueItem = z.object({
  docId: RowId,
  extId: z.string(),
  split: Split,
  status: DocStatus,
  snippet: z.string(),
  /** Present labels on the document. */
  labelCount: z.number().int().min(0),
  /** The strategy's score (higher first); null for orders without one (random, sequential). */
  score: z.number().nullable(),
  /**
   * Why the document is here, in words: `E11.9 (0 train docs): insulin, glycaemia`. For text
   * search, an excerpt whose matched words are wrapped in `MATCH_START` … `MATCH_END`.
   */
  reason: z.string().nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

/** Documents per status in the queue's split (the progress bar). */
export const QueueProgress = z.object({
  split: Split.nullable(),
  total: z.number().int().min(0),
  pending: z.number().int().min(0),
  done: z.number().int().min(0),
  skipped: z.number().int().min(0),
  review: z.number().int().min(0),
});
export type QueueProgress = z.infer<typeof QueueProgress>;

export const QueueInput = z
  .object({
    projectId: ProjectId,
    strategy: QueueStrategy,
    /** The split to annotate; default `pool` (finished pool documents become training data). Null = every split. */
    split: Split.nullable().default('pool'),
    /** Which statuses to list; default the pending ones. */
    statuses: z.array(DocStatus).min(1).max(4).default(['pending']),
    labelId: RowId.optional(),
    query: z.string().max(500).optional(),
    docId: RowId.optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    ...Page.shape,
  })
  .strict();
export type QueueInput = z.input<typeof QueueInput>;

export const QueueOutput = z.object({
  strategy: QueueStrategy,
  items: z.array(QueueItem),
  /** Documents the strategy ranks (the list is a page of them). */
  total: z.number().int().min(0),
  /** Documents in the split with the statuses asked for: `total` of them are ranked (search, by-label and similar rank only matches). */
  scope: z.number().int().min(0),
  progress: QueueProgress,
  /** The model the scores came from; null when the order needed none or none exists. */
  modelId: RowId.nullable(),
  /** True when the strategy cannot run without a trained model (then `items` is empty). */
  needsModel: z.boolean(),
  /**
   * The model is still scoring the queue's documents (a `predict` job, once per model): until it
   * finishes, orders that use it fall back to keywords or wait. Null when nothing is pending.
   */
  scoring: z.object({ modelId: RowId, jobId: z.string(), done: z.number().int().min(0), total: z.number().int().min(0) }).nullable(),
  /**
   * The keyword index of the corpus is still being built (an `index` job, once per corpus): the
   * keyword orders rank the documents indexed so far. Null when it is complete or not needed.
   */
  indexing: z.object({ jobId: z.string(), done: z.number().int().min(0), total: z.number().int().min(0) }).nullable(),
  /**
   * The label-errors order's out-of-fold pass is running (a `label-errors` job, once per state of
   * the training labels): until it finishes the order is empty, or the previous pass's when the
   * labels changed since. Absent or null otherwise.
   */
  auditing: z.object({ jobId: z.string(), done: z.number().min(0), total: z.number().min(0) }).nullable().optional(),
  /**
   * True when this page comes from the order kept so far while a better one (the complete keyword
   * index, the model's scores) is ranked in the background; a `queue.reordered` event says when
   * it is in, and the same request then gets the new order. Absent or false otherwise.
   */
  reranking: z.boolean().optional(),
  /** What the order is based on, or what is missing, for the UI to show as is. */
  note: z.string().nullable(),
});
export type QueueOutput = z.infer<typeof QueueOutput>;

/** A queue order that was answered from its kept version has been ranked again: ask for the page again. */
export const QueueReordered = z.object({ projectId: ProjectId, strategy: QueueStrategy }).strict();

/** The result of a `predict` job: documents scored for the queue (`modelId` absent when a newer model or a cancel stopped it early). */
export const QueueScoringResult = z.object({ modelId: RowId.optional(), scored: z.number().int().min(0) });
export type QueueScoringResult = z.infer<typeof QueueScoringResult>;

/** The result of an `index` job: the queue's keyword index of the corpus. */
export const KeywordIndexResult = z.object({ documents: z.number().int().min(0), labels: z.number().int().min(0), complete: z.boolean() });
export type KeywordIndexResult = z.infer<typeof KeywordIndexResult>;

/**
 * The result of a `label-errors` job: the audit of the training labels. Only `documents` when it
 * was cancelled before it started; otherwise also what it flagged and how long it took.
 */
export const LabelAuditResult = z.object({
  documents: z.number().int().min(0),
  flaggedDocuments: z.number().int().min(0).optional(),
  flaggedPairs: z.number().int().min(0).optional(),
  seconds: z.number().min(0).optional(),
});
export type LabelAuditResult = z.infer<typeof LabelAuditResult>;

export const queueMethods = {
  /** @example { projectId: 'demo', strategy: 'rare-first' } — the next pending pool documents, rarest evidence first. */
  'queue.next': { input: QueueInput, output: QueueOutput },
} as const satisfies MethodTable;
