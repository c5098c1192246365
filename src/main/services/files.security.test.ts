/**
 * What a project leaves on disk and what one request may make the host keep (issue #15): project
 * files private whatever the umask; uploads capped per project; exports named relative to the
 * project; CSV cells that a spreadsheet would run neutralised; unpaired surrogates refused by
 * name. Runs the services in-process (and the built CLI for `planter init`).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOADS_PER_PROJECT, MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES_PER_PROJECT, type Method, type Output } from '../../shared/contract';
import { dispatch } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { exportCell } from '../exporters/annotations';
import { TEST_SETTINGS } from '../plant/pipeline/testing/synthetic';
import { ProjectStore } from '../store/project-store';
import { CLI, ensureBuilt, ROOT } from '../testing/reliability/service-process';
import { emptyTally, report } from '../testing/reliability/tally';
import { tempServices } from '../testing/temp-services';

const http: CallContext = { transport: 'http', trusted: false };
const cli: CallContext = { transport: 'cli', trusted: true };
const tally = emptyTally();
let env: ReturnType<typeof tempServices>;
let umask: number;

async function call<M extends Method>(method: M, input: unknown, ctx = http): Promise<Output<M>> {
  const reply = await dispatch(env.services.handlers, method, input, ctx);
  if (!reply.ok) throw Object.assign(new Error(`${reply.error.code}: ${reply.error.message}`), { code: reply.error.code, details: reply.error.details });
  return reply.value as Output<M>;
}
async function refusal(method: Method, input: unknown, ctx = http): Promise<{ code: string; message: string; details?: unknown }> {
  const reply = await dispatch(env.services.handlers, method, input, ctx);
  if (reply.ok) {
    tally.unauthorized_accepted++;
    throw new Error(`${method} was accepted`);
  }
  return reply.error;
}

/** Every entry below `dir` that another account could read, write or enter. */
function notPrivate(dir: string): string[] {
  const out: string[] = [];
  const visit = (path: string): void => {
    const st = statSync(path);
    const mode = st.mode & 0o777;
    if (st.isDirectory()) {
      if (mode !== 0o700) out.push(`${path} ${mode.toString(8)}`);
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (mode !== 0o600) out.push(`${path} ${mode.toString(8)}`);
  };
  visit(dir);
  return out;
}

beforeAll(() => {
  // What a coder's shell usually has: without explicit modes, files would be 0644, folders 0755.
  umask = process.umask(0o022);
  env = tempServices();
});
afterAll(async () => {
  await env.cleanup();
  process.umask(umask);
  report('files-security', { unauthorized_accepted: tally.unauthorized_accepted });
});

describe('project files are private to their owner, whatever the umask', () => {
  it('a project with a corpus, a model, an upload, exports and a bundle is 0700 folders and 0600 files throughout', async () => {
    await call('projects.create', { id: 'private', name: 'Private' });
    const file = join(env.dataDir, 'corpus.jsonl');
    const rows = Array.from({ length: 60 }, (_, i) => ({ id: `d${i}`, text: `patient ${i} with ${i % 3 ? 'asthma wheeze' : 'fracture femur'} case`, labels: [i % 3 ? 'J45' : 'S72'], split: i < 40 ? 'train' : 'dev' }));
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const imported = await call('imports.corpus', { projectId: 'private', source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
    expect((await env.services.jobs.wait(imported.jobId)).outcome).toBe('done');
    const trained = await call('training.start', { projectId: 'private', mode: 'full', settings: TEST_SETTINGS });
    expect((await env.services.jobs.wait(trained.jobId)).outcome).toBe('done');
    for (const format of ['jsonl', 'csv'] as const) {
      const exported = await call('exports.annotations', { projectId: 'private', format, destination: { name: `out-${format}` } });
      expect((await env.services.jobs.wait(exported.jobId)).outcome).toBe('done');
    }
    const bundle = await call('exports.model', { projectId: 'private', destination: { name: 'bundle' } });
    expect((await env.services.jobs.wait(bundle.jobId)).outcome).toBe('done');
    await call('uploads.begin', { projectId: 'private', fileName: 'waiting.jsonl', sizeBytes: 10 });
    const leaks = [...notPrivate(env.services.projects.get('private').dir), ...notPrivate(join(env.dataDir, 'uploads')).filter((p) => !p.endsWith(join(env.dataDir, 'uploads')))];
    tally.unauthorized_accepted += leaks.length;
    expect(leaks).toEqual([]);
  });

  it('a project an older version left 0755/0644 is made private when it is opened', () => {
    const dir = join(env.dataDir, 'old-project');
    ProjectStore.create(dir, 'Old').close();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'project.sqlite'), 0o644);
    ProjectStore.open(dir).close();
    expect(notPrivate(dir)).toEqual([]);
  });

  it('`planter init` under umask 022 makes a 0700 folder and a 0600 database (the built CLI)', () => {
    ensureBuilt((m) => console.warn(`[files.security] ${m}`));
    const root = mkdtempSync(join(tmpdir(), 'planter-init-'));
    try {
      const project = join(root, 'cardio');
      const r = spawnSync('sh', ['-c', `umask 022 && "${process.execPath}" "${CLI}" init --project "${project}"`], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const leaks = notPrivate(project);
      tally.unauthorized_accepted += leaks.length;
      expect(leaks).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('upload quotas per project', () => {
  it('a project may stage a bounded number of uploads of bounded total size; discarding frees room', async () => {
    await call('projects.create', { id: 'quota', name: 'Quota' });
    const ids: string[] = [];
    for (let i = 0; i < MAX_UPLOADS_PER_PROJECT; i++) ids.push((await call('uploads.begin', { projectId: 'quota', fileName: `f${i}.jsonl`, sizeBytes: 10 })).uploadId);
    const tooMany = await refusal('uploads.begin', { projectId: 'quota', fileName: 'one-more.jsonl', sizeBytes: 10 });
    expect(tooMany).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already has 8 uploads waiting to be imported \(the limit is 8\)/) });
    await call('uploads.discard', { uploadId: ids[0] });
    await call('uploads.begin', { projectId: 'quota', fileName: 'now-fits.jsonl', sizeBytes: 10 });
    // Another project has its own room.
    await call('projects.create', { id: 'quota-b', name: 'Quota B' });
    const big = (await call('uploads.begin', { projectId: 'quota-b', fileName: 'a.jsonl', sizeBytes: MAX_UPLOAD_BYTES })).uploadId;
    await call('uploads.begin', { projectId: 'quota-b', fileName: 'b.jsonl', sizeBytes: MAX_UPLOAD_BYTES_PER_PROJECT - MAX_UPLOAD_BYTES });
    expect(await refusal('uploads.begin', { projectId: 'quota-b', fileName: 'c.jsonl', sizeBytes: 1 })).toMatchObject({ code: 'too-large' });
    await call('uploads.discard', { uploadId: big });
  });

  it('an upload is staged for one existing project and imports only there', async () => {
    expect(await refusal('uploads.begin', { projectId: 'nobody', fileName: 'x.jsonl', sizeBytes: 1 })).toMatchObject({ code: 'not-found' });
    expect(await refusal('uploads.begin', { fileName: 'x.jsonl', sizeBytes: 1 })).toMatchObject({ code: 'invalid-input' });
    const { uploadId } = await call('uploads.begin', { projectId: 'quota-b', fileName: 'x.jsonl', sizeBytes: 4 });
    await call('uploads.append', { uploadId, offset: 0, dataBase64: Buffer.from('{}\n\n').toString('base64') });
    await call('uploads.finish', { uploadId });
    expect(await refusal('imports.corpus', { projectId: 'quota', source: { uploadId }, format: 'jsonl' })).toMatchObject({ code: 'not-found' });
  });
});

describe('exports', () => {
  it('name what they wrote relative to the project, never by the server path', async () => {
    const { jobId } = await call('exports.annotations', { projectId: 'private', format: 'csv', destination: { name: 'relative' } });
    const done = await env.services.jobs.wait(jobId);
    const path = (done.result as { path: string }).path;
    expect(path).toBe('exports/relative.csv');
    expect(JSON.stringify(done)).not.toContain(env.dataDir);
    const bundle = await env.services.jobs.wait((await call('exports.model', { projectId: 'private', destination: { name: 'b2' } })).jobId);
    expect(JSON.stringify(bundle.result)).not.toContain(env.dataDir);
    expect((bundle.result as { files: string[] }).files.every((f) => f.startsWith('exports/b2/'))).toBe(true);
  });

  it('CSV cells a spreadsheet would run as a formula get a leading apostrophe', async () => {
    for (const cell of ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      const out = exportCell(cell);
      expect(out.replace(/^"|"$/g, ''), JSON.stringify(cell)).toMatch(/^'/);
    }
    expect(exportCell('patient with fever')).toBe('patient with fever');
    expect(exportCell('a, b')).toBe('"a, b"');
    // Through the whole export.
    const file = join(env.dataDir, 'formula.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: '=cmd|calc', text: '=HYPERLINK("http://evil.example")', labels: ['@X1'] })}\n`);
    await call('projects.create', { id: 'formula', name: 'Formula' });
    await env.services.jobs.wait((await call('imports.corpus', { projectId: 'formula', source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels' } }, cli)).jobId);
    const done = await env.services.jobs.wait((await call('exports.annotations', { projectId: 'formula', format: 'csv', destination: { name: 'f' } })).jobId);
    const csv = readFileSync(join(env.services.projects.get('formula').dir, (done.result as { path: string }).path), 'utf8').split('\n')[1]!;
    expect(csv).toBe(`'=cmd|calc,train,pending,'@X1,,"'=HYPERLINK(""http://evil.example"")"`);
  });
});

describe('unpaired UTF-16 surrogates are refused with where they are', () => {
  it('in an imported document, naming the file, line and field', async () => {
    const file = join(env.dataDir, 'surrogate.jsonl');
    writeFileSync(file, `{"id": "a", "text": "fine"}\n{"id": "b", "text": "cut emoji \\ud83d here"}\n`);
    await call('projects.create', { id: 'surrogates', name: 'Surrogates' });
    const { jobId } = await call('imports.corpus', { projectId: 'surrogates', source: { path: file }, format: 'jsonl' }, cli);
    const done = await env.services.jobs.wait(jobId);
    expect(done.outcome).toBe('failed');
    expect(done.error).toMatchObject({ code: 'bad-file', details: { file: 'surrogate.jsonl', line: 2, field: 'text' } });
    expect(done.error!.message).toMatch(/^surrogate\.jsonl line 2: text contains an unpaired UTF-16 surrogate \(\\ud83d\) at character 11/);
    expect(env.services.projects.get('surrogates').db.prepare('SELECT COUNT(*) FROM documents').pluck().get()).toBe(0);
  });

  it('in a catalogue title, and in any call payload', async () => {
    const file = join(env.dataDir, 'eurovoc.json');
    writeFileSync(file, '{"1": {"concept_id": "1", "label": "ok"}, "2": {"concept_id": "2", "label": "bad \\udc00"}}');
    const done = await env.services.jobs.wait((await call('imports.catalogue', { projectId: 'surrogates', source: { path: file }, format: 'eurovoc-json' }, cli)).jobId);
    expect(done.error).toMatchObject({ code: 'bad-file', details: { field: 'title' } });
    expect(done.error!.message).toMatch(/unpaired UTF-16 surrogate \(\\udc00\)/);
    const r = await refusal('projects.create', { id: 'x', name: 'name \ud800' });
    expect(r).toMatchObject({ code: 'invalid-input', details: { path: ['name'] } });
    expect(r.message).toMatch(/^projects\.create: name contains an unpaired UTF-16 surrogate \(\\ud800\) at character 6/);
    expect(await refusal('queue.next', { projectId: 'surrogates', strategy: 'search', query: '\udfff' })).toMatchObject({ code: 'invalid-input', details: { path: ['query'] } });
    // A pair is fine.
    await call('projects.create', { id: 'emoji', name: 'Emoji 😀' });
  });
});
