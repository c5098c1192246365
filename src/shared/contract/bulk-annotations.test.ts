import { describe } from 'vitest';
import * as bulk from './bulk-annotations';
import { testMethods, testSchemas } from './example-tests';

const item = { docId: 12, labelId: 4711, action: 'accept', score: 0.91 };
const counts = { pending: 10, done: 2, skipped: 0, review: 0 };
const result = { batchId: 7, changed: 3, documents: 1, history: { undo: null, redo: null }, statusCounts: { pool: counts } };

describe('bulk annotations contract', () => {
  testSchemas(bulk, {
    BulkItem: { valid: item, invalid: { ...item, action: 'status' }, path: ['action'] },
    StatusScope: { valid: { split: 'pool', statuses: ['pending'] }, invalid: { docIds: [] }, path: ['docIds'] },
    BulkResult: { valid: result, invalid: { ...result, batchId: 0 }, path: ['batchId'] },
  });
  testMethods(bulk.bulkAnnotationMethods, {
    'annotations.applyMany': {
      input: { valid: { projectId: 'demo', items: [item, { docId: 13, labelId: 4711, action: 'add' }] }, invalid: { projectId: 'demo', items: [] }, path: ['items'] },
      output: { valid: { ...result, batchId: null, changed: 0, documents: 0 }, invalid: { ...result, changed: -1 }, path: ['changed'] },
    },
    'annotations.setStatusMany': {
      input: {
        valid: { projectId: 'demo', status: 'skipped', scope: { split: null, statuses: ['pending', 'review'] } },
        invalid: { projectId: 'demo', status: 'gone', scope: { docIds: [1] } },
        path: ['status'],
      },
      output: { valid: result, invalid: { ...result, statusCounts: { pool: { ...counts, done: 'two' } } }, path: ['statusCounts', 'pool', 'done'] },
    },
  });
});
