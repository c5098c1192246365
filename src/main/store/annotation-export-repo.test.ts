import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { AnnotationExportRepo } from './annotation-export-repo';
import { AnnotationsRepo } from './annotations-repo';

let p: TempProject;
let repo: AnnotationExportRepo;
const id = (ext: string): number => p.store.documents.idByExtId(ext)!;

beforeAll(async () => {
  p = tempProject();
  const docs = [
    { id: 'a', text: 'alpha', split: 'train', labels: ['X2', 'X1'] },
    { id: 'b', text: 'beta', split: 'train', labels: [] },
    { id: 'c', text: 'gamma', split: 'dev', labels: ['X1'] },
    { id: 'd', text: 'delta', split: 'dev', labels: [] },
  ];
  await p.corpus('jsonl', p.file('docs.jsonl', docs.map((d) => JSON.stringify(d)).join('\n')), { idField: 'id', splitField: 'split', labelsField: 'labels' });
  const annotations = new AnnotationsRepo(p.db);
  const x3 = Number(p.db.prepare("INSERT INTO labels (code, title) VALUES ('X3', 'Third')").run().lastInsertRowid);
  // b: a coder rejected X3 (annotated, not done); d: marked done without a label; a, c: imported only.
  annotations.apply(id('b'), x3, 'reject');
  annotations.setStatus(id('d'), 'done');
  repo = new AnnotationExportRepo(p.db);
});
afterAll(() => p.close());

const exported = (selection: Parameters<AnnotationExportRepo['documents']>[0]): string[] => [...repo.documents(selection)].map((d) => d.ext_id);

describe('AnnotationExportRepo', () => {
  it('documents streams the selection in id order, with the columns an export writes', () => {
    const iterator = repo.documents({});
    expect(typeof iterator.next).toBe('function');
    expect(iterator.next().value).toEqual({ id: id('a'), ext_id: 'a', text: 'alpha', split: 'train', status: 'pending' });
    iterator.return?.();
    expect(exported({})).toEqual(['a', 'b', 'c', 'd']);
  });

  it('selects by split, by annotation (done, or a label a coder set), and both; countDocuments agrees', () => {
    const cases = [
      [{}, ['a', 'b', 'c', 'd']],
      [{ split: 'dev' }, ['c', 'd']],
      [{ annotatedOnly: true }, ['b', 'd']],
      [{ split: 'train', annotatedOnly: true }, ['b']],
      [{ split: 'test' }, []],
    ] as const;
    for (const [selection, ids] of cases) {
      expect(exported(selection), JSON.stringify(selection)).toEqual(ids);
      expect(repo.countDocuments(selection), JSON.stringify(selection)).toBe(ids.length);
    }
  });

  it('marksOf gives labels and rejections by code, with their provenance', () => {
    const bare = (docId: number) => repo.marksOf(docId).map(({ code, present }) => ({ code, present }));
    expect(bare(id('a'))).toEqual([
      { code: 'X1', present: 1 },
      { code: 'X2', present: 1 },
    ]);
    expect(repo.marksOf(id('a'))[0]).toMatchObject({ how: 'imported', who: null, score: null });
    expect(bare(id('b'))).toEqual([{ code: 'X3', present: 0 }]);
    expect(repo.marksOf(id('d'))).toEqual([]);
  });
});
