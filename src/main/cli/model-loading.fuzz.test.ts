/**
 * Fuzzing model loading (issue #7). Two ways a model reaches Planter:
 * - an exported bundle (`planter predict --model DIR`): model.onnx, model-explain.onnx,
 *   labels.json, vocab.json — truncated, bit-flipped, emptied, deleted, swapped with another
 *   model's file (mismatched vocabulary, label map or graph), or with JSON fields altered;
 * - a project's model folder (model.json + params.ckpt), loaded for suggestions.
 * Each case is either predicted from correctly (a label map that matches the graph) or refused
 * with one line naming the bundle or folder and the problem; an internal error, a silent mismatch,
 * a hang or a native crash fails.
 *
 * CI: 24 bundle + 12 folder cases with a fixed seed; `npm run test:reliability`: 400 + 200.
 */
import fc from 'fast-check';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, dispatch } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { TEST_SETTINGS } from '../plant/pipeline/testing/synthetic';
import { corpusJsonl } from '../testing/reliability/fixtures';
import { mutationArb, mutate, withTimeout, type Mutation } from '../testing/reliability/fuzz';
import { emptyTally, report, seed, size } from '../testing/reliability/tally';
import { tempServices } from '../testing/temp-services';
import { runCli } from './run';

const BUNDLE_CASES = size(24, 400);
const FOLDER_CASES = size(12, 200);
const SEED = seed(1_234);
const cli: CallContext = { transport: 'cli', trusted: true };
const http: CallContext = { transport: 'http', trusted: false };
const tally = emptyTally();
const verdicts: Record<string, number> = {};

let env: ReturnType<typeof tempServices>;
let root: string;
let bundleA: string;
let bundleB: string;
let docs: string;
let modelDir: string;
let docId: number;
let labelsA: number;

async function trainAndExport(projectId: string, corpusSeed: number, labels: number, out: string): Promise<string> {
  const h = env.services.handlers;
  await call(h, 'projects.create', { id: projectId, name: projectId }, cli);
  const file = join(root, `${projectId}.jsonl`);
  writeFileSync(file, corpusJsonl({ prefix: projectId, labels, train: 80, dev: 30, pool: 10, seed: corpusSeed }).text);
  const imported = await call(h, 'imports.corpus', { projectId, source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
  expect((await env.services.jobs.wait(imported.jobId)).outcome).toBe('done');
  const trained = await call(h, 'training.start', { projectId, mode: 'full', settings: TEST_SETTINGS }, cli);
  const t = await env.services.jobs.wait(trained.jobId);
  expect(t.outcome, JSON.stringify(t.error)).toBe('done');
  const exported = await call(h, 'exports.model', { projectId, destination: { path: out } }, cli);
  expect((await env.services.jobs.wait(exported.jobId)).outcome).toBe('done');
  return out;
}

beforeAll(async () => {
  env = tempServices();
  root = mkdtempSync(join(tmpdir(), 'planter-model-fuzz-'));
  bundleA = await trainAndExport('alpha', 3, 6, join(root, 'bundle-a'));
  bundleB = await trainAndExport('beta', 77, 9, join(root, 'bundle-b')); // another vocabulary, another label count
  labelsA = (JSON.parse(readFileSync(join(bundleA, 'labels.json'), 'utf8')) as { labels: unknown[] }).labels.length;
  docs = join(root, 'docs.jsonl');
  writeFileSync(docs, ['{"id":"q1","text":"keyaaa and some filler"}', '{"id":"q2","text":""}', '{"id":"q3","text":"😀 ünïcode \\u0000 text"}'].join('\n'));
  const { models } = await call(env.services.handlers, 'models.list', { projectId: 'alpha' }, cli);
  const store = env.services.projects.get('alpha');
  modelDir = join(store.dir, store.db.prepare('SELECT path FROM models WHERE id = ?').pluck().get(models[0]!.id) as string);
  docId = (await call(env.services.handlers, 'documents.list', { projectId: 'alpha', limit: 1 }, cli)).items[0]!.id;
}, 120_000);

afterAll(async () => {
  await env.cleanup();
  rmSync(root, { recursive: true, force: true });
  report('fuzz-model-loading', { fuzz_cases: tally.fuzz_cases, crashes: tally.crashes }, { seed: SEED, verdicts });
});

async function predict(dir: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['predict', '--model', dir, '--docs', docs, '--top', '3'], { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false });
  return { code, out, err };
}

const FILES = ['model.onnx', 'model-explain.onnx', 'labels.json', 'vocab.json'] as const;

type BundleEdit =
  | { kind: 'bytes'; file: (typeof FILES)[number]; mutations: Mutation[] }
  | { kind: 'delete' | 'empty' | 'swap'; file: (typeof FILES)[number] }
  | { kind: 'json'; file: 'labels.json' | 'vocab.json'; path: string; value: unknown };

const bundleEdit: fc.Arbitrary<BundleEdit> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), file: fc.constantFrom(...FILES), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'empty' as const, 'swap' as const), file: fc.constantFrom(...FILES) }),
  fc.record({
    kind: fc.constant('json' as const),
    file: fc.constant('labels.json' as const),
    path: fc.constantFrom('threshold', 'format', 'version', 'vocabFingerprint', 'vocabSize', 'labels', 'labels.drop', 'labels.add', 'labels.0.code', 'labels.0.index'),
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1e9, 'x', null, [], {})),
  }),
  fc.record({
    kind: fc.constant('json' as const),
    file: fc.constant('vocab.json' as const),
    path: fc.constantFrom('maxLen', 'format', 'version', 'fingerprint', 'tokens', 'tokens.drop', 'tokens.add', 'tokenizer', 'tokens.0'),
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1e9, 'x', null, [], {})),
  }),
) as fc.Arbitrary<BundleEdit>;

