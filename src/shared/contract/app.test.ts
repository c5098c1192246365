import { describe } from 'vitest';
import * as app from './app';
import { testMethods, testSchemas } from './example-tests';

const info = { version: '0.1.0', transport: 'ipc', defaultProjectId: 'demo', capabilities: { cuda: false, tfjsNode: true, nativeDialogs: true } };

describe('app contract', () => {
  testSchemas(app, {
    Transport: { valid: 'http', invalid: 'grpc', path: [], code: 'invalid_value' },
    AppInfo: { valid: info, invalid: { ...info, capabilities: { ...info.capabilities, cuda: 'yes' } }, path: ['capabilities', 'cuda'] },
  });
  testMethods(app.appMethods, {
    'app.info': {
      input: { valid: {}, invalid: { verbose: true }, path: [], code: 'unrecognized_keys' },
      output: { valid: { ...info, defaultProjectId: null }, invalid: { ...info, defaultProjectId: 'My Project' }, path: ['defaultProjectId'] },
    },
  });
});
