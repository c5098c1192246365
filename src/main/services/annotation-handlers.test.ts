import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationResult, EventPayload, Method, Output } from '../../shared/contract';
import { resourcesDir } from '../app/paths';
import { dispatch } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { createServices, type Services } from '../app/services';

const http: CallContext = { transport: 'http', trusted: false };

let dataDir: string;
let services: Services;
let changes: EventPayload<'projects.changed'>[];
let doc1: number;
let doc2: number;
let devDoc: number;
let e119: number;
let i10: number;
let r52: number;

function open(): Services {
  const s = createServices({ dataDir, resourcesDir: resourcesDir(), version: 'test' });
  s.events.on((event, payload) => {
    if (event === 'projects.changed') changes.push(payload as EventPayload<'projects.changed'>);
  });
  return s;
}

async function call<M extends Method>(method: M, input: unknown): Promise<Output<M>> {
  const reply = await dispatch(services.handlers, method, input, http);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as Output<M>;
}

const labels = (r: AnnotationResult): string[] => r.document!.labels.map((l) => `${l.code}:${l.present ? '+' : '-'}:${l.source}`);

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planter-annot-'));
  changes = [];
  services = open();
  await call('projects.create', { id: 'p', name: 'P' });
  const db = services.projects.get('p').db;
  const doc = (ext: string, split: string): number => Number(db.prepare("INSERT INTO documents (ext_id, text, split) VALUES (?, 'text', ?)").run(ext, split).lastInsertRowid);
  const label = (code: string): number => Number(db.prepare('INSERT INTO labels (code, title) VALUES (?, ?)').run(code, `title ${code}`).lastInsertRowid);
  doc1 = doc('d1', 'pool');
  doc2 = doc('d2', 'pool');
  devDoc = doc('dv', 'dev');
  e119 = label('E11.9');
  i10 = label('I10');
  r52 = label('R52');
  db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, 1, 'imported', 'then')").run(doc1, r52);
});

