import { describe } from 'vitest';
import * as documents from './documents';
import { testMethods, testSchemas } from './example-tests';

const provenance = { how: 'accepted', who: 'Dr. Ana Ruiz', score: 0.87, at: '2026-03-01T10:15:00.000Z' };
const label = { labelId: 4711, code: 'I10', title: 'Essential (primary) hypertension', source: 'suggestion', present: true, provenance };
const item = { id: 12, extId: 'S0004-06142005000700014-1', split: 'pool', status: 'pending', snippet: 'Varón de 67 años con hipertensión…', labelCount: 2 };
const detail = { id: 12, extId: 'S0004-06142005000700014-1', split: 'pool', status: 'done', text: 'Varón de 67 años con hipertensión arterial.', metadata: { source: 'codiesp' }, labels: [label] };

describe('documents contract', () => {
  testSchemas(documents, {
    DocStatus: { valid: 'review', invalid: 'archived', path: [], code: 'invalid_value' },
    AssignmentSource: { valid: 'imported', invalid: 'model', path: [], code: 'invalid_value' },
    // An import made before the importer recorded who ran it: nobody, no score.
    LabelProvenance: { valid: { how: 'imported', who: null, score: null, at: '2026-03-01T09:00:00.000Z' }, invalid: { ...provenance, score: 1.5 }, path: ['score'] },
    DocumentLabel: { valid: label, invalid: { ...label, present: 1 }, path: ['present'] },
    DocumentListItem: { valid: item, invalid: { ...item, split: 'Dev set' }, path: ['split'] },
    DocumentDetail: { valid: detail, invalid: { ...detail, labels: [{ ...label, source: 'guess' }] }, path: ['labels', 0, 'source'] },
  });
  testMethods(documents.documentMethods, {
    'documents.list': {
      input: { valid: { projectId: 'demo', split: 'pool', status: 'pending', query: 'hipertensión', after: 12, offset: 0, limit: 100 }, invalid: { projectId: 'demo', query: 'x'.repeat(501) }, path: ['query'] },
      output: { valid: { total: 2751, items: [item] }, invalid: { total: 2751, items: [{ ...item, labelCount: -1 }] }, path: ['items', 0, 'labelCount'] },
    },
    'documents.get': {
      input: { valid: { projectId: 'demo', docId: 12 }, invalid: { projectId: 'demo', docId: '12' }, path: ['docId'] },
      output: { valid: detail, invalid: { ...detail, metadata: null }, path: ['metadata'] },
    },
  });
});
