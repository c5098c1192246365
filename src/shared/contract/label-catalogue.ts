import { z } from 'zod';
import { ProjectId, RowId, type MethodTable } from './common';
import { LabelItem } from './labels';

/**
 * The whole label catalogue in one compact string, for the renderer's type-ahead index (a Web
 * Worker searches 100k labels in well under a frame; a round trip per keystroke does not fit).
 * One label per line (`\n`), fields separated by tabs:
 * `id  code  parentCode  kind(c|g)  flagged(1|)  title  synonym…` — any tab or line break inside a
 * title or synonym is sent as a space. `g` marks a category (chapter, block).
 * A single string keeps parsing and structured cloning cheap (no 100k-object JSON tree).
 */
export const LabelCatalogue = z.object({
  /** Changes when labels are imported; the renderer keeps its index while the version stays. */
  version: z.string(),
  count: z.number().int().min(0),
  rows: z.string(),
});
export type LabelCatalogue = z.infer<typeof LabelCatalogue>;

export const labelCatalogueMethods = {
  'labels.catalogue': { input: z.object({ projectId: ProjectId }).strict(), output: LabelCatalogue },
  /** Training-document counts of every label that has any, flattened `[labelId, count, labelId, count, …]`. */
  'labels.counts': { input: z.object({ projectId: ProjectId }).strict(), output: z.object({ counts: z.array(z.number().int().min(0)) }) },
  /**
   * The words coders used, per label: each assigned label's most distinctive words and two-word
   * phrases in the documents it is assigned to (TF-IDF over the project's labelled documents, see
   * services/label-terms.ts), most distinctive first. The label picker searches them beside titles
   * and synonyms. `version` changes when assignments or documents change.
   * @example { labels: [{ labelId: 812, terms: ['heart attack', 'troponin', 'stent'] }] }
   */
  'labels.terms': {
    input: z.object({ projectId: ProjectId }).strict(),
    output: z.object({ version: z.string(), labels: z.array(z.object({ labelId: RowId, terms: z.array(z.string()) })) }),
  },
  /** Labels the annotator accepted or added lately, most recent first. */
  'labels.recent': {
    input: z.object({ projectId: ProjectId, limit: z.number().int().min(1).max(100).default(12) }).strict(),
    output: z.object({ items: z.array(LabelItem) }),
  },
} as const satisfies MethodTable;
