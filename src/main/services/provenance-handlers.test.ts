import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Method, Output } from '../../shared/contract';
import { dispatch } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import type { Services } from '../app/services';
import { tempServices } from '../testing/temp-services';

const http: CallContext = { transport: 'http', trusted: false };
const cli: CallContext = { transport: 'cli', trusted: true };
let env: ReturnType<typeof tempServices>;
let services: Services;
let d1: number;
let d2: number;
let l1: number;

async function call<M extends Method>(method: M, input: unknown, ctx: CallContext = http): Promise<Output<M>> {
  const reply = await dispatch(services.handlers, method, input, ctx);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as Output<M>;
}

beforeEach(async () => {
  env = tempServices();
  services = env.services;
  await call('projects.create', { id: 'p', name: 'P' });
  const db = services.projects.get('p').db;
  d1 = Number(db.prepare("INSERT INTO documents (ext_id, text, split) VALUES ('d1', 'one', 'pool')").run().lastInsertRowid);
  d2 = Number(db.prepare("INSERT INTO documents (ext_id, text, split) VALUES ('d2', 'two', 'pool')").run().lastInsertRowid);
  l1 = Number(db.prepare("INSERT INTO labels (code, title) VALUES ('L1', 'one')").run().lastInsertRowid);
});
afterEach(() => env.cleanup());

describe('annotator name', () => {
  it('is null until set, then stored for the install in a private file and recorded on every decision', async () => {
    expect(await call('annotator.get', {})).toEqual({ name: null });
    await call('annotations.apply', { projectId: 'p', docId: d1, labelId: l1, action: 'accept', score: 0.75 });
    expect(await call('annotator.set', { name: '  Ana Ruiz ' })).toEqual({ name: 'Ana Ruiz' });
    expect(statSync(join(env.dataDir, 'annotator.json')).mode & 0o777).toBe(0o600);
    expect(await call('annotator.get', {})).toEqual({ name: 'Ana Ruiz' });
    await call('annotations.setStatus', { projectId: 'p', docId: d1, status: 'done' });
    const { events } = await call('annotations.history', { projectId: 'p' });
    expect(events.map((e) => [e.action, e.who, e.score])).toEqual([
      ['status', 'Ana Ruiz', null],
      ['accept', null, 0.75],
    ]);
    const report = await call('annotator.stats', { projectId: 'p' });
    expect(report.breakSeconds).toBe(600);
    expect(report.annotators.map((a) => [a.annotator, a.decisions, a.documentsDone, a.acceptedSuggestions])).toEqual([
      ['Ana Ruiz', 1, 1, 0],
      [null, 1, 0, 1],
    ]);
  });

  it('refuses a blank name', async () => {
    const reply = await dispatch(services.handlers, 'annotator.set', { name: '   ' }, http);
    expect(reply.ok).toBe(false);
  });
});

describe('provenance on documents.get', () => {
  /** Imports one document with the given labels from a JSONL file; its id in the project. */
  async function importOne(extId: string, labels: string[]): Promise<number> {
    const file = join(env.dataDir, `${extId}.jsonl`);
    writeFileSync(file, JSON.stringify({ id: extId, text: `text of ${extId}`, labels }));
    const { jobId } = await call('imports.corpus', { projectId: 'p', source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels' } }, cli);
    expect((await services.jobs.wait(jobId)).outcome).toBe('done');
    return services.projects.get('p').documents.idByExtId(extId)!;
  }

  it('an import records the annotator who ran it; one before a name was chosen records nobody', async () => {
    const before = await importOne('old', ['L1']);
    await call('annotator.set', { name: 'Ana' });
    const after = await importOne('new', ['L1']);
    const [old] = (await call('documents.get', { projectId: 'p', docId: before })).labels;
    const [fresh] = (await call('documents.get', { projectId: 'p', docId: after })).labels;
    expect(old?.provenance).toMatchObject({ how: 'imported', who: null, score: null });
    expect(fresh?.provenance).toMatchObject({ how: 'imported', who: 'Ana', score: null });
    expect(Date.parse(fresh!.provenance.at)).not.toBeNaN();
  });

  it('says who accepted a suggestion with its score, who added or rejected a label, and when', async () => {
    await call('annotator.set', { name: 'Ben' });
    const l2 = Number(services.projects.get('p').db.prepare("INSERT INTO labels (code, title) VALUES ('L2', 'two')").run().lastInsertRowid);
    const l3 = Number(services.projects.get('p').db.prepare("INSERT INTO labels (code, title) VALUES ('L3', 'three')").run().lastInsertRowid);
    await call('annotations.apply', { projectId: 'p', docId: d1, labelId: l1, action: 'accept', score: 0.82 });
    await call('annotations.apply', { projectId: 'p', docId: d1, labelId: l2, action: 'add' });
    const out = await call('annotations.apply', { projectId: 'p', docId: d1, labelId: l3, action: 'reject', score: 0.3 });
    const byCode = Object.fromEntries(out.document!.labels.map((l) => [l.code, l.provenance]));
    expect(byCode).toEqual({
      L1: { how: 'accepted', who: 'Ben', score: 0.82, at: expect.any(String) as string },
      L2: { how: 'added', who: 'Ben', score: null, at: expect.any(String) as string },
      // A rejected suggestion keeps the score it was shown with.
      L3: { how: 'rejected', who: 'Ben', score: 0.3, at: expect.any(String) as string },
    });
    expect((await call('documents.get', { projectId: 'p', docId: d1 })).labels.map((l) => l.provenance)).toEqual(out.document!.labels.map((l) => l.provenance));
  });
});

describe('bulk actions through dispatch', () => {
  it('applyMany then one undo restores both documents', async () => {
    await call('annotator.set', { name: 'Ana' });
    const out = await call('annotations.applyMany', {
      projectId: 'p',
      items: [
        { docId: d1, labelId: l1, action: 'add' },
        { docId: d2, labelId: l1, action: 'add' },
      ],
    });
    expect(out).toMatchObject({ changed: 2, documents: 2, history: { undo: { batchSize: 2, who: 'Ana' } } });
    const undone = await call('annotations.undo', { projectId: 'p' });
    expect(undone.event).toMatchObject({ batchSize: 2, undone: true });
    for (const id of [d1, d2]) expect((await call('documents.get', { projectId: 'p', docId: id })).labels).toEqual([]);
  });

  it('setStatusMany over the queue scope marks every pending pool document, and one undo reopens them', async () => {
    const out = await call('annotations.setStatusMany', { projectId: 'p', status: 'skipped', scope: { split: 'pool', statuses: ['pending'] } });
    expect(out).toMatchObject({ changed: 2, documents: 2 });
    expect(out.statusCounts['pool']).toEqual({ pending: 0, done: 0, skipped: 2, review: 0 });
    const undone = await call('annotations.undo', { projectId: 'p' });
    expect(undone.statusCounts['pool']).toEqual({ pending: 2, done: 0, skipped: 0, review: 0 });
  });
});
