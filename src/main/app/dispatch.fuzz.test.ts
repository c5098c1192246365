/**
 * Fuzzing the contract's validation through `dispatch` (issue #7), on real services over a small
 * project with a trained model: for every method, any value at all (JSON, and what IPC's structured
 * clone can carry: Dates, Maps, typed arrays, null-prototype objects, bigints) and mutations of a
 * valid payload (a field replaced, removed, added; boundary numbers; huge strings). Every reply
 * must be a Reply; a refusal names a stable code other than `internal` and says what was wrong
 * (`invalid-input` names the method and the field path); an answer matches the method's output
 * schema. Training runs against a stand-in worker: this suite is about the boundary, not PLANT.
 *
 * CI: 12 cases per method with a fixed seed; `npm run test:reliability`: 120 per method.
 */
import fc from 'fast-check';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { methodNames, methods, type Method, type Reply } from '../../shared/contract';
import { TEST_SETTINGS } from '../plant/pipeline/testing/synthetic';
import { corpusJsonl } from '../testing/reliability/fixtures';
import { withTimeout } from '../testing/reliability/fuzz';
import { emptyTally, report, seed, size } from '../testing/reliability/tally';
import { tempServices } from '../testing/temp-services';
import { call, dispatch } from './dispatch';
import type { CallContext } from '../core/handlers';

const PER_METHOD = size(12, 120);
const SEED = seed(4_242);
const cli: CallContext = { transport: 'cli', trusted: true };
const transports: CallContext[] = [
  { transport: 'http', trusted: false },
  { transport: 'ipc', trusted: false },
];
const PROJECT = 'fuzz';

const tally = emptyTally();
const outcomes: Record<string, Record<string, number>> = {};
let env: ReturnType<typeof tempServices>;
let ids: { docId: number; labelId: number; modelId: number; uploadId: string; jobId: string };

/** Stands in for the training worker: answers at once that the run was cancelled. */
function stubWorker(): Worker {
  const w = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void; terminate(): Promise<number> };
  w.postMessage = () => setImmediate(() => w.emit('message', { type: 'error', name: 'PipelineCancelled', message: 'stand-in worker: not trained' }));
  w.terminate = () => Promise.resolve(0);
  return w as unknown as Worker;
}

