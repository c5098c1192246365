import { z } from 'zod';
import { ProjectId, type MethodTable } from './common';
import { typedText } from './notes';

/** The guidelines are a handbook page, not a book: 200,000 characters (well under the web host's 8 MB body). */
export const GUIDELINES_MAX_CHARS = 200_000;

/** The project's coding guidelines: one Markdown text (rendered without HTML in the UI). */
export const Guidelines = z.object({
  text: z.string(),
  /** ISO 8601; null when nobody has written guidelines yet. */
  updatedAt: z.string().nullable(),
  author: z.string().nullable(),
});
export type Guidelines = z.infer<typeof Guidelines>;

export const guidelineMethods = {
  'guidelines.get': { input: z.object({ projectId: ProjectId }).strict(), output: Guidelines },
  /** Replaces the guidelines text (Markdown); an empty text clears them. */
  'guidelines.set': { input: z.object({ projectId: ProjectId, text: typedText(GUIDELINES_MAX_CHARS) }).strict(), output: Guidelines },
} as const satisfies MethodTable;
