import { describe } from 'vitest';
import * as jobs from './jobs';
import { testMethods, testSchemas } from './example-tests';

// Job results are left out here: their schemas per job kind are being typed on their own
// (issue #16); `JobFinished` is covered without a `result`.
const progress = {
  jobId: 'job-7c1e',
  projectId: 'demo',
  kind: 'train',
  phase: 'finetune',
  done: 120,
  total: 600,
  unit: 'step',
  message: 'epoch 4 of 20',
  metrics: { loss: 0.412, 'p@5': 0.38 },
  etaMs: 95_000,
  overall: { fraction: 0.55, etaMs: 140_000 },
};
const finished = { jobId: 'job-7c1e', projectId: 'demo', kind: 'train', outcome: 'cancelled', durationMs: 48_210 };
const failed = { ...finished, kind: 'import', outcome: 'failed', error: { code: 'bad-file', message: 'train.jsonl line 3: "text" is empty', details: { file: 'train.jsonl', line: 3, field: 'text' } } };
const state = { jobId: 'job-7c1e', projectId: 'demo', kind: 'train', startedAt: '2026-03-01T09:30:00.000Z', progress, finished: null };

describe('jobs contract', () => {
  testSchemas(jobs, {
    JobKind: { valid: 'index', invalid: 'cleanup', path: [], code: 'invalid_value' },
    JobOutcome: { valid: 'cancelled', invalid: 'error', path: [], code: 'invalid_value' },
    JobProgress: { valid: progress, invalid: { ...progress, overall: { fraction: 1.2 } }, path: ['overall', 'fraction'] },
    JobFinished: { valid: failed, invalid: { ...failed, error: { code: 'oops', message: 'x' } }, path: ['error', 'code'] },
    JobState: { valid: state, invalid: { ...state, progress: { ...progress, done: -1 } }, path: ['progress', 'done'] },
  });
  testMethods(jobs.jobMethods, {
    'jobs.list': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 'demo', kind: 'train' }, path: [], code: 'unrecognized_keys' },
      output: { valid: { jobs: [state, { ...state, progress: null, finished }] }, invalid: { jobs: [{ ...state, kind: 'sleep' }] }, path: ['jobs', 0, 'kind'] },
    },
    'jobs.get': {
      input: { valid: { jobId: 'job-7c1e' }, invalid: { jobId: 'job-7C1E' }, path: ['jobId'] },
      output: { valid: { ...state, finished }, invalid: { ...state, finished: { ...finished, durationMs: -5 } }, path: ['finished', 'durationMs'] },
    },
    'jobs.cancel': {
      input: { valid: { jobId: 'job-7c1e' }, invalid: {}, path: ['jobId'] },
      output: { valid: { cancelled: true }, invalid: { cancelled: 'yes' }, path: ['cancelled'] },
    },
  });
});