function applyJsonEdit(file: string, path: string, value: unknown): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const [head, tail] = path.split('.', 2) as [string, string | undefined];
  const list = doc[head] as unknown[];
  if (tail === 'drop' && Array.isArray(list)) list.pop();
  else if (tail === 'add' && Array.isArray(list)) list.push(head === 'labels' ? { index: list.length, code: 'EXTRA', title: 'extra', trainCount: 0 } : 'extratoken');
  else if (tail === '0' && Array.isArray(list)) list[0] = value;
  else if (tail && Array.isArray(list) && list[0] && typeof list[0] === 'object') (list[0] as Record<string, unknown>)[tail] = value;
  else doc[head] = value;
  writeFileSync(file, JSON.stringify(doc));
}

/** Whether the edited label map still describes the graph's outputs (same count as bundle A's). */
function labelCountOf(dir: string): number | null {
  try {
    const l = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as { labels?: unknown };
    return Array.isArray(l.labels) ? l.labels.length : null;
  } catch {
    return null;
  }
}

describe('model bundles under fuzzing (planter predict --model)', () => {
  it('the intact bundle predicts', async () => {
    const r = await predict(bundleA);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out).toHaveLength(3);
  });

  it(`${BUNDLE_CASES} damaged or mismatched bundles: predicted from correctly, or refused by name`, { timeout: 60_000 + BUNDLE_CASES * 3_000 }, async () => {
    const edits = fc.sample(fc.array(bundleEdit, { minLength: 1, maxLength: 2 }), { numRuns: BUNDLE_CASES, seed: SEED });
    const failures: string[] = [];
    for (let i = 0; i < edits.length; i++) {
      const dir = join(root, `case-${i}`);
      cpSync(bundleA, dir, { recursive: true });
      const graphSwapped = { value: false };
      for (const e of edits[i]!) {
        const file = join(dir, e.file);
        if (e.kind === 'delete') rmSync(file, { force: true });
        else if (e.kind === 'empty') writeFileSync(file, '');
        else if (e.kind === 'swap') {
          copyFileSync(join(bundleB, e.file), file);
          if (e.file === 'model.onnx') graphSwapped.value = true;
        } else if (e.kind === 'bytes' && existsSync(file)) writeFileSync(file, mutate(new Uint8Array(readFileSync(file)), e.mutations));
        else if (e.kind === 'json' && existsSync(file)) {
          try {
            applyJsonEdit(file, e.path, e.value);
          } catch {
            /* the file was already not JSON */
          }
        }
      }
      tally.fuzz_cases++;
      const what = `case ${i} ${JSON.stringify(edits[i]).slice(0, 400)}`;
      let r: Awaited<ReturnType<typeof predict>>;
      try {
        r = await withTimeout(predict(dir), 60_000, what);
      } catch (e) {
        tally.crashes++;
        failures.push(`${what}: ${(e as Error).message}`);
        continue;
      }
      const verdict = r.code === 0 ? 'predicted' : r.code === 1 ? 'refused' : `exit ${r.code}`;
      verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
      let problem: string | null = null;
      if (r.code === 0) {
        // Accepted: the label map must describe the graph it came with.
        const expected = graphSwapped.value ? null : labelsA;
        if (labelCountOf(dir) !== expected) problem = `predicted with a label map of ${labelCountOf(dir)} labels for a graph of ${expected ?? 'another model\'s'} outputs`;
        else if (r.out.length !== 3) problem = `predicted ${r.out.length} lines for 3 documents`;
      } else if (r.code === 1) {
        const line = r.err.join('\n');
        if (r.err.length !== 1 || !line.startsWith('planter predict: ')) problem = `refusal is not one line: ${line}`;
        else if (/internal error/.test(line)) problem = line;
        else if (!line.includes(dir)) problem = `refusal does not name the bundle: ${line}`;
      } else problem = `exit code ${r.code}: ${r.err.join(' ')}`;
      if (problem) {
        tally.crashes++;
        if (failures.length < 6) failures.push(`${what}: ${problem}`);
      }
      rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  });
});

