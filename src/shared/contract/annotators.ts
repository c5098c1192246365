import { z } from 'zod';
import { Empty, ProjectId, type MethodTable } from './common';

/**
 * The annotator's name: one per app install (Electron's user data, or the browser mode's and
 * CLI's data folder), asked at first start and changeable in the settings. Every decision records
 * it. A name, not an account: Planter is a local tool and trusts whoever sits at it.
 */
export const AnnotatorName = z
  .string()
  .trim()
  .min(1, 'an annotator name is not empty')
  .max(80, 'an annotator name is at most 80 characters')
  .regex(/^[^\p{Cc}]+$/u, 'an annotator name has no control characters');
export type AnnotatorName = z.infer<typeof AnnotatorName>;

/** Null until the first start's dialog (or `annotator.set`) chose one. */
export const AnnotatorSetting = z.object({ name: AnnotatorName.nullable() });
export type AnnotatorSetting = z.infer<typeof AnnotatorSetting>;

/** How an assignment came to be (the provenance of one label on one document). */
export const AssignmentHow = z.enum(['imported', 'added', 'accepted', 'rejected']);
export type AssignmentHow = z.infer<typeof AssignmentHow>;

/**
 * One annotator's work in a project, from the annotation log (undone actions do not count).
 * - `documentsDone`: documents now done whose last live "mark done" was theirs.
 * - `secondsPerDocument`: active time per document. The log has no "opened" time, so time is
 *   the gap between consecutive decisions of the same annotator, credited to the document of the
 *   later decision; a gap longer than `breakSeconds` is a break and counts as nothing (not as
 *   `breakSeconds`). Bulk actions are one decision each and count no time to their documents.
 *   Null when no document has a timed decision.
 * - `acceptanceRate`: accepted / (accepted + rejected) model suggestions; a rejection counts as
 *   one of a suggestion when the UI sent the suggestion's score with it. Null when neither happened.
 */
export const AnnotatorStats = z.object({
  /** Null: decisions recorded before annotator names existed (or made without one). */
  annotator: z.string().nullable(),
  decisions: z.number().int().min(0),
  documentsDone: z.number().int().min(0),
  /** Documents with at least one timed decision (the sample the two figures below come from). */
  timedDocuments: z.number().int().min(0),
  medianSecondsPerDocument: z.number().min(0).nullable(),
  meanSecondsPerDocument: z.number().min(0).nullable(),
  acceptedSuggestions: z.number().int().min(0),
  rejectedSuggestions: z.number().int().min(0),
  acceptanceRate: z.number().min(0).max(1).nullable(),
  firstAt: z.string().nullable(),
  lastAt: z.string().nullable(),
});
export type AnnotatorStats = z.infer<typeof AnnotatorStats>;

export const AnnotatorReport = z.object({ annotators: z.array(AnnotatorStats), breakSeconds: z.number().int().positive() });
export type AnnotatorReport = z.infer<typeof AnnotatorReport>;

export const annotatorMethods = {
  /** The name this install records on every decision (null before the first start's dialog). */
  'annotator.get': { input: Empty, output: AnnotatorSetting },
  /** @example { name: 'Dr. Ana Ruiz' } — changes the name for decisions from now on (earlier ones keep theirs). */
  'annotator.set': { input: z.object({ name: AnnotatorName }).strict(), output: AnnotatorSetting },
  /** Per annotator: documents done, time per document, acceptance rate of suggestions. */
  'annotator.stats': { input: z.object({ projectId: ProjectId }).strict(), output: AnnotatorReport },
} as const satisfies MethodTable;
