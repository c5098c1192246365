import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { tempServices } from '../testing/temp-services';

const http: CallContext = { transport: 'http', trusted: false };

describe('exports.annotations in the tools’ formats', () => {
  let env: ReturnType<typeof tempServices>;
  beforeAll(async () => {
    env = tempServices();
    await call(env.services.handlers, 'projects.create', { id: 'p', name: 'P' }, http);
    env.services.projects.get('p').db.prepare("INSERT INTO documents (ext_id, text, split) VALUES ('d1', 'Fever and cough.', 'dev')").run();
  });
  afterAll(async () => env.cleanup());

  // A name without an extension gets the one its format's files have: Prodigy's "x.prodigy" would open in nothing.
  it.each([
    ['prodigy', 'exports/p-prodigy.jsonl'],
    ['doccano', 'exports/p-doccano.jsonl'],
    ['label-studio', 'exports/p-label-studio.json'],
  ] as const)('%s writes %s', async (format, path) => {
    const { jobId } = await call(env.services.handlers, 'exports.annotations', { projectId: 'p', format, destination: { name: `p-${format}` } }, http);
    const finished = await env.services.jobs.wait(jobId);
    expect(finished.outcome).toBe('done');
    expect(finished.result).toMatchObject({ path, documents: 1, assignments: 0 });
    expect(readFileSync(env.services.projects.get('p').path('exports', path.slice('exports/'.length)), 'utf8')).toContain('"Fever and cough."');
  });
});
