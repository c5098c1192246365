import { describe } from 'vitest';
import { testMethods, testSchemas } from './example-tests';
import * as notes from './notes';

const docNote = { labelId: null, code: null, text: 'Ask Dr. Ruiz: the biopsy report is missing.', updatedAt: '2026-12-02T05:10:00.000Z', author: null };
const labelNote = { ...docNote, labelId: 4711, code: 'I10', text: 'Coded from the discharge summary, not the history.' };
const hit = { docId: 12, extId: 'S0004-06142005000700014-1', labelId: null, code: null, excerpt: 'the \uE000biopsy\uE001 report is missing' };

describe('notes contract', () => {
  testSchemas(notes, {
    StoredNote: { valid: labelNote, invalid: { ...docNote, text: '' }, path: ['text'] },
    NoteHit: { valid: hit, invalid: { ...hit, docId: 0 }, path: ['docId'] },
  });
  testMethods(notes.noteMethods, {
    'notes.get': {
      input: { valid: { projectId: 'demo', docId: 12 }, invalid: { projectId: 'demo', docId: 12, labelId: 4711 }, path: [], code: 'unrecognized_keys' },
      output: { valid: { docId: 12, notes: [docNote, labelNote] }, invalid: { docId: 12, notes: [{ ...labelNote, updatedAt: null }] }, path: ['notes', 0, 'updatedAt'] },
    },
    'notes.set': {
      input: {
        valid: { projectId: 'demo', docId: 12, labelId: 4711, text: 'Coded from the discharge summary 😀' },
        // A cut emoji: the high surrogate of 😀 without its pair.
        invalid: { projectId: 'demo', docId: 12, text: 'cut emoji \ud83d here' },
        path: ['text'],
        code: 'custom',
      },
      output: { valid: { docId: 12, labelId: null, note: null }, invalid: { docId: 12, note: docNote }, path: ['labelId'] },
    },
    'notes.search': {
      input: { valid: { projectId: 'demo', query: 'biopsy', limit: 20 }, invalid: { projectId: 'demo', query: 'biopsy', limit: 201 }, path: ['limit'] },
      output: { valid: { total: 1, items: [hit] }, invalid: { total: -1, items: [] }, path: ['total'] },
    },
  });
});

describe('notes.set text length', () => {
  testMethods(
    { 'notes.set': notes.noteMethods['notes.set'] },
    {
      'notes.set': {
        input: { valid: { projectId: 'demo', docId: 12, text: 'x'.repeat(notes.NOTE_MAX_CHARS) }, invalid: { projectId: 'demo', docId: 12, text: 'x'.repeat(notes.NOTE_MAX_CHARS + 1) }, path: ['text'], code: 'too_big' },
        output: { valid: { docId: 12, labelId: 4711, note: labelNote }, invalid: { docId: 12, labelId: 4711, note: { ...labelNote, author: undefined } }, path: ['note', 'author'] },
      },
    },
  );
});
