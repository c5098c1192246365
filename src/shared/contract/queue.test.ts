import { describe, expect, it } from 'vitest';
import * as queue from './queue';
import { testMethods, testSchemas } from './example-tests';

const item = { docId: 12, extId: 'S0004-06142005000700014-1', split: 'pool', status: 'pending', snippet: 'Varón de 67 años…', labelCount: 0, score: 0.82, reason: 'E11.9 (0 train docs): insulina, glucemia' };
const progress = { split: 'pool', total: 2_751, pending: 2_700, done: 40, skipped: 6, review: 5 };
const input = { projectId: 'demo', strategy: 'by-label', split: 'pool', statuses: ['pending', 'review'], labelId: 4711, seed: 7, offset: 0, limit: 25 };
const output = {
  strategy: 'rare-first', items: [item], total: 2_700, scope: 2_700, progress, modelId: 3, needsModel: false,
  scoring: { modelId: 3, jobId: 'job-pred-1', done: 1_200, total: 2_751 }, indexing: null, note: 'model scores × label rarity',
};

describe('queue contract', () => {
  testSchemas<typeof queue, 'QueueScoringResult' | 'KeywordIndexResult' | 'LabelAuditResult'>(queue, {
    QueueStrategy: { valid: 'similar', invalid: 'newest', path: [], code: 'invalid_value' },
    QueueItem: { valid: item, invalid: { ...item, score: '0.82' }, path: ['score'] },
    QueueProgress: { valid: { ...progress, split: null }, invalid: { ...progress, total: -1 }, path: ['total'] },
    QueueInput: { valid: input, invalid: { ...input, statuses: [] }, path: ['statuses'] },
    QueueOutput: { valid: output, invalid: { ...output, indexing: { jobId: 'job-idx-1', done: 10 } }, path: ['indexing', 'total'] },
    QueueReordered: { valid: { projectId: 'demo', strategy: 'rare-first' }, invalid: { projectId: 'demo', strategy: 'rare-first', offset: 20 }, path: [], code: 'unrecognized_keys' },
  },
    { QueueScoringResult: 'a job result: checked per job kind in job-results.test.ts', KeywordIndexResult: 'a job result: checked per job kind in job-results.test.ts', LabelAuditResult: 'a job result: checked per job kind in job-results.test.ts' },
  );
  testMethods(queue.queueMethods, {
    'queue.next': {
      input: { valid: { projectId: 'demo', strategy: 'rare-first' }, invalid: { projectId: 'demo', strategy: 'random', seed: 2 ** 31 }, path: ['seed'] },
      output: { valid: { ...output, strategy: 'uncertainty', items: [], modelId: null, needsModel: true, scoring: null, note: 'train a model first' }, invalid: { ...output, needsModel: undefined }, path: ['needsModel'] },
    },
  });

  it('annotates the pending pool documents, seed 1, unless told otherwise', () => {
    expect(queue.QueueInput.parse({ projectId: 'demo', strategy: 'random' })).toEqual({ projectId: 'demo', strategy: 'random', split: 'pool', statuses: ['pending'], seed: 1, offset: 0, limit: 50 });
  });
});
