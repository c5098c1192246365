import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MATCH_END, MATCH_START, type Method, type Output } from '../../shared/contract';
import { dispatch } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { tempServices } from '../testing/temp-services';

const http: CallContext = { transport: 'http', trusted: false };

let env: ReturnType<typeof tempServices>;
const ids: Record<string, number> = {};

async function call<M extends Method>(method: M, input: unknown): Promise<Output<M>> {
  const reply = await dispatch(env.services.handlers, method, input, http);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as Output<M>;
}

beforeEach(async () => {
  env = tempServices();
  await call('projects.create', { id: 'q', name: 'Queue' });
  const db = env.services.projects.get('q').db;
  const doc = (ext: string, split: string, text: string, status = 'pending'): void => {
    ids[ext] = Number(db.prepare('INSERT INTO documents (ext_id, text, split, status) VALUES (?, ?, ?, ?)').run(ext, text, split, status).lastInsertRowid);
  };
  const label = (code: string, title: string, synonyms: string[] = []): void => {
    ids[code] = Number(db.prepare('INSERT INTO labels (code, title, synonyms) VALUES (?, ?, ?)').run(code, title, JSON.stringify(synonyms)).lastInsertRowid);
  };
  const assign = (ext: string, code: string): void => {
    db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, 1, 'imported', 'now')").run(ids[ext], ids[code]);
  };
  label('A23.9', 'Brucellosis, unspecified', ['Brucella infection']);
  label('Q25.0', 'Patent ductus arteriosus');
  label('I10', 'Essential (primary) hypertension');
  label('K35.80', 'Unspecified acute appendicitis');
  // As in ICD-10-CM, "unspecified" and "condition" are in many descriptions: weak evidence.
  for (let i = 0; i < 40; i++) label(`Z${i}`, `Unspecified condition ${i}`);
  db.prepare("INSERT INTO labels (code, title, kind) VALUES ('CH01', 'Certain infectious and parasitic diseases', 'category')").run();
  // I10 is a head label here (7 training docs); K35.80 a few-shot one whose docs say "mcburney".
  for (let i = 0; i < 7; i++) {
    doc(`t${i}`, 'train', `Patient ${i} with essential hypertension, on the treatment number ${i}.`);
    assign(`t${i}`, 'I10');
  }
  for (let i = 0; i < 2; i++) {
    doc(`k${i}`, 'train', `Pain at the mcburney point with rebound tenderness, case ${i}.`);
    assign(`k${i}`, 'K35.80');
  }
  doc('p-bru', 'pool', 'Fever and arthralgia; serology positive for brucella, confirming brucellosis.');
  doc('p-duct', 'pool', 'Newborn with a patent ductus arteriosus closed with ibuprofen.');
  doc('p-htn', 'pool', 'Known essential hypertension, well controlled.');
  doc('p-mcb', 'pool', 'Sudden pain at mcburney point and rebound tenderness in a young man.');
  doc('p-none', 'pool', 'Routine visit without findings.');
  doc('p-done', 'pool', 'Brucellosis again: a brucella infection, already annotated.', 'done');
  doc('d1', 'dev', 'Brucella infection (brucellosis) in the evaluation split.');
});

afterEach(async () => env.cleanup());

const exts = (r: Output<'queue.next'>): string[] => r.items.map((i) => i.extId);