afterEach(async () => {
  await services.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('annotations through dispatch', () => {
  it('accept, add, reject and remove write the agreed assignment states, each with one event', async () => {
    expect(labels(await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: e119, action: 'accept' }))).toEqual(['E11.9:+:suggestion', 'R52:+:imported']);
    expect(labels(await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: i10, action: 'add' }))).toEqual(['E11.9:+:suggestion', 'I10:+:annotator', 'R52:+:imported']);
    const rejected = await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: r52, action: 'reject' });
    expect(labels(rejected)).toEqual(['E11.9:+:suggestion', 'I10:+:annotator', 'R52:-:annotator']);
    expect(rejected.event).toMatchObject({ docId: doc1, extId: 'd1', labelId: r52, code: 'R52', action: 'reject', undone: false });
    expect(labels(await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: i10, action: 'remove' }))).toEqual(['E11.9:+:suggestion', 'R52:-:annotator']);
    const { events } = await call('annotations.history', { projectId: 'p' });
    expect(events.map((e) => `${e.action} ${e.code}`)).toEqual(['remove I10', 'reject R52', 'add I10', 'accept E11.9']);
    const rows = services.projects.get('p').db.prepare('SELECT before_state, after_state FROM annotation_events ORDER BY id').all() as { before_state: string | null; after_state: string | null }[];
    const log = rows.map((r) => ({ before: r.before_state === null ? null : (JSON.parse(r.before_state) as unknown), after: r.after_state === null ? null : (JSON.parse(r.after_state) as unknown) }));
    // Each state carries its provenance (migration 0006); no annotator name is set in this test. A
    // before-state also keeps the assignment's time, which undo gives back.
    const state = (present: number, source: string, how: string, at?: unknown) => ({ present, source, how, who: null, score: null, ...(at === undefined ? {} : { at }) });
    expect(log).toEqual([
      { before: null, after: state(1, 'suggestion', 'accepted') },
      { before: null, after: state(1, 'annotator', 'added') },
      { before: state(1, 'imported', 'imported', 'then'), after: state(0, 'annotator', 'rejected') },
      { before: state(1, 'annotator', 'added', expect.stringMatching(/^\d{4}-\d\d-\d\dT/)), after: null },
    ]);
    expect(changes).toEqual(Array(4).fill({ projectId: 'p', what: 'annotations' }));
  });

  it('a no-op writes no event and emits nothing', async () => {
    await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: e119, action: 'accept' });
    const again = await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: e119, action: 'accept' });
    expect(again.event).toBeNull();
    expect(labels(again)).toEqual(['E11.9:+:suggestion', 'R52:+:imported']);
    expect(changes).toHaveLength(1);
    expect((await call('annotations.setStatus', { projectId: 'p', docId: doc1, status: 'pending' })).event).toBeNull();
  });

  it('undo and redo walk the project-wide log, across documents, and a new action drops the redo branch', async () => {
    await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: e119, action: 'accept' });
    await call('annotations.setStatus', { projectId: 'p', docId: doc1, status: 'done' });
    await call('annotations.apply', { projectId: 'p', docId: doc2, labelId: i10, action: 'add' });

    const u1 = await call('annotations.undo', { projectId: 'p' });
    expect(u1.event).toMatchObject({ action: 'add', docId: doc2, undone: true });
    expect(u1.document).toEqual({ docId: doc2, status: 'pending', labels: [] });
    const u2 = await call('annotations.undo', { projectId: 'p' });
    expect(u2.event).toMatchObject({ action: 'status', docId: doc1, statusBefore: 'pending', statusAfter: 'done' });
    expect(u2.document?.status).toBe('pending');
    expect(u2.history.redo).toMatchObject({ action: 'status' });
    expect(u2.history.undo).toMatchObject({ action: 'accept', code: 'E11.9' });

    const r1 = await call('annotations.redo', { projectId: 'p' });
    expect(r1.event).toMatchObject({ action: 'status', undone: false });
    expect(r1.document?.status).toBe('done');
    expect(r1.history.redo).toMatchObject({ action: 'add', docId: doc2 });

    // A new action after an undo: the undone "add I10 on d2" can no longer be redone.
    await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: r52, action: 'reject' });
    const h = await call('annotations.history', { projectId: 'p' });
    expect(h.history.redo).toBeNull();
    expect((await call('annotations.redo', { projectId: 'p' })).event).toBeNull();
    // Undo the reject, then redo it: the superseded event is skipped.
    await call('annotations.undo', { projectId: 'p' });
    expect((await call('annotations.redo', { projectId: 'p' })).event).toMatchObject({ action: 'reject' });
    expect((await call('annotations.history', { projectId: 'p', docId: doc2 })).events.map((e) => [e.action, e.undone])).toEqual([['add', true]]);
  });

  it('undo restores an imported label exactly (present and source)', async () => {
    await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: r52, action: 'remove' });
    const undone = await call('annotations.undo', { projectId: 'p' });
    expect(labels(undone)).toEqual(['R52:+:imported']);
  });

  it('undo and redo survive a restart (they read the event log)', async () => {
    await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: e119, action: 'accept' });
    await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: i10, action: 'reject' });
    await call('annotations.undo', { projectId: 'p' });
    await services.dispose();
    services = open();
    const h = await call('annotations.history', { projectId: 'p' });
    expect(h.history.undo).toMatchObject({ action: 'accept', code: 'E11.9' });
    expect(h.history.redo).toMatchObject({ action: 'reject', code: 'I10' });
    expect(labels(await call('annotations.redo', { projectId: 'p' }))).toEqual(['E11.9:+:suggestion', 'R52:+:imported', 'I10:-:annotator']);
    expect(labels(await call('annotations.undo', { projectId: 'p' }))).toEqual(['E11.9:+:suggestion', 'R52:+:imported']);
    expect(labels(await call('annotations.undo', { projectId: 'p' }))).toEqual(['R52:+:imported']);
    expect((await call('annotations.undo', { projectId: 'p' })).event).toBeNull();
  });

  it('a done pool document becomes training data; a done dev document never does', async () => {
    await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: e119, action: 'accept' });
    await call('annotations.apply', { projectId: 'p', docId: devDoc, labelId: e119, action: 'add' });
    const count = async (): Promise<number> => (await call('projects.stats', { projectId: 'p' })).topLabels.find((l) => l.code === 'E11.9')?.trainCount ?? 0;
    expect(await count()).toBe(0);
    await call('annotations.setStatus', { projectId: 'p', docId: doc1, status: 'done' });
    await call('annotations.setStatus', { projectId: 'p', docId: devDoc, status: 'done' });
    expect(await count()).toBe(1);
  });

  it('unknown documents and labels are not-found; bad actions are invalid-input', async () => {
    const missingDoc = await dispatch(services.handlers, 'annotations.apply', { projectId: 'p', docId: 999, labelId: e119, action: 'add' }, http);
    expect(missingDoc).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const missingLabel = await dispatch(services.handlers, 'annotations.apply', { projectId: 'p', docId: doc1, labelId: 999, action: 'add' }, http);
    expect(missingLabel).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const bad = await dispatch(services.handlers, 'annotations.apply', { projectId: 'p', docId: doc1, labelId: e119, action: 'maybe' }, http);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const badStatus = await dispatch(services.handlers, 'annotations.setStatus', { projectId: 'p', docId: doc1, status: 'finished' }, http);
    expect(badStatus).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(services.projects.get('p').db.prepare('SELECT COUNT(*) FROM annotation_events').pluck().get()).toBe(0);
  });

  it('recent labels: accepted or added, newest first, once each, undone ones left out', async () => {
    const repo = (await import('./annotation-handlers')).annotationsOf(services.projects.get('p'));
    await call('annotations.apply', { projectId: 'p', docId: doc1, labelId: e119, action: 'accept' });
    await call('annotations.apply', { projectId: 'p', docId: doc2, labelId: i10, action: 'add' });
    await call('annotations.apply', { projectId: 'p', docId: doc2, labelId: e119, action: 'add' });
    await call('annotations.apply', { projectId: 'p', docId: doc2, labelId: r52, action: 'reject' });
    expect(repo.recentLabelIds(10)).toEqual([e119, i10]);
    await call('annotations.undo', { projectId: 'p' });
    await call('annotations.undo', { projectId: 'p' });
    expect(repo.recentLabelIds(10)).toEqual([i10, e119]);
  });
});
