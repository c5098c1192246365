import { z } from 'zod';
import { loneSurrogateAt } from '../unicode';
import { ProjectId, RowId, type MethodTable } from './common';

/** A note is a paragraph or a few, not a document: 10,000 characters. */
export const NOTE_MAX_CHARS = 10_000;

/**
 * Free text a coder types (a note, the guidelines), at most `max` characters. Unpaired UTF-16
 * surrogates are refused here too (dispatch refuses them for every method, shared/unicode.ts):
 * SQLite would store something other than what was typed.
 */
export function typedText(max: number) {
  return z
    .string()
    .max(max)
    .refine((text) => loneSurrogateAt(text) < 0, { message: 'text must be valid Unicode (it has an unpaired UTF-16 surrogate, e.g. a cut emoji)' });
}

/** One stored note: about the document (`labelId` null) or about one of its labels. */
export const StoredNote = z.object({
  labelId: RowId.nullable(),
  /** The label's code (null for the document's own note). */
  code: z.string().nullable(),
  text: z.string().min(1),
  /** ISO 8601, when it was last saved. */
  updatedAt: z.string(),
  /** Who wrote it; null until annotations carry a provenance field. */
  author: z.string().nullable(),
});
export type StoredNote = z.infer<typeof StoredNote>;

/** A note that matches a search: where it is, and an excerpt with the matches between MATCH_START … MATCH_END. */
export const NoteHit = z.object({
  docId: RowId,
  extId: z.string(),
  labelId: RowId.nullable(),
  code: z.string().nullable(),
  excerpt: z.string(),
});
export type NoteHit = z.infer<typeof NoteHit>;

export const noteMethods = {
  /** The document's note and its labels' notes (document note first, then by code). */
  'notes.get': {
    input: z.object({ projectId: ProjectId, docId: RowId }).strict(),
    output: z.object({ docId: RowId, notes: z.array(StoredNote) }),
  },
  /**
   * Saves the note of a document, or of one label on it (`labelId`); empty or blank `text`
   * deletes it. Not part of the annotation history: undo does not revert a note.
   * @example { projectId: 'demo', docId: 12, labelId: 4711, text: 'Coded from the discharge summary, not the history.' }
   */
  'notes.set': {
    input: z.object({ projectId: ProjectId, docId: RowId, labelId: RowId.optional(), text: typedText(NOTE_MAX_CHARS) }).strict(),
    /** The note as stored; null when the text was empty and the note is gone. */
    output: z.object({ docId: RowId, labelId: RowId.nullable(), note: StoredNote.nullable() }),
  },
  /** Notes containing every word of `query` (word prefixes, as the document search), best matches first. */
  'notes.search': {
    input: z.object({ projectId: ProjectId, query: z.string().max(500), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    /** `total` counts every matching note; `items` holds the first `limit`. */
    output: z.object({ total: z.number().int().min(0), items: z.array(NoteHit) }),
  },
} as const satisfies MethodTable;