beforeAll(async () => {
  env = tempServices();
  const h = env.services.handlers;
  await call(h, 'projects.create', { id: PROJECT, name: 'Fuzz' }, cli);
  const file = join(env.dataDir, 'corpus.jsonl');
  writeFileSync(file, corpusJsonl({ prefix: 'f', train: 80, dev: 30, pool: 20, seed: 9 }).text);
  const imported = await call(h, 'imports.corpus', { projectId: PROJECT, source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
  expect((await env.services.jobs.wait(imported.jobId)).outcome).toBe('done');
  const trained = await call(h, 'training.start', { projectId: PROJECT, mode: 'full', settings: TEST_SETTINGS }, cli);
  const done = await env.services.jobs.wait(trained.jobId);
  expect(done.outcome, JSON.stringify(done.error)).toBe('done');
  // From here on a valid training.start reaches the real handler but never trains.
  env.services.context.spawnTrainingWorker = stubWorker;
  const docId = (await call(h, 'documents.list', { projectId: PROJECT, split: 'pool', limit: 1 }, cli)).items[0]!.id;
  const labelId = Number((await call(h, 'labels.catalogue', { projectId: PROJECT }, cli)).rows.split('\t')[0]);
  const { uploadId } = await call(h, 'uploads.begin', { projectId: PROJECT, fileName: 'u.jsonl', sizeBytes: 4 }, cli);
  ids = { docId, labelId, modelId: (done.result as { modelId: number }).modelId, uploadId, jobId: trained.jobId };
});

afterAll(async () => {
  await env.services.jobs.dispose();
  await env.cleanup();
  report('fuzz-contract', { fuzz_cases: tally.fuzz_cases, crashes: tally.crashes }, { seed: SEED, outcomes });
});

/** A valid payload per method (new methods fall back to `{ projectId }` and are fuzzed all the same). */
function example(method: string): Record<string, unknown> {
  const p = { projectId: PROJECT };
  const table: Record<string, Record<string, unknown>> = {
    'app.info': {},
    'projects.list': {},
    'projects.create': { id: 'made-by-fuzz', name: 'x' },
    // Over the untrusted transports fuzzed here it is refused (`unauthorized`): nothing is created.
    'projects.init': { path: join(env.dataDir, 'init-by-fuzz'), name: 'x' },
    'jobs.list': {},
    'jobs.get': { jobId: ids.jobId },
    'jobs.cancel': { jobId: ids.jobId },
    'uploads.begin': { projectId: PROJECT, fileName: 'a.jsonl', sizeBytes: 10 },
    'uploads.append': { uploadId: ids.uploadId, offset: 0, dataBase64: 'AAAA' },
    'uploads.finish': { uploadId: ids.uploadId },
    'uploads.discard': { uploadId: 'up-0000000000' },
    'imports.corpus': { ...p, source: { uploadId: ids.uploadId }, format: 'jsonl', mapping: { textField: 'text' } },
    'imports.catalogue': { ...p, source: { uploadId: ids.uploadId }, format: 'labels-csv' },
    'documents.list': { ...p, split: 'pool', status: 'pending', query: 'key', offset: 0, limit: 5 },
    'documents.get': { ...p, docId: ids.docId },
    'labels.search': { ...p, query: 'L1', limit: 5, leafOnly: true },
    'exports.annotations': { ...p, format: 'jsonl', destination: { name: 'fuzz-export' }, split: 'train' },
    'exports.model': { ...p, destination: { name: 'fuzz-bundle' } },
    'training.start': { ...p, mode: 'full', settings: { dim: 16, epochs: { finetune: 1 } } },
    'models.setCurrent': { ...p, modelId: ids.modelId },
    'training.setPolicy': { ...p, gateMetric: 'p@5' },
    'training.estimate': { ...p, mode: 'full', settings: { epochs: { finetune: 2 } } },
    'suggestions.get': { ...p, docId: ids.docId, top: 3 },
    'models.predict': { ...p, texts: ['a short text to label'], top: 3, evidence: 2 },
    'evidence.get': { ...p, docId: ids.docId, labelIds: [ids.labelId], k: 3 },
    'evaluation.report': { ...p, modelId: ids.modelId, split: 'dev' },
    'annotations.apply': { ...p, docId: ids.docId, labelId: ids.labelId, action: 'add' },
    'annotations.setStatus': { ...p, docId: ids.docId, status: 'review' },
    'annotations.history': { ...p, docId: ids.docId, limit: 5 },
    'annotations.applyMany': { ...p, items: [{ docId: ids.docId, labelId: ids.labelId, action: 'accept', score: 0.5 }] },
    'annotations.setStatusMany': { ...p, status: 'review', scope: { docIds: [ids.docId] } },
    'annotator.get': {},
    'annotator.set': { name: 'Fuzz coder' },
    'annotator.stats': p,
    'queue.next': { ...p, strategy: 'rare-first', split: 'pool', statuses: ['pending'], limit: 5 },
    'labels.recent': { ...p, limit: 3 },
    'projects.rename': { ...p, name: 'Fuzz renamed' },
    // The project projects.create's example made: deleting it leaves the fuzzed project alone.
    'projects.delete': { projectId: 'made-by-fuzz', confirm: 'made-by-fuzz' },
    'exports.download': { ...p, file: 'fuzz-export.jsonl', offset: 0, length: 1024 },
    'spans.list': { ...p, docId: ids.docId },
    'spans.add': { ...p, docId: ids.docId, labelId: ids.labelId, start: 0, end: 3 },
    'spans.update': { ...p, spanId: 1, labelId: ids.labelId },
    'spans.delete': { ...p, spanId: 1 },
    'spans.import': { ...p, source: { uploadId: ids.uploadId } },
    'spans.agreement': { ...p, split: 'dev', modelId: ids.modelId, k: 3, evidenceK: 3 },
    'notes.get': { ...p, docId: ids.docId },
    'notes.set': { ...p, docId: ids.docId, labelId: ids.labelId, text: 'fuzz note' },
    'notes.search': { ...p, query: 'fuzz', limit: 5 },
    'guidelines.set': { ...p, text: '# Fuzz guidelines' },
  };
  return table[method] ?? p;
}

const weird = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER + 2, '', ' ', '0', 'null', '__proto__', 'constructor', 'a'.repeat(10_000), '../..', 'e\u0000x', '😀'.repeat(50), true, false, null, [], {}, [[[]]]),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** A valid payload with one to three edits: a field replaced, removed, or an unknown one added. */
function mutatedExample(method: Method): fc.Arbitrary<unknown> {
  const base = example(method);
  const keys = Object.keys(base);
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...(keys.length ? keys : ['projectId'])), value: weird }),
    fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...(keys.length ? keys : ['projectId'])) }),
    fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('extra', '__proto__', 'constructor', 'toString', 'trusted'), value: weird }),
    fc.record({ kind: fc.constant('nested' as const), key: fc.constantFrom(...(keys.length ? keys : ['projectId'])), value: weird }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const out: Record<string, unknown> = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    for (const e of edits) {
      if (e.kind === 'delete') delete out[e.key];
      else if (e.kind === 'add') Object.defineProperty(out, e.key, { value: e.value, enumerable: true, configurable: true, writable: true });
      else if (e.kind === 'nested' && out[e.key] && typeof out[e.key] === 'object') (out[e.key] as Record<string, unknown>)[String(e.value).slice(0, 10)] = e.value;
      else out[e.key] = e.value;
    }
    return out;
  });
}