describe("a project's model folder under fuzzing (suggestions)", () => {
  it(`${FOLDER_CASES} damaged model folders: loaded and predicting, or refused as bad-file naming the folder`, { timeout: 60_000 + FOLDER_CASES * 3_000 }, async () => {
    const pristine = join(root, 'pristine-model');
    cpSync(modelDir, pristine, { recursive: true });
    const edits = fc.sample(
      fc.oneof(
        fc.record({ file: fc.constantFrom('params.ckpt', 'model.json'), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) }),
        fc.record({ file: fc.constant('model.json'), path: fc.constantFrom('labels', 'config', 'vocabulary', 'format', 'version', 'threshold', 'settings', 'trainFreq'), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, [], {}, -1)) }),
        fc.record({ file: fc.constantFrom('params.ckpt', 'model.json'), remove: fc.constant(true) }),
      ),
      { numRuns: FOLDER_CASES, seed: SEED + 1 },
    );
    const failures: string[] = [];
    for (let i = 0; i < edits.length; i++) {
      rmSync(modelDir, { recursive: true, force: true });
      cpSync(pristine, modelDir, { recursive: true });
      const e = edits[i]! as { file: string; mutations?: Mutation[]; path?: string; value?: unknown; remove?: boolean };
      const file = join(modelDir, e.file);
      if (e.remove) rmSync(file);
      else if (e.mutations) writeFileSync(file, mutate(new Uint8Array(readFileSync(file)), e.mutations));
      else {
        const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        doc[e.path!] = e.value;
        writeFileSync(file, JSON.stringify(doc));
      }
      env.services.context.models.invalidate('alpha');
      tally.fuzz_cases++;
      const what = `folder case ${i} ${JSON.stringify(e).slice(0, 300)}`;
      let reply;
      try {
        reply = await withTimeout(dispatch(env.services.handlers, 'suggestions.get', { projectId: 'alpha', docId, top: 3 }, http), 60_000, what);
      } catch (err) {
        tally.crashes++;
        failures.push(`${what}: ${(err as Error).message}`);
        continue;
      }
      const verdict = reply.ok ? 'loaded' : reply.error.code;
      verdicts[`folder ${verdict}`] = (verdicts[`folder ${verdict}`] ?? 0) + 1;
      let problem: string | null = null;
      if (!reply.ok && (reply.error.code !== 'bad-file' || !reply.error.message.includes(modelDir))) problem = `${reply.error.code}: ${reply.error.message}`;
      if (reply.ok && (reply.value as { labels: unknown[] }).labels.length !== 3) problem = `loaded, but ${JSON.stringify(reply.value).slice(0, 200)}`;
      if (problem) {
        tally.crashes++;
        if (failures.length < 6) failures.push(`${what}: ${problem}`);
      }
    }
    rmSync(modelDir, { recursive: true, force: true });
    cpSync(pristine, modelDir, { recursive: true });
    env.services.context.models.invalidate('alpha');
    expect(failures).toEqual([]);
  });
});
