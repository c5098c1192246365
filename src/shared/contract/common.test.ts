import { describe, expect, it } from 'vitest';
import * as common from './common';
import { testSchemas } from './example-tests';

describe('common contract schemas', () => {
  testSchemas(common, {
    ProjectId: { valid: 'cardio-2026', invalid: 'Cardio 2026', path: [], code: 'invalid_format' },
    JobId: { valid: 'job-3f2a9c', invalid: 'job-', path: [], code: 'invalid_format' },
    RowId: { valid: 4711, invalid: 0, path: [], code: 'too_small' },
    Split: { valid: 'pool', invalid: 'Train', path: [], code: 'invalid_format' },
    Page: { valid: { offset: 100, limit: 50 }, invalid: { offset: 0, limit: 501 }, path: ['limit'] },
    Empty: { valid: {}, invalid: { projectId: 'demo' }, path: [], code: 'unrecognized_keys' },
    JobStarted: { valid: { jobId: 'job-7c1e' }, invalid: { jobId: '7c1e' }, path: ['jobId'] },
  });

  it('refuses project ids that could escape a folder', () => {
    for (const bad of ['../x', 'a/b', 'A', '', '-x', 'x'.repeat(64)]) expect(common.ProjectId.safeParse(bad).success).toBe(false);
  });

  it('pages from the start, 50 at a time, unless told otherwise', () => {
    expect(common.Page.parse({})).toEqual({ offset: 0, limit: 50 });
  });
});
