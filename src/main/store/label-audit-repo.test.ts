import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabelAuditRepo } from './label-audit-repo';
import { ProjectStore } from './project-store';

describe('LabelAuditRepo', () => {
  let dir: string;
  let store: ProjectStore;
  let repo: LabelAuditRepo;
  const id: Record<string, number> = {};
  const assign = (doc: string, label: string, present = 1): void => {
    store.db.prepare("INSERT OR REPLACE INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, ?, 'imported', 'now')").run(id[doc], id[label], present);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'planter-label-audit-'));
    store = ProjectStore.create(join(dir, 'p'), 'p');
    repo = new LabelAuditRepo(store.db);
    const doc = store.db.prepare('INSERT INTO documents (ext_id, text, split, status) VALUES (?, ?, ?, ?)');
    for (const [ext, split, status] of [['a', 'train', 'pending'], ['b', 'train', 'pending'], ['p', 'pool', 'done'], ['q', 'pool', 'pending'], ['v', 'dev', 'done']] as const) {
      id[ext] = Number(doc.run(ext, `text of ${ext}`, split, status).lastInsertRowid);
    }
    const label = store.db.prepare('INSERT INTO labels (code, title, synonyms) VALUES (?, ?, ?)');
    for (const code of ['X1', 'X2', 'X3']) id[code] = Number(label.run(code, `Title ${code}`, JSON.stringify([`syn ${code}`])).lastInsertRowid);
    assign('a', 'X1');
    assign('b', 'X2');
    assign('p', 'X3');
    assign('q', 'X3');
    assign('v', 'X1');
    assign('a', 'X3', 0); // rejected: not gold
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the training documents (train split and finished non-evaluation ones) with their present labels', () => {
    const set = repo.trainingSet();
    expect(set.docIds).toEqual([id.a, id.b, id.p]);
    expect(set.texts).toEqual(['text of a', 'text of b', 'text of p']);
    expect(set.labels).toEqual([[id.X1], [id.X2], [id.X3]]);
    expect(set.catalogue).toEqual(['X1', 'X2', 'X3'].map((code) => ({ id: id[code], code, title: `Title ${code}`, synonyms: [`syn ${code}`] })));
  });

  it('stamps the training labels: a swap between documents, a removal and a finished document change it; other splits do not', () => {
    const s0 = repo.trainingLabelsStamp();
    expect(repo.trainingLabelsStamp()).toBe(s0);
    assign('q', 'X1'); // pool, pending: not training data
    assign('v', 'X2'); // dev: never training data
    expect(repo.trainingLabelsStamp()).toBe(s0);
    // swap X1 and X2 between a and b: same counts, same id sums
    store.db.prepare('DELETE FROM assignments WHERE doc_id IN (?, ?)').run(id.a, id.b);
    assign('a', 'X2');
    assign('b', 'X1');
    const swapped = repo.trainingLabelsStamp();
    expect(swapped).not.toBe(s0);
    assign('b', 'X1', 0);
    expect(repo.trainingLabelsStamp()).not.toBe(swapped);
    const before = repo.trainingLabelsStamp();
    store.db.prepare("UPDATE documents SET status = 'done' WHERE id = ?").run(id.q);
    expect(repo.trainingLabelsStamp()).not.toBe(before);
  });
});
