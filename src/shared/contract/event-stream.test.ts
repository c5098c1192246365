import { describe } from 'vitest';
import * as eventStream from './event-stream';
import { testSchemas } from './example-tests';

describe('event stream contract', () => {
  testSchemas(eventStream, {
    EventSeq: { valid: 1_042, invalid: -1, path: [], code: 'too_small' },
    EventFrame: {
      valid: { kind: 'event', seq: 1_042, event: 'jobs.finished', payload: { jobId: 'job-7c1e' } },
      invalid: { kind: 'gap', seq: 1.5 },
      path: ['seq'],
    },
  });
});
