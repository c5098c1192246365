import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { AnnotationsRepo } from './annotations-repo';

let p: TempProject;
let repo: AnnotationsRepo;
const id = (ext: string): number => p.store.documents.idByExtId(ext)!;
const labelId = (code: string): number => p.store.labels.idsByCode().get(code)!;

beforeAll(async () => {
  p = tempProject();
  const docs = [
    { id: 'a', text: 'alpha', labels: ['L1', 'L2'] },
    { id: 'b', text: 'beta', labels: ['L1'] },
    { id: 'c', text: 'gamma', labels: [] },
  ];
  await p.corpus('jsonl', p.file('docs.jsonl', docs.map((d) => JSON.stringify(d)).join('\n')), { idField: 'id', labelsField: 'labels' });
  repo = new AnnotationsRepo(p.db);
});
afterAll(() => p.close());

describe('AnnotationsRepo.presentAssignmentsByLabel', () => {
  it('groups by label, newest assignment first, then by document; rejections are left out', () => {
    const pairs = (): [number, number][] => repo.presentAssignmentsByLabel().map((r) => [r.labelId, r.docId]);
    expect(pairs()).toEqual([
      [labelId('L1'), id('a')],
      [labelId('L1'), id('b')],
      [labelId('L2'), id('a')],
    ]);
    repo.apply(id('c'), labelId('L1'), 'add'); // newer than the import: first among L1's
    repo.apply(id('a'), labelId('L2'), 'reject');
    expect(pairs()).toEqual([
      [labelId('L1'), id('c')],
      [labelId('L1'), id('a')],
      [labelId('L1'), id('b')],
    ]);
  });
});

describe('AnnotationsRepo.assignmentsVersion', () => {
  it('stays put while nothing changes and moves with every write and undo, status changes too', () => {
    const seen = new Set<string>();
    const fresh = (): void => {
      const v = repo.assignmentsVersion();
      expect(seen.has(v), v).toBe(false);
      seen.add(v);
    };
    fresh();
    expect(seen.has(repo.assignmentsVersion())).toBe(true);
    repo.apply(id('b'), labelId('L2'), 'add');
    fresh();
    repo.setStatus(id('b'), 'done'); // no assignment changes: the event log moves
    fresh();
    const done = repo.assignmentsVersion();
    repo.undo(); // the status again, no new event: `undone` moves
    fresh();
    repo.redo(); // back to the same state, so back to the same version
    expect(repo.assignmentsVersion()).toBe(done);
  });

  it('moves when documents are imported', async () => {
    const before = repo.assignmentsVersion();
    await p.corpus('jsonl', p.file('more.jsonl', JSON.stringify({ id: 'd', text: 'delta', labels: [] })), { idField: 'id', labelsField: 'labels' });
    expect(repo.assignmentsVersion()).not.toBe(before);
  });
});
