import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MATCH_END, MATCH_START } from '../../shared/contract';
import { ProjectStore } from './project-store';
import { QueueRepo } from './queue-repo';

describe('QueueRepo.search excerpts', () => {
  let dir: string;
  let store: ProjectStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'planter-queue-repo-'));
    store = ProjectStore.create(join(dir, 'p'), 'p');
    const add = store.db.prepare("INSERT INTO documents (ext_id, text, split) VALUES (?, ?, 'pool')");
    add.run('d1', 'Biopsy confirmed sarcoidosis of the lung [sic] in 2019.');
    add.run('d2', 'No findings.');
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks the matched words with the contract’s markers, so brackets in the text stay text (issue #14)', () => {
    const hits = new QueueRepo(store.db).search('sarcoidosis', { split: 'pool', statuses: ['pending'] });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.excerpt).toContain(`${MATCH_START}sarcoidosis${MATCH_END}`);
    expect(hits[0]!.excerpt).not.toContain('[sarcoidosis]');
    expect(hits[0]!.excerpt).toContain('[sic]');
  });
});

describe('QueueRepo.idsInSlices', () => {
  let dir: string;
  let store: ProjectStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'planter-queue-ids-'));
    store = ProjectStore.create(join(dir, 'p'), 'p');
    const add = store.db.prepare('INSERT INTO documents (ext_id, text, split, status) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < 23; i++) add.run(`d${i}`, `text ${i}`, i % 3 ? 'pool' : 'train', i % 4 ? 'pending' : 'done');
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the ids ids() reads, in id order, in slices of any size, with turns of the event loop between', async () => {
    const repo = new QueueRepo(store.db);
    const scopes = [
      { split: null, statuses: ['pending', 'done'] },
      { split: 'pool', statuses: ['pending'] },
      { split: 'train', statuses: ['done', 'pending'] },
      { split: 'dev', statuses: ['pending'] },
    ] as const;
    for (const scope of scopes) {
      const s = { split: scope.split, statuses: [...scope.statuses] };
      const whole = repo.ids(s);
      for (const slice of [1, 2, 5, 23, 100]) expect(await repo.idsInSlices(s, slice)).toEqual(whole);
    }
    let turned = false;
    setImmediate(() => (turned = true));
    await repo.idsInSlices({ split: null, statuses: ['pending', 'done'] }, 4);
    expect(turned).toBe(true);
  });

  it('reads a scope once per state of the documents: a status change or an import reads it again', async () => {
    const repo = new QueueRepo(store.db);
    const scope = { split: 'pool', statuses: ['pending' as const] };
    const first = await repo.idsInSlices(scope);
    const reads = vi.spyOn(store.db, 'prepare');
    expect(await repo.idsInSlices(scope)).toEqual(first);
    expect(reads.mock.calls.some(([sql]) => sql.includes('d.id > ?'))).toBe(false);
    store.db.prepare("UPDATE documents SET status = 'done' WHERE id = ?").run(first[0]);
    expect(await repo.idsInSlices(scope)).toEqual(first.slice(1));
    store.db.prepare("INSERT INTO documents (ext_id, text, split, status) VALUES ('new', 'text', 'pool', 'pending')").run();
    expect(await repo.idsInSlices(scope)).toEqual(repo.ids(scope));
    expect((await repo.idsInSlices(scope)).length).toBe(first.length);
    reads.mockRestore();
  });
});
