import { describe } from 'vitest';
import * as catalogue from './label-catalogue';
import { testMethods, testSchemas } from './example-tests';

const rows = ['9\tI10-I1A\t\tg\t\tHypertensive diseases', '4711\tI10\tI10-I1A\tc\t\tEssential (primary) hypertension\thigh blood pressure'].join('\n');
const item = { id: 4711, code: 'I10', title: 'Essential (primary) hypertension', synonyms: [], parentCode: 'I10-I1A', kind: 'code', trainCount: 212, flagged: false };

describe('label catalogue contract', () => {
  testSchemas(catalogue, {
    LabelCatalogue: { valid: { version: 'v3-71486', count: 2, rows }, invalid: { version: 'v3-71486', count: 2, rows: rows.split('\n') }, path: ['rows'] },
  });
  testMethods(catalogue.labelCatalogueMethods, {
    'labels.catalogue': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 'demo', version: 'v2' }, path: [], code: 'unrecognized_keys' },
      output: { valid: { version: 'v3-71486', count: 2, rows }, invalid: { version: 'v3-71486', count: -2, rows }, path: ['count'] },
    },
    'labels.counts': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: null }, path: ['projectId'] },
      output: { valid: { counts: [4711, 212, 812, 3] }, invalid: { counts: [4711, 212, 812, -3] }, path: ['counts', 3] },
    },
    'labels.terms': {
      input: { valid: { projectId: 'demo' }, invalid: {}, path: ['projectId'] },
      output: { valid: { version: 'a1-6214', labels: [{ labelId: 812, terms: ['heart attack', 'troponin', 'stent'] }] }, invalid: { version: 'a1-6214', labels: [{ labelId: 812, terms: 'troponin' }] }, path: ['labels', 0, 'terms'] },
    },
    'labels.recent': {
      input: { valid: { projectId: 'demo', limit: 12 }, invalid: { projectId: 'demo', limit: 101 }, path: ['limit'] },
      output: { valid: { items: [item] }, invalid: { items: [{ ...item, flagged: undefined }] }, path: ['items', 0, 'flagged'] },
    },
  });
});
