import { describe, expect, it } from 'vitest';
import * as training from './training';
import { testMethods, testSchemas } from './example-tests';

const metrics = {
  'p@1': 0.71, 'p@3': 0.55, 'p@5': 0.48,
  'ndcg@1': 0.71, 'ndcg@3': 0.6, 'ndcg@5': 0.57,
  'psp@1': 0.22, 'psp@3': 0.25, 'psp@5': 0.27,
  micro_f1: 0.41, macro_f1: 0.12, macro_auc: null,
};
const bucket = { ...metrics, labels: 420 };
const report = { ...metrics, buckets: { zero: { ...bucket, labels: 70_100 }, few: bucket, mid: bucket, head: { ...bucket, labels: 66 } } };
const settings = training.PlantSettings.parse({ epochs: { pretrain: 1, l2r: 3, finetune: 30 }, device: 'cuda' });
const calibration = { ece: 0.033, pairs: 7_500, bins: [{ lo: 0, hi: 0.1, count: 5_200, confidence: 0.03, accuracy: 0.04 }, { lo: 0.9, hi: 1, count: 0, confidence: null, accuracy: null }] };
const gate = { becameCurrent: false, metric: 'p@5', score: 0.47, baseline: 0.48, baselineModelId: 2, reason: 'P@5 on the tuning half fell from 48.0 to 47.0' };
const timings = [{ stage: 'pretrain', seconds: 41.2 }, { stage: 'finetune', seconds: 310.5 }];
const model = {
  id: 3, createdAt: '2026-03-01T10:02:00.000Z', kind: 'plant', mode: 'full', serves: 'fused', parentId: null,
  labels: 1_386, vocabulary: 48_211, trainDocuments: 500, settings, metrics: report, stageTimings: timings,
  components: { lexical: report, attention: null }, calibration, current: false, gate,
};
const run = {
  id: 5, mode: 'retrain', startedAt: '2026-03-01T10:05:00.000Z', finishedAt: null, outcome: 'running', modelId: null, error: null,
  settings, stageTimings: [], curve: [{ stage: 'finetune', step: 40, loss: 0.38, metric: null }],
};
const suggestion = { labelId: 4711, code: 'I10', title: 'Essential (primary) hypertension', score: 0.87, assigned: true, trainCount: 212 };
const labelRow = { labelId: 4711, code: 'I10', title: 'Essential (primary) hypertension', trainCount: 212, support: 40, tp: 31, fp: 6, fn: 9, precision: 0.838, recall: 0.775, f1: 0.805 };
const evaluation = {
  modelId: 3, split: 'dev', documents: 250, report, perLabel: [labelRow], neverPredicted: [812], threshold: 0.35, serves: 'fused', calibration, aucExact: true,
};
const evidence = {
  modelId: 3,
  labels: [{ labelId: 4711, score: 0.87, spans: [{ start: 20, end: 32, weight: 0.64 }], terms: [{ text: 'hipertensión arterial', weight: 1.9, spans: [{ start: 20, end: 41 }] }] }],
};

describe('settings changes', () => {
  it('names only what the caller changed: no default is filled in, nested fields included', () => {
    expect(training.PlantSettingsChanges.parse({ threads: 1, epochs: { finetune: 5 } })).toEqual({ threads: 1, epochs: { finetune: 5 } });
    expect(training.PlantSettingsChanges.parse({})).toEqual({});
  });
  it('refuses fields the settings do not have, also nested ones', () => {
    expect(training.PlantSettingsChanges.safeParse({ learningRate: 0.1 }).success).toBe(false);
    expect(training.PlantSettingsChanges.safeParse({ epochs: { warmup: 1 } }).success).toBe(false);
  });
  it('applies changes over a base field by field, keeping the nested fields it does not name', () => {
    const base = training.PlantSettings.parse({ dim: 64, epochs: { l2r: 1, finetune: 7 }, lexical: { prune: 0.05 } });
    const out = training.PlantSettings.parse(training.applySettingsChanges(base, { threads: 1, epochs: { finetune: 9 }, lexical: { C: 2 } }));
    expect(out.dim).toBe(64);
    expect(out.threads).toBe(1);
    expect(out.epochs).toEqual({ pretrain: 1, l2r: 1, finetune: 9 });
    expect(out.lexical.prune).toBe(0.05);
    expect(out.lexical.C).toBe(2);
  });
});

