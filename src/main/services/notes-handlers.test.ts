import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, Method, Output } from '../../shared/contract';
import type { WireError } from '../../shared/errors';
import { resourcesDir } from '../app/paths';
import { dispatch } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { createServices, type Services } from '../app/services';

const http: CallContext = { transport: 'http', trusted: false };

let dataDir: string;
let services: Services;
let changes: EventPayload<'projects.changed'>[];
let doc1: number;
let e119: number;

async function call<M extends Method>(method: M, input: unknown): Promise<Output<M>> {
  const reply = await dispatch(services.handlers, method, input, http);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as Output<M>;
}

async function refusal(method: Method, input: unknown): Promise<WireError> {
  const reply = await dispatch(services.handlers, method, input, http);
  if (reply.ok) throw new Error(`${method} was accepted`);
  return reply.error;
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planter-notes-'));
  changes = [];
  services = createServices({ dataDir, resourcesDir: resourcesDir(), version: 'test' });
  services.events.on((event, payload) => {
    if (event === 'projects.changed') changes.push(payload as EventPayload<'projects.changed'>);
  });
  await call('projects.create', { id: 'p', name: 'P' });
  const db = services.projects.get('p').db;
  doc1 = Number(db.prepare("INSERT INTO documents (ext_id, text, split) VALUES ('d1', 'text', 'pool')").run().lastInsertRowid);
  e119 = Number(db.prepare("INSERT INTO labels (code, title) VALUES ('E11.9', 'Diabetes')").run().lastInsertRowid);
  changes = [];
});

afterEach(async () => {
  await services.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('notes through dispatch', () => {
  it('set, get, search and delete a document note and a label note', async () => {
    const saved = await call('notes.set', { projectId: 'p', docId: doc1, text: 'biopsy pending' });
    expect(saved).toMatchObject({ docId: doc1, labelId: null, note: { labelId: null, code: null, text: 'biopsy pending', author: null } });
    await call('notes.set', { projectId: 'p', docId: doc1, labelId: e119, text: 'from the discharge summary' });
    const got = await call('notes.get', { projectId: 'p', docId: doc1 });
    expect(got.notes.map((n) => [n.code, n.text])).toEqual([
      [null, 'biopsy pending'],
      ['E11.9', 'from the discharge summary'],
    ]);
    const found = await call('notes.search', { projectId: 'p', query: 'discharge' });
    expect(found).toEqual({ total: 1, items: [expect.objectContaining({ docId: doc1, extId: 'd1', labelId: e119, code: 'E11.9' })] });
    expect(await call('notes.set', { projectId: 'p', docId: doc1, text: '' })).toEqual({ docId: doc1, labelId: null, note: null });
    expect((await call('notes.get', { projectId: 'p', docId: doc1 })).notes.map((n) => n.code)).toEqual(['E11.9']);
  });

  it('a note is not an annotation: no history entry, nothing to undo, no change event', async () => {
    await call('notes.set', { projectId: 'p', docId: doc1, text: 'a note' });
    await call('guidelines.set', { projectId: 'p', text: '# Rules' });
    const { events, history } = await call('annotations.history', { projectId: 'p' });
    expect(events).toEqual([]);
    expect(history.undo).toBeNull();
    expect(changes).toEqual([]);
  });

  it('refuses unknown documents and labels with not-found, naming the field', async () => {
    expect(await refusal('notes.set', { projectId: 'p', docId: 999, text: 'x' })).toMatchObject({ code: 'not-found', details: { field: 'docId' } });
    expect(await refusal('notes.set', { projectId: 'p', docId: doc1, labelId: 999, text: 'x' })).toMatchObject({ code: 'not-found', details: { field: 'labelId' } });
    expect(await refusal('notes.get', { projectId: 'p', docId: 999 })).toMatchObject({ code: 'not-found' });
    expect(await refusal('notes.get', { projectId: 'nope', docId: doc1 })).toMatchObject({ code: 'not-found' });
  });

  it('refuses a cut emoji and over-long text before anything is stored', async () => {
    const cut = await refusal('notes.set', { projectId: 'p', docId: doc1, text: 'cut \ud83d emoji' });
    expect(cut.code).toBe('invalid-input');
    expect(cut.details?.path).toEqual(['text']);
    expect(await refusal('notes.set', { projectId: 'p', docId: doc1, text: 'x'.repeat(10_001) })).toMatchObject({ code: 'invalid-input', details: { path: ['text'] } });
    expect(await refusal('guidelines.set', { projectId: 'p', text: 'x'.repeat(200_001) })).toMatchObject({ code: 'invalid-input', details: { path: ['text'] } });
    expect((await call('notes.get', { projectId: 'p', docId: doc1 })).notes).toEqual([]);
  });
});

describe('guidelines through dispatch', () => {
  it('reads empty before anyone wrote them, then what was saved, also after a restart', async () => {
    expect(await call('guidelines.get', { projectId: 'p' })).toEqual({ text: '', updatedAt: null, author: null });
    const saved = await call('guidelines.set', { projectId: 'p', text: '# Rules\n\nCode *confirmed* diagnoses only.' });
    await services.dispose();
    services = createServices({ dataDir, resourcesDir: resourcesDir(), version: 'test' });
    expect(await call('guidelines.get', { projectId: 'p' })).toEqual(saved);
  });
});
