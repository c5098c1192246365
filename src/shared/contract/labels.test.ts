import { describe } from 'vitest';
import * as labels from './labels';
import { testMethods, testSchemas } from './example-tests';

const item = { id: 4711, code: 'I10', title: 'Essential (primary) hypertension', synonyms: ['high blood pressure'], parentCode: 'I10-I1A', kind: 'code', trainCount: 212, flagged: false };

describe('labels contract', () => {
  testSchemas(labels, {
    LabelKind: { valid: 'category', invalid: 'leaf', path: [], code: 'invalid_value' },
    LabelItem: { valid: item, invalid: { ...item, synonyms: 'high blood pressure' }, path: ['synonyms'] },
  });
  testMethods(labels.labelMethods, {
    'labels.search': {
      input: { valid: { projectId: 'demo', query: 'hypertension', limit: 20, leafOnly: true }, invalid: { projectId: 'demo', query: 'hypertension', limit: 201 }, path: ['limit'] },
      output: { valid: { items: [item, { ...item, id: 9, code: 'I10-I1A', kind: 'category', parentCode: null }], total: 2 }, invalid: { items: [{ ...item, kind: 'block' }], total: 1 }, path: ['items', 0, 'kind'] },
    },
  });
});
