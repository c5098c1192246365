import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStagingLeft, tempProject, type TempProject } from '../importers/fixtures/harness';
import { exportAnnotations } from './annotations';

let a: TempProject;
let b: TempProject;
beforeEach(() => {
  a = tempProject();
  b = tempProject();
});
afterEach(() => {
  a.close();
  b.close();
});

/** Non-ASCII and awkward texts, a document without labels, and codes holding `;`, quotes and spaces. */
const RECORDS = [
  { id: 'doc-1', text: 'Fièvre et toux sèche — 3 días, 发烧 😀', split: 'train', labels: ['R50.9', 'R05'] },
  { id: 'doc-2', text: 'No findings.\nSecond line, "quoted"', split: 'dev', labels: [] },
  { id: 'doc-3', text: '  padded, with a tab\tinside  ', split: 'test', labels: ['A;B', 'say "hi"', 'Ω/ü'] },
  { id: 'doc-4', text: 'pool document', split: 'pool', labels: ['R05'] },
];

/** Project `a` from RECORDS, then one explicit rejection (doc-4 "not R50.9"). */
async function seed(): Promise<void> {
  await a.corpus('jsonl', a.file('seed.jsonl', RECORDS.map((r) => JSON.stringify(r)).join('\n')), { idField: 'id', labelsField: 'labels', splitField: 'split' });
  const doc = a.store.documents.idByExtId('doc-4')!;
  const label = a.store.labels.idsByCode().get('R50.9')!;
  a.db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, how, who, updated_at) VALUES (?, ?, 0, 'annotator', 'rejected', 'Ana', 'now')").run(doc, label);
}

interface Row {
  id: string;
  text: string;
  split: string;
  present: string[];
  rejected: string[];
}

/** Every document by ext_id with its present and rejected codes (sorted). */
function snapshot(p: TempProject): Row[] {
  const docs = p.db.prepare('SELECT id, ext_id, text, split FROM documents ORDER BY ext_id').all() as { id: number; ext_id: string; text: string; split: string }[];
  const codes = p.db.prepare('SELECT l.code FROM assignments a JOIN labels l ON l.id = a.label_id WHERE a.doc_id = ? AND a.present = ? ORDER BY l.code').pluck();
  return docs.map((d) => ({ id: d.ext_id, text: d.text, split: d.split, present: codes.all(d.id, 1) as string[], rejected: codes.all(d.id, 0) as string[] }));
}

const withoutRejections = (rows: Row[]): Row[] => rows.map((r) => ({ ...r, rejected: [] }));

