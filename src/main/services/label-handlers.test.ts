import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { tempServices } from '../testing/temp-services';

const http: CallContext = { transport: 'http', trusted: false };

describe('labels.terms through dispatch', () => {
  let env: ReturnType<typeof tempServices>;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    env = tempServices();
    await call(env.services.handlers, 'projects.create', { id: 'p', name: 'P' }, http);
    const db = env.services.projects.get('p').db;
    const doc = (ext: string, text: string): number => Number(db.prepare("INSERT INTO documents (ext_id, text, split) VALUES (?, ?, 'train')").run(ext, text).lastInsertRowid);
    const label = (code: string): number => Number(db.prepare('INSERT INTO labels (code, title) VALUES (?, ?)').run(code, `title ${code}`).lastInsertRowid);
    ids.d1 = doc('d1', 'Admitted after a heart attack; troponin high.');
    ids.d2 = doc('d2', 'Second heart attack in a year, troponin rising.');
    ids.d3 = doc('d3', 'Brucellosis after unpasteurised cheese.');
    ids.d4 = doc('d4', 'Knee pain without trauma.');
    ids.i21 = label('I21.9');
    ids.a23 = label('A23.9');
    ids.m25 = label('M25.569');
    const assign = (d: number, l: number): void => void db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, 1, 'imported', 'then')").run(d, l);
    assign(ids.d1!, ids.i21!);
    assign(ids.d2!, ids.i21!);
    assign(ids.d3!, ids.a23!);
  });
  afterEach(async () => env.cleanup());

  it("gives each assigned label the distinctive words of its documents, and refreshes when coders assign more", async () => {
    const h = env.services.handlers;
    const first = await call(h, 'labels.terms', { projectId: 'p' }, http);
    const of = (r: typeof first, id: number): string[] | undefined => r.labels.find((l) => l.labelId === id)?.terms;
    expect(of(first, ids.i21!)).toEqual(['heart attack', 'troponin', 'attack', 'heart']);
    expect(of(first, ids.a23!)).toEqual(expect.arrayContaining(['brucellosis', 'cheese']));
    expect(of(first, ids.m25!)).toBeUndefined(); // not assigned anywhere yet
    // Unchanged project: the same answer (from the cache).
    expect(await call(h, 'labels.terms', { projectId: 'p' }, http)).toEqual(first);
    // A coder assigns M25.569 to the knee document: the terms follow.
    await call(h, 'annotations.apply', { projectId: 'p', docId: ids.d4!, labelId: ids.m25!, action: 'add' }, http);
    const second = await call(h, 'labels.terms', { projectId: 'p' }, http);
    expect(second.version).not.toBe(first.version);
    expect(of(second, ids.m25!)).toEqual(expect.arrayContaining(['knee', 'knee pain', 'trauma']));
    // Undo takes it back.
    await call(h, 'annotations.undo', { projectId: 'p' }, http);
    expect(of(await call(h, 'labels.terms', { projectId: 'p' }, http), ids.m25!)).toBeUndefined();
  });
});
