import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { tempServices } from '../testing/temp-services';

const http: CallContext = { transport: 'http', trusted: false };

// Issue #14, bug 15: Projects had no rename or delete.
describe('projects.rename and projects.delete', () => {
  let env: ReturnType<typeof tempServices>;
  beforeEach(async () => {
    env = tempServices();
    await call(env.services.handlers, 'projects.create', { id: 'cardio', name: 'Cardiology coding 2026' }, http);
  });
  afterEach(async () => env.cleanup());

  it('renames a project, keeping its id and folder', async () => {
    const h = env.services.handlers;
    const renamed = await call(h, 'projects.rename', { projectId: 'cardio', name: '  Cardiology, second pass  ' }, http);
    expect(renamed).toMatchObject({ id: 'cardio', name: 'Cardiology, second pass' });
    expect((await call(h, 'projects.list', {}, http)).projects.map((p) => [p.id, p.name])).toEqual([['cardio', 'Cardiology, second pass']]);
    await expect(call(h, 'projects.rename', { projectId: 'cardio', name: '   ' }, http)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('deletes a project with everything in it only when the id is confirmed and no job runs', async () => {
    const h = env.services.handlers;
    const dir = join(env.dataDir, 'projects', 'cardio');
    expect(existsSync(dir)).toBe(true);
    await expect(call(h, 'projects.delete', { projectId: 'cardio', confirm: 'other' }, http)).rejects.toMatchObject({ code: 'invalid-input' });
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const jobId = env.services.jobs.start('export', 'cardio', () => gate.then(() => ({ path: 'exports/x.jsonl', documents: 0, assignments: 0 })));
    await expect(call(h, 'projects.delete', { projectId: 'cardio', confirm: 'cardio' }, http)).rejects.toMatchObject({ code: 'conflict' });
    release();
    await env.services.jobs.wait(jobId);
    expect(await call(h, 'projects.delete', { projectId: 'cardio', confirm: 'cardio' }, http)).toEqual({});
    expect(existsSync(dir)).toBe(false);
    expect((await call(h, 'projects.list', {}, http)).projects).toEqual([]);
    await expect(call(h, 'projects.stats', { projectId: 'cardio' }, http)).rejects.toMatchObject({ code: 'not-found' });
    // The id is free again.
    await call(h, 'projects.create', { id: 'cardio', name: 'Again' }, http);
  });

  it('never deletes a folder the command line named', async () => {
    const id = env.services.projects.register(join(env.dataDir, 'elsewhere'));
    env.services.projects.create(id, 'Outside');
    await expect(call(env.services.handlers, 'projects.delete', { projectId: id, confirm: id }, http)).rejects.toMatchObject({ code: 'conflict' });
    expect(existsSync(join(env.dataDir, 'elsewhere'))).toBe(true);
  });
});
