import { describe } from 'vitest';
import * as downloads from './downloads';
import { testMethods, testSchemas } from './example-tests';

describe('downloads contract', () => {
  testSchemas(downloads, {
    ExportFile: { valid: 'planter-model-3/model.onnx', invalid: 'planter-model-3/../../secrets', path: [], code: 'invalid_format' },
  });
  testMethods(downloads.downloadMethods, {
    'exports.download': {
      input: { valid: { projectId: 'demo', file: 'annotations.jsonl', offset: 4_194_304, length: 65_536 }, invalid: { projectId: 'demo', file: 'annotations.jsonl', length: 4 * 1024 * 1024 + 1 }, path: ['length'] },
      output: { valid: { dataBase64: 'eyJpZCI6MX0K', sizeBytes: 9, done: true }, invalid: { dataBase64: 'eyJpZCI6MX0K', sizeBytes: 9 }, path: ['done'] },
    },
  });
});
