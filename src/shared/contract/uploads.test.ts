import { describe } from 'vitest';
import * as uploads from './uploads';
import { testMethods, testSchemas } from './example-tests';

const uploadId = 'up-0123456789ab';

describe('uploads contract', () => {
  testSchemas(uploads, {
    UploadId: { valid: uploadId, invalid: 'up-1234', path: [], code: 'invalid_format' },
  });
  testMethods(uploads.uploadMethods, {
    'uploads.begin': {
      input: { valid: { projectId: 'demo', fileName: 'codiesp-train.jsonl', sizeBytes: 1_234_567 }, invalid: { projectId: 'demo', fileName: 'data/train.jsonl', sizeBytes: 10 }, path: ['fileName'] },
      output: { valid: { uploadId }, invalid: { uploadId: 'upload-1' }, path: ['uploadId'] },
    },
    'uploads.append': {
      input: { valid: { uploadId, offset: 0, dataBase64: 'eyJ0ZXh0IjoiaGkifQo=' }, invalid: { uploadId, offset: -1, dataBase64: '' }, path: ['offset'] },
      output: { valid: { receivedBytes: 14 }, invalid: { receivedBytes: 1.5 }, path: ['receivedBytes'] },
    },
    'uploads.finish': {
      input: { valid: { uploadId }, invalid: { uploadId: 'up-0123456789AB' }, path: ['uploadId'] },
      output: { valid: { uploadId, sizeBytes: 14 }, invalid: { uploadId, sizeBytes: -1 }, path: ['sizeBytes'] },
    },
    'uploads.discard': {
      input: { valid: { uploadId }, invalid: { uploadId, force: true }, path: [], code: 'unrecognized_keys' },
      output: { valid: {}, invalid: 'discarded', path: [], code: 'invalid_type' },
    },
  });
});
