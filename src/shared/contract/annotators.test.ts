import { describe } from 'vitest';
import * as annotators from './annotators';
import { testMethods, testSchemas } from './example-tests';

const stats = {
  annotator: 'Ana',
  decisions: 12,
  documentsDone: 3,
  timedDocuments: 3,
  medianSecondsPerDocument: 40,
  meanSecondsPerDocument: 45.5,
  acceptedSuggestions: 6,
  rejectedSuggestions: 2,
  acceptanceRate: 0.75,
  firstAt: '2026-03-01T10:00:00.000Z',
  lastAt: '2026-03-01T10:20:00.000Z',
};
const report = { annotators: [stats, { ...stats, annotator: null, acceptanceRate: null, medianSecondsPerDocument: null, meanSecondsPerDocument: null }], breakSeconds: 600 };

describe('annotators contract', () => {
  testSchemas(annotators, {
    AnnotatorName: { valid: '  Dr. Ana Ruiz ', invalid: 'Ana\u0007', path: [], code: 'invalid_format' },
    AnnotatorSetting: { valid: { name: null }, invalid: { name: '   ' }, path: ['name'] },
    AssignmentHow: { valid: 'accepted', invalid: 'suggested', path: [], code: 'invalid_value' },
    AnnotatorStats: { valid: stats, invalid: { ...stats, acceptanceRate: 1.5 }, path: ['acceptanceRate'] },
    AnnotatorReport: { valid: report, invalid: { ...report, breakSeconds: 0 }, path: ['breakSeconds'] },
  });
  testMethods(annotators.annotatorMethods, {
    'annotator.get': {
      input: { valid: {}, invalid: { name: 'Ana' }, path: [], code: 'unrecognized_keys' },
      output: { valid: { name: 'Ana' }, invalid: { name: 'x'.repeat(81) }, path: ['name'] },
    },
    'annotator.set': {
      input: { valid: { name: 'Ana' }, invalid: { name: '' }, path: ['name'] },
      output: { valid: { name: 'Ana' }, invalid: {}, path: ['name'] },
    },
    'annotator.stats': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 'Demo!' }, path: ['projectId'] },
      output: { valid: report, invalid: { ...report, annotators: [{ ...stats, decisions: -1 }] }, path: ['annotators', 0, 'decisions'] },
    },
  });
});
