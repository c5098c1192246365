/**
 * A kill between writing a model folder and recording it in the database (found by the crash
 * suite: `orphan_model_folders` in its notes), reproduced deterministically. The folder is whole
 * (written atomically) but unknown to the project, and the next training takes the same model id.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../app/dispatch';
import type { CallContext } from '../../core/handlers';
import { TEST_SETTINGS } from '../../plant/pipeline/testing/synthetic';
import { tempServices } from '../temp-services';
import { corpusJsonl } from './fixtures';

const cli: CallContext = { transport: 'cli', trusted: true };
let env: ReturnType<typeof tempServices>;

beforeAll(async () => {
  env = tempServices();
  const h = env.services.handlers;
  await call(h, 'projects.create', { id: 'p', name: 'p' }, cli);
  const file = join(env.dataDir, 'c.jsonl');
  writeFileSync(file, corpusJsonl({ prefix: 'm', train: 100, dev: 40, seed: 4 }).text);
  const { jobId } = await call(h, 'imports.corpus', { projectId: 'p', source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
  expect((await env.services.jobs.wait(jobId)).outcome).toBe('done');
  const t = await call(h, 'training.start', { projectId: 'p', mode: 'full', settings: TEST_SETTINGS }, cli);
  expect((await env.services.jobs.wait(t.jobId)).outcome).toBe('done');
}, 60_000);
afterAll(() => env.cleanup());

describe('a model folder written but never recorded (killed in between)', () => {
  // Model folders are named after their run (unique, never reused), so an orphan folder cannot
  // collide with a later training's.
  it('a folder left by a killed training does not block the next one', { timeout: 60_000 }, async () => {
    const models = join(env.dataDir, 'projects', 'p', 'models');
    // A killed training had written the folder the next run would use, but never recorded it.
    cpSync(join(models, 'model-run-0001'), join(models, 'model-run-0002'), { recursive: true });
    const t = await call(env.services.handlers, 'training.start', { projectId: 'p', mode: 'full', settings: TEST_SETTINGS }, cli);
    const done = await env.services.jobs.wait(t.jobId);
    expect(done.error?.message).toBeUndefined();
    expect(done.outcome).toBe('done');
  });
});
