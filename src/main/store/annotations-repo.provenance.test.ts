import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { AnnotationsRepo } from './annotations-repo';
import { AnnotatorStatsRepo } from './annotator-stats-repo';

let p: TempProject;
let repo: AnnotationsRepo;
const id = (ext: string): number => p.store.documents.idByExtId(ext)!;
const labelId = (code: string): number => p.store.labels.idsByCode().get(code)!;

interface Row {
  code: string;
  present: number;
  source: string;
  how: string;
  who: string | null;
  score: number | null;
}
/** The document's assignments with their provenance, by code. */
const rows = (ext: string): Row[] =>
  p.db
    .prepare('SELECT l.code, a.present, a.source, a.how, a.who, a.score FROM assignments a JOIN labels l ON l.id = a.label_id WHERE a.doc_id = ? ORDER BY l.code')
    .all(id(ext)) as Row[];
const status = (ext: string): string => p.db.prepare('SELECT status FROM documents WHERE id = ?').pluck().get(id(ext)) as string;

beforeEach(async () => {
  p = tempProject();
  const docs = [
    { id: 'a', text: 'alpha', labels: ['L1'] },
    { id: 'b', text: 'beta', labels: [] },
    { id: 'c', text: 'gamma', labels: ['L3'] },
  ];
  await p.corpus('jsonl', p.file('docs.jsonl', docs.map((d) => JSON.stringify(d)).join('\n')), { idField: 'id', labelsField: 'labels' });
  p.db.prepare("INSERT INTO labels (code, title) VALUES ('L2', 'two')").run();
  repo = new AnnotationsRepo(p.db);
});
afterEach(() => p.close());

describe('provenance of assignments', () => {
  it('imports are how = imported with nobody named', () => {
    expect(rows('a')).toEqual([{ code: 'L1', present: 1, source: 'imported', how: 'imported', who: null, score: null }]);
  });

  it('an import run by a named annotator records them on every assignment it writes', async () => {
    const file = p.file('more.jsonl', [JSON.stringify({ id: 'd', text: 'delta', labels: ['L1', 'L2'] })].join('\n'));
    await p.corpus('jsonl', file, { idField: 'id', labelsField: 'labels' }, { who: 'Ana' });
    expect(rows('d')).toEqual([
      { code: 'L1', present: 1, source: 'imported', how: 'imported', who: 'Ana', score: null },
      { code: 'L2', present: 1, source: 'imported', how: 'imported', who: 'Ana', score: null },
    ]);
    // The earlier import keeps its unrecorded annotator.
    expect(rows('a')[0]?.who).toBeNull();
  });

  it('records who, how and the accepted suggestion’s score; undo restores the previous provenance', () => {
    repo.apply(id('b'), labelId('L2'), 'accept', { who: 'Ana', score: 0.82 });
    repo.apply(id('b'), labelId('L1'), 'add', { who: 'Ana' });
    repo.apply(id('a'), labelId('L1'), 'reject', { who: 'Ben', score: 0.4 });
    expect(rows('b')).toEqual([
      { code: 'L1', present: 1, source: 'annotator', how: 'added', who: 'Ana', score: null },
      { code: 'L2', present: 1, source: 'suggestion', how: 'accepted', who: 'Ana', score: 0.82 },
    ]);
    // A rejected suggestion keeps the score it was shown with, so an audit can find confident misses.
    expect(rows('a')).toEqual([{ code: 'L1', present: 0, source: 'annotator', how: 'rejected', who: 'Ben', score: 0.4 }]);
    const log = repo.events({ limit: 10 });
    expect(log.map((e) => [e.action, e.who, e.score, e.batchId, e.batchSize])).toEqual([
      ['reject', 'Ben', 0.4, null, 1],
      ['add', 'Ana', null, null, 1],
      ['accept', 'Ana', 0.82, null, 1],
    ]);
    repo.undo();
    expect(rows('a')).toEqual([{ code: 'L1', present: 1, source: 'imported', how: 'imported', who: null, score: null }]);
    repo.redo();
    expect(rows('a')[0]?.who).toBe('Ben');
  });

  it('undo gives a restored assignment back its own time (its provenance says when it was set, not when undone)', () => {
    repo.apply(id('b'), labelId('L2'), 'accept', { who: 'Ana', score: 0.7 });
    const at = (ext: string, code: string): string =>
      p.db.prepare('SELECT updated_at FROM assignments WHERE doc_id = ? AND label_id = ?').pluck().get(id(ext), labelId(code)) as string;
    // As if the accept happened yesterday.
    p.db.prepare('UPDATE assignments SET updated_at = ? WHERE doc_id = ? AND label_id = ?').run('2026-03-01T10:15:00.000Z', id('b'), labelId('L2'));
    repo.apply(id('b'), labelId('L2'), 'reject', { who: 'Ben' });
    expect(at('b', 'L2')).not.toBe('2026-03-01T10:15:00.000Z');
    repo.undo();
    expect(repo.labelsOf(id('b'))).toEqual([
      expect.objectContaining({ code: 'L2', present: true, provenance: { how: 'accepted', who: 'Ana', score: 0.7, at: '2026-03-01T10:15:00.000Z' } }),
    ]);
    // Redo decides it again: the rejection is stamped with the time of the redo.
    repo.redo();
    expect(repo.labelsOf(id('b'))[0]?.provenance).toMatchObject({ how: 'rejected', who: 'Ben' });
    expect(at('b', 'L2')).not.toBe('2026-03-01T10:15:00.000Z');
  });

  it('undo of an event logged before migration 0006 derives `how` from the stored source', () => {
    // An old log entry holds only present and source.
    p.db
      .prepare(
        `INSERT INTO annotation_events (doc_id, label_id, action, before_state, after_state, created_at)
         VALUES (?, ?, 'reject', '{"present":1,"source":"suggestion"}', '{"present":0,"source":"annotator"}', '2026-01-01T00:00:00.000Z')`,
      )
      .run(id('c'), labelId('L3'));
    repo.undo();
    expect(rows('c')).toEqual([{ code: 'L3', present: 1, source: 'suggestion', how: 'accepted', who: null, score: null }]);
  });
});