describe('training contract', () => {
  testSchemas<typeof training, 'TrainingResult'>(training, {
    LexicalSettings: { valid: { loss: 'logistic', C: 4, structure: 'tree', leafSize: 64, shortlist: 200 }, invalid: { C: 0 }, path: ['C'] },
    PlantSettings: { valid: { epochs: { finetune: 30 }, device: 'cuda', lexical: { shortlist: 200 }, spanRelevance: true }, invalid: { epochs: { finetune: 0 } }, path: ['epochs', 'finetune'] },
    PlantSettingsChanges: { valid: { epochs: { finetune: 30 }, lexical: { prune: 0.05 } }, invalid: { lexical: { prune: 2 } }, path: ['lexical', 'prune'] },
    MetricValue: { valid: null, invalid: 'n/a', path: [], code: 'invalid_type' },
    MetricSet: { valid: metrics, invalid: { ...metrics, 'p@5': '48%' }, path: ['p@5'] },
    BucketMetrics: { valid: bucket, invalid: { ...bucket, labels: -3 }, path: ['labels'] },
    EvalReport: { valid: report, invalid: { ...report, buckets: { ...report.buckets, few: metrics } }, path: ['buckets', 'few', 'labels'] },
    LabelEvalRow: { valid: labelRow, invalid: { ...labelRow, tp: 3.5 }, path: ['tp'] },
    StageTiming: { valid: { stage: 'l2r', seconds: 12.5 }, invalid: { stage: 'l2r', seconds: -1 }, path: ['seconds'] },
    ServedModel: { valid: 'lexical', invalid: 'ensemble', path: [], code: 'invalid_value' },
    Calibration: { valid: calibration, invalid: { ...calibration, pairs: -1 }, path: ['pairs'] },
    GateMetric: { valid: 'macro_f1', invalid: 'p@10', path: [], code: 'invalid_value' },
    ModelGate: { valid: gate, invalid: { ...gate, metric: 'loss' }, path: ['metric'] },
    ModelInfo: { valid: model, invalid: { ...model, settings: { ...settings, dim: 4 } }, path: ['settings', 'dim'] },
    TrainingRun: { valid: run, invalid: { ...run, outcome: 'paused' }, path: ['outcome'] },
    Suggestion: { valid: suggestion, invalid: { ...suggestion, score: 1.3 }, path: ['score'] },
    EvidenceSpan: { valid: { start: 20, end: 32, weight: 0.64 }, invalid: { start: -1, end: 32, weight: 0.64 }, path: ['start'] },
    NoModelYet: { valid: { modelId: null, split: 'dev', noModel: 'no model yet: train one first' }, invalid: { modelId: 3, split: 'dev', noModel: 'x' }, path: ['modelId'] },
  },
    { TrainingResult: 'a job result: checked per job kind in job-results.test.ts' },
  );
  testMethods(training.trainingMethods, {
    'training.start': {
      input: { valid: { projectId: 'demo', mode: 'full', settings: { epochs: { finetune: 30 }, device: 'cuda' } }, invalid: { projectId: 'demo', mode: 'full', settings: { batchSize: 0 } }, path: ['settings', 'batchSize'] },
      output: { valid: { jobId: 'job-train-1' }, invalid: { jobId: 42 }, path: ['jobId'] },
    },
    'training.runs': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 'demo', limit: 5 }, path: [], code: 'unrecognized_keys' },
      output: { valid: { runs: [run] }, invalid: { runs: [{ ...run, mode: 'partial' }] }, path: ['runs', 0, 'mode'] },
    },
    'models.list': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: '' }, path: ['projectId'] },
      output: { valid: { models: [model, { ...model, id: 4, mode: 'retrain', parentId: 3, current: true, gate: null, calibration: null, metrics: null, components: {} }] }, invalid: { models: [{ ...model, serves: 'both' }] }, path: ['models', 0, 'serves'] },
    },
    'training.estimate': {
      input: { valid: { projectId: 'demo', mode: 'retrain' }, invalid: { projectId: 'demo', mode: 'partial' }, path: ['mode'] },
      output: { valid: { steps: 4_800, seconds: 362.5, basedOnRun: 5 }, invalid: { steps: 4_800, seconds: -1, basedOnRun: null }, path: ['seconds'] },
    },
    'training.policy': {
      input: { valid: { projectId: 'demo' }, invalid: {}, path: ['projectId'] },
      output: { valid: { gateMetric: 'p@5' }, invalid: { gateMetric: 'accuracy' }, path: ['gateMetric'] },
    },
    'training.setPolicy': {
      input: { valid: { projectId: 'demo', gateMetric: 'micro_f1' }, invalid: { projectId: 'demo', gateMetric: 'P@5' }, path: ['gateMetric'] },
      output: { valid: {}, invalid: [], path: [], code: 'invalid_type' },
    },
    'models.setCurrent': {
      input: { valid: { projectId: 'demo', modelId: 3 }, invalid: { projectId: 'demo', modelId: -3 }, path: ['modelId'] },
      output: { valid: {}, invalid: null, path: [], code: 'invalid_type' },
    },
    'suggestions.get': {
      input: { valid: { projectId: 'demo', docId: 12, top: 15 }, invalid: { projectId: 'demo', docId: 12, top: 101 }, path: ['top'] },
      output: { valid: { modelId: 3, labels: [suggestion] }, invalid: { modelId: 3, labels: [{ ...suggestion, trainCount: -1 }] }, path: ['labels', 0, 'trainCount'] },
    },
    'models.predict': {
      input: { valid: { projectId: 'demo', texts: ['chest pain on exertion'], top: 5, evidence: 5 }, invalid: { projectId: 'demo', texts: [], top: 5 }, path: ['texts'] },
      output: {
        valid: { modelId: 3, predictions: [{ labels: [{ code: 'I20.9', score: 0.82, assigned: true, spans: [{ start: 0, end: 10, weight: 0.6 }], terms: [{ text: 'chest pain', weight: 0.4 }] }] }] },
        // A union (no model yet | predictions): zod reports the refusal at the root.
        invalid: { modelId: 3, predictions: [{ labels: [{ code: 'I20.9', score: 0.82 }] }] },
        path: [],
        code: 'invalid_union',
      },
    },
    'evidence.get': {
      input: { valid: { projectId: 'demo', docId: 12, labelIds: [4711, 812], k: 8 }, invalid: { projectId: 'demo', docId: 12, labelIds: [] }, path: ['labelIds'] },
      output: { valid: evidence, invalid: { modelId: 3, labels: [{ ...evidence.labels[0], spans: [{ start: 20, end: 32, weight: 2 }] }] }, path: ['labels', 0, 'spans', 0, 'weight'] },
    },
    'evaluation.report': {
      input: { valid: { projectId: 'demo', modelId: 3, split: 'test' }, invalid: { projectId: 'demo', split: 'Test' }, path: ['split'] },
      output: { valid: evaluation, invalid: { ...evaluation, serves: 'all' }, path: [], code: 'invalid_union' },
    },
    'exports.model': {
      input: { valid: { projectId: 'demo', modelId: 3, destination: { name: 'planter-model-3' } }, invalid: { projectId: 'demo', destination: { name: 'models/planter-model-3' } }, path: ['destination', 'name'] },
      output: { valid: { jobId: 'job-exp-2' }, invalid: { jobId: 'job-' }, path: ['jobId'] },
    },
  });

  it('evaluation.report names the wrong field of a report, inside the union with "no model yet"', () => {
    const issue = training.trainingMethods['evaluation.report'].output.safeParse({ ...evaluation, serves: 'all' }).error?.issues[0];
    expect(issue?.code).toBe('invalid_union');
    const optionPaths = issue?.code === 'invalid_union' ? issue.errors.map((optionIssues) => optionIssues[0]?.path) : [];
    expect(optionPaths).toContainEqual(['serves']);
  });
});
