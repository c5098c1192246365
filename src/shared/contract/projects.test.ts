import { describe } from 'vitest';
import * as projects from './projects';
import { testMethods, testSchemas } from './example-tests';

const summary = { id: 'cardio-2026', name: 'Cardiology', createdAt: '2026-03-01T09:30:00.000Z', documents: 1200, labels: 71_486, demo: false };
const buckets = { zero: 70_100, few: 900, mid: 420, head: 66 };
const stats = {
  projectId: 'demo',
  documents: { total: 3751, train: 500, dev: 500, pool: 2751 },
  labels: { total: 71_486, categories: 1_900, used: 1_386, flagged: 3, buckets },
  assignments: 6_214,
  annotated: 40,
  histogram: [
    { from: 0, to: 0, labels: 70_100 },
    { from: 1, to: 5, labels: 900 },
    { from: 51, to: null, labels: 66 },
  ],
  topLabels: [{ code: 'I10', title: 'Essential (primary) hypertension', trainCount: 212 }],
};

describe('projects contract', () => {
  testSchemas<typeof projects, 'DemoResult'>(projects, {
    ProjectSummary: { valid: summary, invalid: { ...summary, documents: -1 }, path: ['documents'] },
    FrequencyBuckets: { valid: buckets, invalid: { ...buckets, few: 2.5 }, path: ['few'] },
    HistogramBin: { valid: { from: 6, to: 50, labels: 420 }, invalid: { from: 6, to: -1, labels: 420 }, path: ['to'] },
    ProjectStats: { valid: stats, invalid: { ...stats, labels: { ...stats.labels, buckets: { ...buckets, head: undefined } } }, path: ['labels', 'buckets', 'head'] },
  },
    { DemoResult: 'a job result: checked per job kind in job-results.test.ts' },
  );
  testMethods(projects.projectMethods, {
    'projects.list': {
      input: { valid: {}, invalid: { all: true }, path: [], code: 'unrecognized_keys' },
      output: { valid: { projects: [summary, { ...summary, id: 'demo', name: 'CodiEsp demo', demo: true }] }, invalid: { projects: [{ ...summary, id: '../etc' }] }, path: ['projects', 0, 'id'] },
    },
    'projects.create': {
      input: { valid: { id: 'cardio-2026', name: 'Cardiology' }, invalid: { id: 'cardio-2026', name: '   ' }, path: ['name'] },
      output: { valid: summary, invalid: { ...summary, demo: 'no' }, path: ['demo'] },
    },
    'projects.init': {
      input: { valid: { path: '/home/me/cardio', name: 'Cardiology' }, invalid: { path: '', name: 'Cardiology' }, path: ['path'] },
      output: { valid: { path: '/home/me/cardio', name: 'cardio' }, invalid: { path: '/home/me/cardio' }, path: ['name'] },
    },
    'projects.stats': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 'Demo' }, path: ['projectId'] },
      output: { valid: stats, invalid: { ...stats, histogram: [{ from: 1, to: 5 }] }, path: ['histogram', 0, 'labels'] },
    },
    'projects.rename': {
      input: { valid: { projectId: 'demo', name: 'CodiEsp (Spanish clinical cases)' }, invalid: { projectId: 'demo', name: 'x'.repeat(201) }, path: ['name'] },
      output: { valid: { ...summary, name: 'Cardiology 2026' }, invalid: { ...summary, createdAt: 1_740_000_000 }, path: ['createdAt'] },
    },
    'projects.delete': {
      input: { valid: { projectId: 'cardio-2026', confirm: 'cardio-2026' }, invalid: { projectId: 'cardio-2026' }, path: ['confirm'] },
      output: { valid: {}, invalid: null, path: [], code: 'invalid_type' },
    },
  });
});
