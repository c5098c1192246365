import { describe, expect, it } from 'vitest';
import { doneResult, isModelExport, JobFinished, jobResultSchemas, type JobKind, type JobResult } from './index';

const metric = { 'p@1': 0.5, 'p@3': 0.4, 'p@5': 0.3, 'ndcg@1': 0.5, 'ndcg@3': 0.45, 'ndcg@5': 0.4, 'psp@1': null, 'psp@3': null, 'psp@5': null, micro_f1: 0.3, macro_f1: 0.2, macro_auc: 0.9 };
const bucket = (labels: number) => ({ ...metric, labels });
const gate = { becameCurrent: true, metric: 'p@5', score: 0.3, baseline: null, baselineModelId: null, reason: null } as const;

/** A documented example of each kind's result, and one that must be refused (with the field it breaks). */
const examples: { [K in Exclude<JobKind, 'evaluate'>]: { valid: JobResult<K>; invalid: unknown; field: string } } = {
  import: {
    valid: { file: 'corpus.jsonl', documents: 120, assignments: 310, labelsCreated: 6, labelsFlagged: 0, labelsUpdated: 0, durationMs: 420, format: 'jsonl' },
    invalid: { file: 'corpus.jsonl', documents: -1, assignments: 310, labelsCreated: 6, labelsFlagged: 0, labelsUpdated: 0, durationMs: 420 },
    field: 'documents',
  },
  catalogue: {
    valid: { file: 'icd10cm.tsv', documents: 0, assignments: 0, labelsCreated: 12, labelsFlagged: 0, labelsUpdated: 3, durationMs: 40, titlesChanged: 1, titleChanges: [{ code: 'A00', before: 'Cholera', after: 'Cholera, unspecified' }] },
    invalid: { file: 'icd10cm.tsv', documents: 0, assignments: 0, labelsCreated: 12, labelsFlagged: 0, durationMs: 40 },
    field: 'labelsUpdated',
  },
  export: {
    valid: { path: 'exports/annotations.csv', documents: 80, assignments: 190 },
    invalid: { path: 'exports/model', files: 'model.onnx', modelId: 3 },
    field: 'files',
  },
  train: {
    valid: {
      modelId: 2, runId: 1, seconds: 22.5, metrics: { ...metric, buckets: { zero: bucket(1), few: bucket(3), mid: bucket(2), head: bucket(0) } }, replanted: null,
      stageTimings: [{ stage: 'tokenize', seconds: 0.4 }], serves: 'fused', earlyModelId: 1, earlySeconds: 6.4, becameCurrent: true, gate, earlyGate: gate, currentModelId: 2,
    },
    invalid: { modelId: 2, runId: 1, seconds: 22.5, metrics: null, replanted: null, stageTimings: [], serves: 'both', earlyModelId: null, earlySeconds: null, becameCurrent: true, gate, earlyGate: null, currentModelId: 2 },
    field: 'serves',
  },
  retrain: {
    valid: { modelId: 3, runId: 2, seconds: 4.1, metrics: null, replanted: 2, stageTimings: [], serves: 'attention', earlyModelId: null, earlySeconds: null, becameCurrent: false, gate: { ...gate, becameCurrent: false, baseline: 0.4, baselineModelId: 2, reason: 'worse on the tuning half' }, earlyGate: null, currentModelId: 2 },
    invalid: { modelId: 3, runId: 2, seconds: 4.1, metrics: null, replanted: 2, stageTimings: [], serves: 'attention', earlyModelId: null, earlySeconds: null, gate, earlyGate: null, currentModelId: 2 },
    field: 'becameCurrent',
  },
  predict: { valid: { modelId: 2, scored: 500 }, invalid: { modelId: 0, scored: 500 }, field: 'modelId' },
  demo: { valid: { projectId: 'demo' }, invalid: { projectId: 'Demo Project' }, field: 'projectId' },
  index: { valid: { documents: 2000, labels: 94, complete: true }, invalid: { documents: 2000, labels: 94, complete: 'yes' }, field: 'complete' },
  'label-errors': { valid: { documents: 500, flaggedDocuments: 41, flaggedPairs: 100, seconds: 62 }, invalid: { documents: 500, flaggedPairs: -1 }, field: 'flaggedPairs' },
};

/** Every issue's path, those inside a union's alternatives too. */
type Issue = { path: PropertyKey[]; errors?: Issue[][] };
const paths = (issues: readonly Issue[]): string[] => issues.flatMap((i) => [i.path.join('.'), ...paths((i.errors ?? []).flat())]);

describe('job results in the contract', () => {
  for (const [kind, { valid, invalid, field }] of Object.entries(examples)) {
    it(`${kind}: parses its example and refuses a broken one, naming ${field}`, () => {
      const schema = jobResultSchemas[kind as JobKind];
      expect(schema.parse(valid)).toEqual(valid);
      const refused = schema.safeParse(invalid);
      expect(refused.success).toBe(false);
      expect(paths(refused.error!.issues as Issue[])).toContain(field);
    });
  }

  it('a model bundle is told from an annotation export by its files', () => {
    expect(isModelExport(jobResultSchemas.export.parse({ path: 'exports/m', files: ['exports/m/model.onnx'], modelId: 3 }))).toBe(true);
    expect(isModelExport(jobResultSchemas.export.parse(examples.export.valid))).toBe(false);
  });

  it('no evaluate job exists, so none carries a result', () => {
    expect(jobResultSchemas.evaluate.safeParse({}).success).toBe(false);
  });

  it('jobs.finished checks the result against its own kind', () => {
    const base = { jobId: 'job-1', projectId: 'p', outcome: 'done', durationMs: 5 } as const;
    expect(JobFinished.safeParse({ ...base, kind: 'index', result: examples.index.valid }).success).toBe(true);
    // An index result is not a training result: the kind decides which schema applies.
    expect(JobFinished.safeParse({ ...base, kind: 'train', result: examples.index.valid }).success).toBe(false);
    expect(JobFinished.safeParse({ ...base, kind: 'train' }).success).toBe(true);
  });

  it('doneResult gives the result of a done job of the asked kinds, null otherwise', () => {
    const base = { jobId: 'job-1', projectId: 'p', durationMs: 5 } as const;
    const done = JobFinished.parse({ ...base, kind: 'demo', outcome: 'done', result: { projectId: 'demo' } });
    expect(doneResult(done, 'demo')).toEqual({ projectId: 'demo' });
    expect(doneResult(done, ['import', 'catalogue'])).toBeNull();
    expect(doneResult(JobFinished.parse({ ...base, kind: 'demo', outcome: 'cancelled' }), 'demo')).toBeNull();
  });
});
