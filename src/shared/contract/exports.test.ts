import { describe } from 'vitest';
import * as exportsContract from './exports';
import { testMethods, testSchemas } from './example-tests';

describe('exports contract', () => {
  testSchemas<typeof exportsContract, 'AnnotationExportResult' | 'ModelExportResult' | 'ExportResult'>(
    exportsContract,
    {
      AnnotationExportFormat: { valid: 'label-studio', invalid: 'labelstudio', path: [], code: 'invalid_value' },
      ExportDestination: { valid: { name: 'annotations-2026-03.csv' }, invalid: { name: '../annotations.csv' }, path: ['name'] },
    },
    { AnnotationExportResult: 'a job result: checked per job kind in job-results.test.ts', ModelExportResult: 'a job result: checked per job kind in job-results.test.ts', ExportResult: 'a job result: checked per job kind in job-results.test.ts' },
  );
  testMethods(exportsContract.exportMethods, {
    'exports.annotations': {
      input: { valid: { projectId: 'demo', format: 'jsonl', destination: { name: 'annotations.jsonl' }, split: 'train', annotatedOnly: true }, invalid: { projectId: 'demo', format: 'jsonl', destination: { name: 'out/annotations.jsonl' } }, path: ['destination', 'name'] },
      output: { valid: { jobId: 'job-exp-1' }, invalid: { jobId: 'exp-1' }, path: ['jobId'] },
    },
  });
});
