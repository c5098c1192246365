import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Method, Output } from '../../shared/contract';
import { dispatch } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { Rng } from '../engine/rng';
import { tempServices } from '../testing/temp-services';

const http: CallContext = { transport: 'http', trusted: false };

let env: ReturnType<typeof tempServices>;
const ids: Record<string, number> = {};

async function call<M extends Method>(method: M, input: unknown): Promise<Output<M>> {
  const reply = await dispatch(env.services.handlers, method, input, http);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as Output<M>;
}

const TOPICS: Record<string, { title: string; words: string[] }> = {
  I10: { title: 'Essential (primary) hypertension', words: ['hypertension', 'blood', 'pressure', 'amlodipine', 'systolic', 'diastolic', 'enalapril'] },
  'K35.80': { title: 'Unspecified acute appendicitis', words: ['appendicitis', 'mcburney', 'rebound', 'appendectomy', 'periumbilical', 'leukocytosis', 'fecalith'] },
  'A23.9': { title: 'Brucellosis, unspecified', words: ['brucellosis', 'brucella', 'serology', 'undulant', 'cattle', 'doxycycline', 'sacroiliitis'] },
  'S72.90': { title: 'Unspecified fracture of unspecified femur', words: ['fracture', 'femur', 'osteosynthesis', 'radiograph', 'fall', 'cast', 'displaced'] },
};
const FILLER = ['patient', 'admitted', 'hospital', 'history', 'treatment', 'presented', 'days', 'year', 'old', 'review'];

beforeEach(async () => {
  env = tempServices();
  await call('projects.create', { id: 'le', name: 'Label errors' });
  const db = env.services.projects.get('le').db;
  const rng = new Rng(3);
  for (const [code, t] of Object.entries(TOPICS)) ids[code] = Number(db.prepare('INSERT INTO labels (code, title) VALUES (?, ?)').run(code, t.title).lastInsertRowid);
  const codes = Object.keys(TOPICS);
  // 40 training notes, 10 per topic, each labelled with its topic, except t5 (a hypertension note) labelled appendicitis.
  for (let i = 0; i < 40; i++) {
    const code = codes[i % 4]!;
    const words = [...Array.from({ length: 6 }, () => TOPICS[code]!.words[rng.int(7)]!), ...Array.from({ length: 6 }, () => FILLER[rng.int(FILLER.length)]!)];
    ids[`t${i}`] = Number(db.prepare("INSERT INTO documents (ext_id, text, split, status) VALUES (?, ?, 'train', 'pending')").run(`t${i}`, words.join(' ')).lastInsertRowid);
    const gold = i === 4 ? 'K35.80' : code;
    db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, 1, 'imported', 'now')").run(ids[`t${i}`], ids[gold]);
  }
  db.prepare("INSERT INTO documents (ext_id, text, split, status) VALUES ('p1', 'hypertension blood pressure in the pool', 'pool', 'pending')").run();
});

afterEach(async () => env.cleanup());

async function audited(input: Record<string, unknown> = {}): Promise<Output<'queue.next'>> {
  const q = { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending', 'done', 'skipped', 'review'], ...input };
  const first = await call('queue.next', q);
  if (!first.auditing) return first;
  const finished = await env.services.jobs.wait(first.auditing.jobId);
  expect(finished.outcome).toBe('done');
  return call('queue.next', q);
}

describe('queue.next label-errors', () => {
  it('runs the out-of-fold audit as a job, then ranks training documents with the planted mislabel first, with its reason', async () => {
    const first = await call('queue.next', { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending'] });
    expect(first.items).toEqual([]);
    expect(first.auditing).not.toBeNull();
    const job = env.services.jobs.get(first.auditing!.jobId);
    expect(job.kind).toBe('label-errors');
    const finished = await env.services.jobs.wait(first.auditing!.jobId);
    expect(finished.outcome).toBe('done');
    expect(finished.result).toMatchObject({ documents: 40 });

    const r = await call('queue.next', { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending'] });
    expect(r.auditing).toBeNull();
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.items.every((i) => i.split === 'train')).toBe(true); // the pool document is never in it
    expect(r.items[0]!.extId).toBe('t4');
    expect(r.items[0]!.reason).toMatch(/K35\.80 Unspecified acute appendicitis: gold but scored 0\.\d\d vs threshold 0\.\d\d, below \d+ of the document's \d+ other labels; its title shares none of its 2 words with the text/);
    expect(r.items[0]!.reason).toMatch(/I10 Essential \(primary\) hypertension: predicted 0\.\d\d, not in gold/);
    expect(r.note).toMatch(/out-of-fold/);
  });

  it('is cached until the training labels change; a document fixed since leaves the order while a new pass runs', async () => {
    const r = await audited();
    expect(r.items[0]!.extId).toBe('t4');
    const again = await call('queue.next', { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending', 'done', 'skipped', 'review'] });
    expect(again.auditing).toBeNull(); // nothing changed: no new pass
    expect(again.items.map((i) => i.docId)).toEqual(r.items.map((i) => i.docId));

    await call('annotations.apply', { projectId: 'le', docId: ids.t4, labelId: ids['K35.80'], action: 'remove' });
    await call('annotations.apply', { projectId: 'le', docId: ids.t4, labelId: ids.I10, action: 'add' });
    const during = await call('queue.next', { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending', 'done', 'skipped', 'review'] });
    expect(during.auditing).not.toBeNull();
    expect(during.items.map((i) => i.extId)).not.toContain('t4');
    expect(during.note).toMatch(/new pass is running/);
    await env.services.jobs.wait(during.auditing!.jobId);
    const after = await call('queue.next', { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending', 'done', 'skipped', 'review'] });
    expect(after.auditing).toBeNull();
    expect(after.items[0]?.extId).not.toBe('t4');
  });

  it('cancelling the audit job is an outcome; the next request starts a new pass', async () => {
    const q = { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending'] };
    const first = await call('queue.next', q);
    await call('jobs.cancel', { jobId: first.auditing!.jobId });
    expect((await env.services.jobs.wait(first.auditing!.jobId)).outcome).toBe('cancelled');
    const next = await call('queue.next', q);
    expect(next.auditing?.jobId).toBeDefined();
    expect(next.auditing!.jobId).not.toBe(first.auditing!.jobId);
    expect((await env.services.jobs.wait(next.auditing!.jobId)).outcome).toBe('done');
  });

  it('a running audit does not block deleting the project: it is cancelled', async () => {
    const first = await call('queue.next', { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending'] });
    await call('projects.delete', { projectId: 'le', confirm: 'le' });
    expect((await env.services.jobs.wait(first.auditing!.jobId)).outcome).toBe('cancelled');
  });

  it('ranks only the training documents of the scope, and says how to widen it', async () => {
    const r = await audited({ split: 'pool', statuses: ['pending'] });
    expect(r.items).toEqual([]);
    expect(r.note).toMatch(/choose split "all"/);
  });

  it('says so when there are too few training documents for 5 folds', async () => {
    const db = env.services.projects.get('le').db;
    db.prepare("UPDATE documents SET split = 'pool' WHERE ext_id NOT IN ('t0', 't1', 't2')").run();
    const r = await call('queue.next', { projectId: 'le', strategy: 'label-errors', split: null, statuses: ['pending'] });
    expect(r.items).toEqual([]);
    expect(r.note).toMatch(/at least 10 training documents/);
  });
});
