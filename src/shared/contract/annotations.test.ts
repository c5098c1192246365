import { describe } from 'vitest';
import * as annotations from './annotations';
import { testMethods, testSchemas } from './example-tests';

const event = { id: 301, docId: 12, extId: 'S0004-06142005000700014-1', labelId: 4711, code: 'I10', action: 'accept', createdAt: '2026-03-01T10:15:00.000Z', undone: false };
const statusEvent = { ...event, id: 302, labelId: null, code: null, action: 'status', statusBefore: 'pending', statusAfter: 'done' };
const history = { undo: statusEvent, redo: null };
const counts = { pending: 2_700, done: 40, skipped: 6, review: 5 };
const result = {
  event: statusEvent,
  document: { docId: 12, status: 'done', labels: [{ labelId: 4711, code: 'I10', title: 'Essential (primary) hypertension', source: 'suggestion', present: true, provenance: { how: 'accepted', who: 'Ana', score: 0.91, at: '2026-03-01T10:15:00.000Z' } }] },
  history,
  statusCounts: { pool: counts, train: { pending: 0, done: 500, skipped: 0, review: 0 } },
};
const noChange = { event: null, document: null, history: { undo: null, redo: null }, statusCounts: { pool: counts } };

describe('annotations contract', () => {
  testSchemas(annotations, {
    AnnotationAction: { valid: 'reject', invalid: 'status', path: [], code: 'invalid_value' },
    SuggestionScore: { valid: 0.87, invalid: 1.2, path: [], code: 'too_big' },
    AnnotationEvent: { valid: statusEvent, invalid: { ...statusEvent, statusAfter: 'finished' }, path: ['statusAfter'] },
    HistoryState: { valid: history, invalid: { undo: { ...event, undone: 'no' }, redo: null }, path: ['undo', 'undone'] },
    StatusCounts: { valid: counts, invalid: { ...counts, review: -1 }, path: ['review'] },
    AnnotationResult: { valid: result, invalid: { ...result, statusCounts: { pool: { ...counts, done: 'forty' } } }, path: ['statusCounts', 'pool', 'done'] },
  });
  testMethods(annotations.annotationMethods, {
    'annotations.apply': {
      input: { valid: { projectId: 'demo', docId: 12, labelId: 4711, action: 'accept', score: 0.91 }, invalid: { projectId: 'demo', docId: 12, labelId: 4711, action: 'accept', score: -0.1 }, path: ['score'] },
      output: { valid: result, invalid: { ...result, document: { ...result.document, status: 'open' } }, path: ['document', 'status'] },
    },
    'annotations.setStatus': {
      input: { valid: { projectId: 'demo', docId: 12, status: 'skipped' }, invalid: { projectId: 'demo', docId: 12, status: 'deleted' }, path: ['status'] },
      output: { valid: noChange, invalid: { ...noChange, history: { undo: null } }, path: ['history', 'redo'] },
    },
    'annotations.undo': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 'demo', docId: 12 }, path: [], code: 'unrecognized_keys' },
      output: { valid: { ...result, history: { undo: null, redo: { ...statusEvent, undone: true } } }, invalid: { ...result, event: { ...event, action: 'undo' } }, path: ['event', 'action'] },
    },
    'annotations.redo': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 7 }, path: ['projectId'] },
      output: { valid: result, invalid: { ...result, statusCounts: undefined }, path: ['statusCounts'] },
    },
    'annotations.history': {
      input: { valid: { projectId: 'demo', docId: 12, limit: 20 }, invalid: { projectId: 'demo', limit: 0 }, path: ['limit'] },
      output: { valid: { events: [statusEvent, event], history }, invalid: { events: [{ ...event, docId: 0 }], history }, path: ['events', 0, 'docId'] },
    },
  });
});
