import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { tempServices } from '../testing/temp-services';

const http: CallContext = { transport: 'http', trusted: false };

// Issue #14, bug 15: browser mode could not download exports (they only landed in the server's folder).
describe('exports.download', () => {
  let env: ReturnType<typeof tempServices>;
  let exportsDir: string;
  beforeAll(async () => {
    env = tempServices();
    await call(env.services.handlers, 'projects.create', { id: 'p', name: 'P' }, http);
    const db = env.services.projects.get('p').db;
    db.prepare("INSERT INTO documents (ext_id, text, split) VALUES ('d1', 'Fever and cough.', 'train')").run();
    exportsDir = env.services.projects.get('p').path('exports');
  });
  afterAll(async () => env.cleanup());

  it('reads an export back, chunk by chunk, byte for byte', async () => {
    const h = env.services.handlers;
    const { jobId } = await call(h, 'exports.annotations', { projectId: 'p', format: 'jsonl', destination: { name: 'annotations' } }, http);
    expect((await env.services.jobs.wait(jobId)).outcome).toBe('done');
    const onDisk = readFileSync(join(exportsDir, 'annotations.jsonl'));
    const parts: Buffer[] = [];
    for (let offset = 0; ; ) {
      const r = await call(h, 'exports.download', { projectId: 'p', file: 'annotations.jsonl', offset, length: 7 }, http);
      parts.push(Buffer.from(r.dataBase64, 'base64'));
      expect(r.sizeBytes).toBe(onDisk.length);
      offset += 7;
      if (r.done) break;
    }
    expect(Buffer.concat(parts).equals(onDisk)).toBe(true);
    // One folder deep, as a model bundle's files are.
    mkdirSync(join(exportsDir, 'bundle'), { recursive: true });
    writeFileSync(join(exportsDir, 'bundle', 'labels.json'), '{"labels":[]}');
    const bundle = await call(h, 'exports.download', { projectId: 'p', file: 'bundle/labels.json' }, http);
    expect(Buffer.from(bundle.dataBase64, 'base64').toString()).toBe('{"labels":[]}');
  });

  it('names nothing outside the exports folder', async () => {
    const h = env.services.handlers;
    for (const file of ['../project.sqlite', '/etc/passwd', 'a/b/c', '.hidden', 'bundle/../../project.sqlite']) {
      await expect(call(h, 'exports.download', { projectId: 'p', file }, http), file).rejects.toMatchObject({ code: 'invalid-input' });
    }
    symlinkSync(join(exportsDir, '..', 'project.sqlite'), join(exportsDir, 'escape.db'));
    await expect(call(h, 'exports.download', { projectId: 'p', file: 'escape.db' }, http)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(call(h, 'exports.download', { projectId: 'p', file: 'missing.jsonl' }, http)).rejects.toMatchObject({ code: 'not-found' });
  });
});