/** Values the schema accepts but the project may not hold: other ids, other names, other numbers. */
const plausible = fc.oneof(
  fc.integer({ min: 1, max: 2_000_000 }),
  fc.integer({ min: 0, max: 3 }),
  fc.constantFrom(PROJECT, 'nope', 'demo', 'made-by-fuzz', 'train', 'dev', 'pool', 'test', 'jsonl', 'csv', 'done', 'pending', 'accept', 'reject', 'remove', 'add', 'retrain', 'full', 'random', 'similar', 'uncertainty', 'by-label', 'search', 'up-00000000', 'job-zzz'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
);

/** A valid payload with values swapped for others the schema still accepts: the handlers run on them. */
function schemaValidVariant(method: Method): fc.Arbitrary<unknown> {
  const base = example(method);
  const keys = Object.keys(base);
  if (keys.length === 0) return fc.constant(base);
  return fc
    .array(fc.record({ key: fc.constantFrom(...keys), value: plausible }), { minLength: 1, maxLength: 3 })
    .map((edits) => {
      const out: Record<string, unknown> = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
      for (const e of edits) out[e.key] = e.value;
      return methods[method].input.safeParse(out).success ? out : base;
    });
}

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
  fc.constant(undefined),
);

/** Judges one reply; returns a failure message or null. */
function judge(method: Method, reply: Reply<unknown>): string | null {
  if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean') return `not a Reply: ${String(reply)}`;
  if (reply.ok) {
    const out = methods[method].output.safeParse(reply.value);
    return out.success ? null : `answered ok, but the answer breaks the output schema: ${out.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  }
  const e = reply.error;
  if (!ErrorCode.safeParse(e.code).success) return `unknown error code ${String(e.code)}`;
  if (e.code === 'internal') return `internal: ${e.message}`;
  if (typeof e.message !== 'string' || e.message.trim().length < 8 || /\[object Object\]/.test(e.message)) return `a message that names nothing: ${JSON.stringify(e.message)}`;
  // Schema failures are prefixed by dispatch with the method and name the field path.
  if (e.code === 'invalid-input' && e.details?.path && (!e.message.startsWith(`${method}: `) || !/: /.test(e.message))) return `invalid-input that does not name the method and field: ${e.message}`;
  return null;
}

describe('the contract under fuzzing', () => {
  it('the examples themselves are accepted (so mutations start from valid payloads)', async () => {
    for (const method of methodNames) {
      const parsed = methods[method].input.safeParse(example(method));
      expect(parsed.success, `${method}: ${JSON.stringify(example(method))}`).toBe(true);
    }
  });

  for (const method of methodNames) {
    it(`${method}: ${PER_METHOD} cases, every reply a Reply, no internal errors, answers match the schema`, { timeout: 30_000 + PER_METHOD * 2_000 }, async () => {
      const s = SEED + methodNames.indexOf(method) * 7919;
      const third = Math.ceil(PER_METHOD / 3);
      const inputs = [
        ...fc.sample(anyValue, { numRuns: third, seed: s }),
        ...fc.sample(mutatedExample(method), { numRuns: third, seed: s + 1 }),
        ...fc.sample(schemaValidVariant(method), { numRuns: PER_METHOD - 2 * third, seed: s + 2 }),
      ];
      const failures: string[] = [];
      const counts = (outcomes[method] ??= {});
      for (let i = 0; i < inputs.length; i++) {
        const ctx = transports[i % transports.length]!;
        tally.fuzz_cases++;
        let reply: Reply<unknown>;
        try {
          reply = await withTimeout(dispatch(env.services.handlers, method, inputs[i], ctx), 20_000, method);
        } catch (e) {
          tally.crashes++;
          failures.push(`${method} threw or hung on ${safeJson(inputs[i])}: ${(e as Error).message}`);
          continue;
        }
        const key = reply.ok ? 'ok' : reply.error.code;
        counts[key] = (counts[key] ?? 0) + 1;
        const failure = judge(method, reply);
        if (failure) {
          tally.crashes++;
          if (failures.length < 5) failures.push(`${method} (${ctx.transport}) on ${safeJson(inputs[i])}: ${failure}`);
        }
        // A valid call may start a job (training, import, export): let it finish before the next case.
        if (reply.ok && reply.value && typeof reply.value === 'object' && 'jobId' in reply.value) {
          await env.services.jobs.wait((reply.value as { jobId: string }).jobId).catch(() => undefined);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

function safeJson(v: unknown): string {
  try {
    return (JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v)).slice(0, 300);
  } catch {
    return String(v).slice(0, 300);
  }
}