describe('queue.next', () => {
  it('rare-first ranks pending pool documents by keyword evidence for labels with ≤ 5 examples, with a reason', async () => {
    const r = await call('queue.next', { projectId: 'q', strategy: 'rare-first' });
    expect(r.needsModel).toBe(false);
    // Documents with evidence first; the rest follow in import order, so the queue covers the
    // scope and its count agrees with "pending" (issue #14 bug 13).
    expect(new Set(exts(r).slice(0, 3))).toEqual(new Set(['p-bru', 'p-duct', 'p-mcb']));
    expect(exts(r).slice(3)).toEqual(['p-htn', 'p-none']);
    expect(r.total).toBe(5);
    expect(r.scope).toBe(5);
    const byExt = new Map(r.items.map((i) => [i.extId, i]));
    // Codes come with their titles (bug 13).
    expect(byExt.get('p-bru')!.reason).toMatch(/^A23\.9 Brucellosis, unspecified \(0 train docs\): .*brucellosis/);
    expect(byExt.get('p-duct')!.reason).toMatch(/^Q25\.0 Patent ductus arteriosus \(0 train docs\): /);
    // The few-shot label is found through its MIG tokens, which its title does not contain.
    expect(byExt.get('p-mcb')!.reason).toMatch(/^K35\.80 Unspecified acute appendicitis \(2 train docs\): .*mcburney/);
    expect(byExt.get('p-none')).toMatchObject({ score: 0, reason: 'no keyword evidence for a rare label' });
    expect(r.items.every((i, k) => k === 0 || i.score! <= r.items[k - 1]!.score!)).toBe(true);
    expect(r.progress).toEqual({ split: 'pool', total: 6, pending: 5, done: 1, skipped: 0, review: 0 });
    expect(r.note).toMatch(/Keyword evidence/);
  });

  it('respects the split and the statuses asked for', async () => {
    const done = await call('queue.next', { projectId: 'q', strategy: 'sequential', statuses: ['done'] });
    expect(exts(done)).toEqual(['p-done']);
    const all = await call('queue.next', { projectId: 'q', strategy: 'sequential', split: null, statuses: ['pending', 'done'], limit: 100 });
    expect(all.total).toBe(16);
    expect(all.progress.total).toBe(16);
    const dev = await call('queue.next', { projectId: 'q', strategy: 'rare-first', split: 'dev' });
    expect(exts(dev)).toEqual(['d1']);
  });

  it('by-label finds more examples of one label and needs a label id', async () => {
    const r = await call('queue.next', { projectId: 'q', strategy: 'by-label', labelId: ids['K35.80'] });
    expect(exts(r)[0]).toBe('p-mcb');
    expect(r.note).toMatch(/mcburney/);
    const missing = await dispatch(env.services.handlers, 'queue.next', { projectId: 'q', strategy: 'by-label' }, http);
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const unknown = await dispatch(env.services.handlers, 'queue.next', { projectId: 'q', strategy: 'by-label', labelId: 9999 }, http);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('search ranks full-text matches and shows the matched words', async () => {
    const r = await call('queue.next', { projectId: 'q', strategy: 'search', query: 'ductus' });
    expect(exts(r)).toEqual(['p-duct']);
    expect(r.items[0]!.reason).toContain(`${MATCH_START}ductus${MATCH_END}`);
    const empty = await dispatch(env.services.handlers, 'queue.next', { projectId: 'q', strategy: 'search', query: '  ' }, http);
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('random is a seeded permutation: the same seed, the same order', async () => {
    const a = await call('queue.next', { projectId: 'q', strategy: 'random', seed: 7 });
    const b = await call('queue.next', { projectId: 'q', strategy: 'random', seed: 7 });
    const seq = await call('queue.next', { projectId: 'q', strategy: 'sequential' });
    expect(exts(a)).toEqual(exts(b));
    expect([...exts(a)].sort()).toEqual([...exts(seq)].sort());
    const orders = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) orders.add(exts(await call('queue.next', { projectId: 'q', strategy: 'random', seed })).join());
    expect(orders.size).toBeGreaterThan(1);
  });

  it('similar ranks documents that share distinctive words; pages with offset and limit', async () => {
    const r = await call('queue.next', { projectId: 'q', strategy: 'similar', docId: ids['k0'], split: null });
    expect(exts(r).slice(0, 2).sort()).toEqual(['k1', 'p-mcb']);
    expect(r.items[0]!.reason).toMatch(/shared words: .*mcburney|shared words: .*rebound/);
    const page = await call('queue.next', { projectId: 'q', strategy: 'similar', docId: ids['k0'], split: null, offset: 1, limit: 1 });
    expect(exts(page)).toEqual([exts(r)[1]]);
    expect(page.total).toBe(r.total);
  });

  it('uncertainty says it needs a model instead of failing', async () => {
    const r = await call('queue.next', { projectId: 'q', strategy: 'uncertainty' });
    expect(r).toMatchObject({ needsModel: true, items: [], total: 0 });
    expect(r.note).toMatch(/Train a model first/);
  });

  it('sees a new training example on the next request (the few-shot count moves)', async () => {
    await call('annotations.apply', { projectId: 'q', docId: ids['p-bru'], labelId: ids['A23.9'], action: 'add' });
    await call('annotations.setStatus', { projectId: 'q', docId: ids['p-bru'], status: 'done' });
    const r = await call('queue.next', { projectId: 'q', strategy: 'rare-first', statuses: ['pending', 'done'] });
    expect(r.items.find((i) => i.extId === 'p-done')!.reason).toMatch(/^A23\.9 Brucellosis, unspecified \(1 train doc\)/);
  });
});

describe('labels.catalogue, labels.counts, labels.recent', () => {
  it('sends the catalogue as tab-separated rows, categories marked, and keeps the version until labels change', async () => {
    const c = await call('labels.catalogue', { projectId: 'q' });
    expect(c.count).toBe(45);
    const rows = c.rows.split('\n').map((l) => l.split('\t'));
    expect(rows[0]).toEqual([String(ids['A23.9']), 'A23.9', '', 'c', '', 'Brucellosis, unspecified', 'Brucella infection']);
    expect(rows[44]!.slice(1, 4)).toEqual(['CH01', '', 'g']);
    expect((await call('labels.catalogue', { projectId: 'q' })).version).toBe(c.version);
    env.services.projects.get('q').db.prepare("INSERT INTO labels (code, title, parent_code) VALUES ('A23.0', 'Brucellosis\tdue to B. melitensis', 'A23')").run();
    const next = await call('labels.catalogue', { projectId: 'q' });
    expect(next.version).not.toBe(c.version);
    expect(next.rows.split('\n')[45]!.split('\t').slice(1)).toEqual(['A23.0', 'A23', 'c', '', 'Brucellosis due to B. melitensis']);
  });

  it('counts training documents per label and lists recently used labels', async () => {
    const { counts } = await call('labels.counts', { projectId: 'q' });
    const map = new Map<number, number>();
    for (let i = 0; i < counts.length; i += 2) map.set(counts[i]!, counts[i + 1]!);
    expect(map.get(ids['I10']!)).toBe(7);
    expect(map.get(ids['K35.80']!)).toBe(2);
    expect(map.has(ids['A23.9']!)).toBe(false);
    await call('annotations.apply', { projectId: 'q', docId: ids['p-bru'], labelId: ids['A23.9'], action: 'accept' });
    await call('annotations.apply', { projectId: 'q', docId: ids['p-duct'], labelId: ids['Q25.0'], action: 'add' });
    const { items } = await call('labels.recent', { projectId: 'q' });
    expect(items.map((l) => l.code)).toEqual(['Q25.0', 'A23.9']);
  });
});
