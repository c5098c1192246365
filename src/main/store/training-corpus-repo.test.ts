import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { AnnotationsRepo } from './annotations-repo';
import { SpansRepo } from './spans-repo';
import { TrainingCorpusRepo } from './training-corpus-repo';

let p: TempProject;
let repo: TrainingCorpusRepo;
const id = (ext: string): number => p.store.documents.idByExtId(ext)!;
const labelId = (code: string): number => p.store.labels.idsByCode().get(code)!;
const extIds = (rows: readonly { ext_id: string }[]): string[] => rows.map((r) => r.ext_id);

beforeAll(async () => {
  p = tempProject();
  await p.catalogue('labels-csv', p.file('labels.csv', 'code,title,parent,synonyms\nA,Chapter A,,\nA1,Alpha one,A,first;uno\nA2,Alpha two,A,\nB1,Beta one,,\nC1,Gamma unused,,\n'));
  // A chapter, not an assignable code, even when a document carries it.
  p.db.prepare("UPDATE labels SET kind = 'category' WHERE code = 'A'").run();
  const docs = [
    { id: 't1', text: 'train one', split: 'train', labels: ['A1', 'A'] },
    { id: 't2', text: 'train two', split: 'train', labels: ['A2'] },
    { id: 't3', text: 'train three, no label', split: 'train', labels: [] },
    { id: 'p1', text: 'pool one', split: 'pool', labels: [] },
    { id: 'p2', text: 'pool two, finished', split: 'pool', labels: ['B1'] },
    { id: 'p3', text: 'pool three', split: 'pool', labels: [] },
    { id: 'd1', text: 'dev one', split: 'dev', labels: ['B1'] },
    { id: 'd2', text: 'dev two', split: 'dev', labels: [] },
    { id: 'x1', text: 'test one, finished', split: 'test', labels: ['A1'] },
  ];
  await p.corpus('jsonl', p.file('docs.jsonl', docs.map((d) => JSON.stringify(d)).join('\n')), { idField: 'id', splitField: 'split', labelsField: 'labels' });
  // A finished pool document is training data; a finished test document never is.
  p.store.documents.setStatus(id('p2'), 'done');
  p.store.documents.setStatus(id('x1'), 'done');
  repo = new TrainingCorpusRepo(p.db);
});
afterAll(() => p.close());

describe('TrainingCorpusRepo', () => {
  it('labelsInUse: assignable codes with a present assignment in any split, by code, with the parent title', () => {
    expect(repo.labelsInUse()).toEqual([
      { id: labelId('A1'), code: 'A1', title: 'Alpha one', synonyms: '["first","uno"]', parent_title: 'Chapter A' },
      { id: labelId('A2'), code: 'A2', title: 'Alpha two', synonyms: '[]', parent_title: 'Chapter A' },
      { id: labelId('B1'), code: 'B1', title: 'Beta one', synonyms: '[]', parent_title: null },
    ]);
  });

  it('labelByCode finds any label, used or not; an unknown code is undefined', () => {
    expect(repo.labelByCode('C1')).toEqual({ id: labelId('C1'), code: 'C1', title: 'Gamma unused', synonyms: '[]', parent_title: null });
    expect(repo.labelByCode('A1')?.parent_title).toBe('Chapter A');
    expect(repo.labelByCode('ZZZ')).toBeUndefined();
  });

  it('presentLabelIds are a document gold labels', () => {
    expect(repo.presentLabelIds(id('t1')).sort((a, b) => a - b)).toEqual([labelId('A'), labelId('A1')].sort((a, b) => a - b));
    expect(repo.presentLabelIds(id('d1'))).toEqual([labelId('B1')]);
    expect(repo.presentLabelIds(id('d2'))).toEqual([]);
  });

  it('training documents: the train split and finished documents outside dev/test, by id', () => {
    expect(extIds(repo.trainingDocuments())).toEqual(['t1', 't2', 't3', 'p2']);
    expect(repo.trainingDocuments()[0]).toEqual({ id: id('t1'), ext_id: 't1', text: 'train one' });
  });

  it('splitDocuments lists one split by id, whatever the status', () => {
    expect(repo.splitDocuments('dev')).toEqual([
      { id: id('d1'), ext_id: 'd1', text: 'dev one' },
      { id: id('d2'), ext_id: 'd2', text: 'dev two' },
    ]);
    expect(extIds(repo.splitDocuments('test'))).toEqual(['x1']);
    expect(repo.splitDocuments('nope')).toEqual([]);
  });

  it('the unlabelled pool: unfinished non-evaluation documents only, capped, the same sample every time', () => {
    expect([...repo.unlabelledPoolTexts(10)].sort()).toEqual(['pool one', 'pool three']);
    const one = repo.unlabelledPoolTexts(1);
    expect(one).toHaveLength(1);
    expect(['pool one', 'pool three']).toContain(one[0]);
    expect(repo.unlabelledPoolTexts(1)).toEqual(one);
  });

  it('counts the sets a step budget depends on, and the labelled training documents', () => {
    expect(repo.counts()).toEqual({ train: 4, unlabelled: 2, dev: 2 });
    expect(repo.labelledTrainingDocumentCount()).toBe(3); // t3 carries no label
  });

  it('annotatedAfter sees a coder change after the time, never an import; a rejection drops a label from use', () => {
    const before = new Date(Date.now() - 60_000).toISOString();
    expect(repo.annotatedAfter(id('t2'), before)).toBe(false); // imported only
    new AnnotationsRepo(p.db).apply(id('t2'), labelId('A2'), 'reject');
    expect(repo.annotatedAfter(id('t2'), before)).toBe(true);
    expect(repo.annotatedAfter(id('t2'), '9999-01-01T00:00:00.000Z')).toBe(false);
    expect(repo.annotatedAfter(id('t1'), before)).toBe(false);
    expect(repo.labelsInUse().map((l) => l.code)).toEqual(['A1', 'B1']);
    expect(repo.presentLabelIds(id('t2'))).toEqual([]);
    expect(repo.labelledTrainingDocumentCount()).toBe(2);
  });
});

describe('TrainingCorpusRepo.trainingSpans', () => {
  it('reads the spans of training documents only: a span on a dev or test document never reaches training', () => {
    const spans = new SpansRepo(p.db);
    spans.insertImported([
      { docId: id('t1'), labelId: labelId('A1'), start: 6, end: 9, text: 'one' },
      { docId: id('t1'), labelId: labelId('A1'), start: 0, end: 5, text: 'train' },
      { docId: id('p2'), labelId: labelId('B1'), start: 0, end: 4, text: 'pool' },
      { docId: id('d1'), labelId: labelId('B1'), start: 0, end: 3, text: 'dev' },
      { docId: id('x1'), labelId: labelId('A1'), start: 0, end: 4, text: 'test' },
    ]);
    expect(repo.trainingSpans()).toEqual([
      { doc_id: id('t1'), label_id: labelId('A1'), start: 0, end: 5 },
      { doc_id: id('t1'), label_id: labelId('A1'), start: 6, end: 9 },
      { doc_id: id('p2'), label_id: labelId('B1'), start: 0, end: 4 },
    ]);
  });
});