describe('tool-format exports round-trip through the tools’ importers', () => {
  it('the seed is what the cases need: no labels, codes with ; and quotes, non-ASCII, a rejection', async () => {
    await seed();
    const rows = snapshot(a);
    expect(rows.find((r) => r.id === 'doc-2')!.present).toEqual([]);
    expect(rows.find((r) => r.id === 'doc-3')!.present).toEqual(['A;B', 'say "hi"', 'Ω/ü']);
    expect(rows.find((r) => r.id === 'doc-4')!.rejected).toEqual(['R50.9']);
  });

  it('Prodigy: ids, texts, splits, labels and rejections come back unchanged', async () => {
    await seed();
    const target = join(a.root, 'prodigy.jsonl');
    expect(exportAnnotations(a.db, target, { format: 'prodigy' })).toEqual({ documents: 4, assignments: 6 });
    await b.corpus('prodigy', target, { splitField: 'split' });
    expect(snapshot(b)).toEqual(snapshot(a));
    expectNoStagingLeft(b);
  });

  it('Prodigy writes a choice task per document and a binary reject task per rejection', async () => {
    await seed();
    const target = join(a.root, 'prodigy.jsonl');
    exportAnnotations(a.db, target, { format: 'prodigy' });
    const lines = readFileSync(target, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toEqual({ text: RECORDS[1]!.text, meta: { id: 'doc-2', split: 'dev' }, options: [], accept: [], answer: 'accept' });
    expect(lines[3]).toEqual({ text: 'pool document', meta: { id: 'doc-4', split: 'pool' }, options: [{ id: 'R05', text: 'R05' }, { id: 'R50.9', text: 'R50.9' }], accept: ['R05'], answer: 'accept' });
    expect(lines[4]).toEqual({ text: 'pool document', meta: { id: 'doc-4', split: 'pool' }, label: 'R50.9', answer: 'reject' });
  });

  it('doccano: ids, texts, splits and labels come back; rejections cannot be said in doccano', async () => {
    await seed();
    const target = join(a.root, 'doccano.jsonl');
    exportAnnotations(a.db, target, { format: 'doccano' });
    const first = JSON.parse(readFileSync(target, 'utf8').split('\n')[0]!) as unknown;
    expect(first).toEqual({ id: 'doc-1', text: RECORDS[0]!.text, label: ['R05', 'R50.9'], split: 'train' });
    await b.corpus('doccano', target, { splitField: 'split' });
    expect(snapshot(b)).toEqual(withoutRejections(snapshot(a)));
  });

  it('Label Studio: one JSON array of tasks with choices results; ids, texts, splits and labels come back', async () => {
    await seed();
    const target = join(a.root, 'label-studio.json');
    exportAnnotations(a.db, target, { format: 'label-studio' });
    const tasks = JSON.parse(readFileSync(target, 'utf8')) as unknown[];
    expect(tasks).toHaveLength(4);
    expect(tasks[0]).toEqual({
      id: 'doc-1',
      data: { text: RECORDS[0]!.text, split: 'train' },
      annotations: [{ result: [{ type: 'choices', from_name: 'label', to_name: 'text', value: { choices: ['R05', 'R50.9'] } }] }],
    });
    expect(tasks[1]).toMatchObject({ id: 'doc-2', annotations: [] });
    await b.corpus('label-studio', target, { splitField: 'split' });
    expect(snapshot(b)).toEqual(withoutRejections(snapshot(a)));
    expectNoStagingLeft(b);
  });

  it('without --split-field the tool importers still put the whole file in one split, and keep "split" as metadata', async () => {
    await seed();
    const target = join(a.root, 'doccano.jsonl');
    exportAnnotations(a.db, target, { format: 'doccano' });
    await b.corpus('doccano', target, { split: 'pool' });
    expect(b.db.prepare('SELECT DISTINCT split FROM documents').pluck().all()).toEqual(['pool']);
    expect(b.db.prepare("SELECT metadata FROM documents WHERE ext_id = 'doc-2'").pluck().get()).toBe('{"split":"dev"}');
  });

  // An empty project's export: Label Studio's "[]", an empty file for Prodigy and doccano. Each
  // imports into a new project as nothing (it used to be refused as a bad file).
  for (const [format, name, written] of [
    ['label-studio', 'empty.json', '[]'],
    ['prodigy', 'empty-prodigy.jsonl', ''],
    ['doccano', 'empty-doccano.jsonl', ''],
  ] as const) {
    it(`${format}: an empty project exports and imports back as an empty project`, async () => {
      const target = join(a.root, name);
      expect(exportAnnotations(a.db, target, { format })).toEqual({ documents: 0, assignments: 0 });
      const body = readFileSync(target, 'utf8').trim();
      expect(written === '' ? body : JSON.parse(body)).toEqual(written === '' ? '' : JSON.parse(written));
      expect(await b.corpus(format, target, { splitField: 'split' })).toMatchObject({ documents: 0, assignments: 0, format });
      expect(snapshot(b)).toEqual([]);
      expect(snapshot(b)).toEqual(snapshot(a));
      expectNoStagingLeft(b);
    });
  }

  it('a bad split under the split field is a bad file naming the field', async () => {
    const file = b.file('bad.jsonl', `${JSON.stringify({ text: 'a', meta: { id: 'x', split: 'Not A Split' }, accept: [], answer: 'accept' })}\n`);
    await expect(b.corpus('prodigy', file, { splitField: 'split' })).rejects.toMatchObject({ code: 'bad-file', details: { field: 'meta.split', line: 1 } });
  });
});
