import { describe } from 'vitest';
import * as spans from './spans';
import { testMethods, testSchemas } from './example-tests';

const span = { id: 9, docId: 12, labelId: 4711, code: 'R52', start: 1250, end: 1256, text: 'edemas', source: 'imported', createdAt: '2026-03-01T10:15:00.000Z' };
const event = { id: 301, docId: 12, extId: 'S0004-06142005000700014-1', labelId: 4711, code: 'R52', action: 'span-add', createdAt: '2026-03-01T10:15:00.000Z', undone: false };
const result = { changed: true, span: { ...span, source: 'added' }, docId: 12, spans: [span], history: { undo: event, redo: null } };
const mismatch = { line: 683, extId: 'S0211-69952013000500019-1', expected: 'vesical R.T.U', actual: 'vesical R.T.U.' };
const imported = { file: 'trainX.tsv', rows: 9181, imported: 8412, duplicates: 12, mismatches: [mismatch], unknownDocuments: 0, unknownCodes: 1550, unknownLines: [1, 2] };

const agreement = { modelId: 3, split: 'dev', k: 5, evidenceK: 5, documents: 250, cases: 412, agreeing: 103, agreement: 0.25, withoutModelEvidence: 2 };

describe('spans contract', () => {
  testSchemas(spans, {
    SpanSource: { valid: 'added', invalid: 'model', path: [], code: 'invalid_value' },
    CoderSpan: { valid: span, invalid: { ...span, start: -1 }, path: ['start'] },
    SpanResult: { valid: result, invalid: { ...result, spans: [{ ...span, source: 'guessed' }] }, path: ['spans', 0, 'source'] },
    SpanMismatch: { valid: mismatch, invalid: { ...mismatch, line: 0 }, path: ['line'] },
    SpanAgreement: { valid: agreement, invalid: { ...agreement, agreement: 1.5 }, path: ['agreement'] },
    SpanImportResult: { valid: imported, invalid: { ...imported, imported: 1.5 }, path: ['imported'] },
  });
  testMethods(spans.spanMethods, {
    'spans.list': {
      input: { valid: { projectId: 'demo', docId: 12 }, invalid: { projectId: 'demo' }, path: ['docId'] },
      output: { valid: { spans: [span] }, invalid: { spans: [{ ...span, code: 7 }] }, path: ['spans', 0, 'code'] },
    },
    'spans.add': {
      input: { valid: { projectId: 'demo', docId: 12, labelId: 4711, start: 1250, end: 1256 }, invalid: { projectId: 'demo', docId: 12, labelId: 4711, start: 1256, end: 1250 }, path: ['end'] },
      output: { valid: result, invalid: { ...result, changed: 'yes' }, path: ['changed'] },
    },
    'spans.update': {
      input: { valid: { projectId: 'demo', spanId: 9, labelId: 4712 }, invalid: { projectId: 'demo', spanId: 9, start: 3.5 }, path: ['start'] },
      output: { valid: { ...result, changed: false, span: null }, invalid: { ...result, docId: 0 }, path: ['docId'] },
    },
    'spans.delete': {
      input: { valid: { projectId: 'demo', spanId: 9 }, invalid: { projectId: 'demo', spanId: 9, docId: 12 }, path: [], code: 'unrecognized_keys' },
      output: { valid: { ...result, spans: [] }, invalid: { ...result, history: { undo: null } }, path: ['history', 'redo'] },
    },
    'spans.agreement': {
      input: { valid: { projectId: 'demo-es', split: 'dev', k: 5 }, invalid: { projectId: 'demo-es', k: 0 }, path: ['k'] },
      output: { valid: { ...agreement, modelId: null, cases: 0, agreeing: 0, agreement: null, noModel: 'train one first' }, invalid: { ...agreement, cases: -1 }, path: ['cases'] },
    },
    'spans.import': {
      input: { valid: { projectId: 'demo', source: { path: 'trainX.tsv' } }, invalid: { projectId: 'Demo project', source: { path: 'trainX.tsv' } }, path: ['projectId'] },
      output: { valid: imported, invalid: { ...imported, mismatches: [{ ...mismatch, expected: null }] }, path: ['mismatches', 0, 'expected'] },
    },
  });
});