describe('bulk actions are one undo step', () => {
  it('applyMany: one batch; undo restores every document, redo re-applies it', () => {
    repo.apply(id('c'), labelId('L1'), 'add', { who: 'Ana' }); // before the batch: must survive its undo
    const before = ['a', 'b', 'c'].map(rows);
    const out = repo.applyMany(
      [
        { docId: id('a'), labelId: labelId('L2'), action: 'accept', score: 0.9 },
        { docId: id('b'), labelId: labelId('L2'), action: 'add' },
        { docId: id('c'), labelId: labelId('L2'), action: 'add' },
        { docId: id('a'), labelId: labelId('L1'), action: 'add' }, // imported already present: source changes, so it counts
        { docId: id('c'), labelId: labelId('L1'), action: 'add' }, // no change: left out
      ],
      'Ana',
    );
    expect(out).toEqual({ batchId: 1, changed: 4, documents: 3 });
    expect(repo.history().undo).toMatchObject({ batchId: 1, batchSize: 4 });
    const after = ['a', 'b', 'c'].map(rows);

    const undone = repo.undo();
    expect(undone).toMatchObject({ batchId: 1, batchSize: 4, undone: true });
    expect(['a', 'b', 'c'].map(rows)).toEqual(before);
    expect(repo.history().undo).toMatchObject({ action: 'add', docId: id('c'), labelId: labelId('L1'), batchId: null, batchSize: 1 });
    expect(repo.history().redo).toMatchObject({ batchId: 1, batchSize: 4 });

    repo.redo();
    expect(['a', 'b', 'c'].map(rows)).toEqual(after.map((doc) => doc.map((r) => expect.objectContaining(r) as Row)));
    expect(repo.history().redo).toBeNull();
  });

  it('applyMany with nothing to change records no batch', () => {
    expect(repo.applyMany([{ docId: id('a'), labelId: labelId('L1'), action: 'remove' }], 'Ana')).toMatchObject({ changed: 1 });
    expect(repo.applyMany([{ docId: id('a'), labelId: labelId('L1'), action: 'remove' }], 'Ana')).toEqual({ batchId: null, changed: 0, documents: 0 });
  });

  it('setStatusMany over a scope: one step; documents already in the status are left out', () => {
    repo.setStatus(id('b'), 'skipped', { who: 'Ana' });
    const scope = repo.scopeDocIds(null, ['pending', 'skipped'], 'done');
    expect(scope).toEqual([id('a'), id('b'), id('c')]);
    expect(repo.scopeDocIds(null, ['skipped'], 'skipped')).toEqual([]);
    const out = repo.setStatusMany(scope, 'done', 'Ben');
    expect(out).toEqual({ batchId: 1, changed: 3, documents: 3 });
    expect(['a', 'b', 'c'].map(status)).toEqual(['done', 'done', 'done']);
    expect(repo.statusCounts()['train']?.done).toBe(3);
    repo.undo();
    expect(['a', 'b', 'c'].map(status)).toEqual(['pending', 'skipped', 'pending']);
    expect(repo.statusCounts()['train']).toEqual({ pending: 2, done: 0, skipped: 1, review: 0 });
    // The single action before the batch is the next undo step.
    expect(repo.undo()).toMatchObject({ action: 'status', statusAfter: 'skipped', batchSize: 1 });
    expect(status('b')).toBe('pending');
  });

  it('a new action after undoing a batch supersedes the whole batch', () => {
    repo.setStatusMany([id('a'), id('b')], 'skipped', 'Ana');
    repo.undo();
    repo.apply(id('c'), labelId('L2'), 'add', { who: 'Ana' });
    expect(repo.history().redo).toBeNull();
    expect(repo.redo()).toBeNull();
    expect(status('a')).toBe('pending');
  });
});

describe('AnnotatorStatsRepo.doneByAnnotator', () => {
  it('credits a done document to whoever marked it done last; undone marks and reopened documents do not count', () => {
    repo.setStatus(id('a'), 'done', { who: 'Ana' });
    repo.setStatus(id('b'), 'done', { who: 'Ana' });
    repo.setStatus(id('b'), 'pending', { who: 'Ben' });
    repo.setStatus(id('b'), 'done', { who: 'Ben' });
    repo.setStatus(id('c'), 'done', { who: 'Ben' });
    repo.undo(); // c back to pending
    const stats = new AnnotatorStatsRepo(p.db);
    expect([...stats.doneByAnnotator()].sort()).toEqual([
      ['Ana', 1],
      ['Ben', 1],
    ]);
    expect([...stats.decisions()].map((d) => [d.who, d.action])).toEqual([
      ['Ana', 'status'],
      ['Ana', 'status'],
      ['Ben', 'status'],
      ['Ben', 'status'],
    ]);
  });
});
