import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectNoStagingLeft, tempProject, type TempProject } from '../importers/fixtures/harness';
import { csvCell, exportAnnotations } from './annotations';
import { AtomicFileWriter } from '../fs/atomic-write';
import { AnnotationsRepo } from '../store/annotations-repo';
import { NotesRepo } from '../store/notes-repo';

let a: TempProject;
let b: TempProject;
beforeEach(() => {
  a = tempProject();
  b = tempProject();
});
afterEach(() => {
  vi.restoreAllMocks();
  a.close();
  b.close();
});

/** Awkward texts: every CSV special character, a lone CR, CRLF, leading/trailing spaces, non-BMP. */
const TEXTS = [
  'plain',
  'commas, inside, text',
  'she said "no", twice ""',
  'line one\nline two\n\nline four',
  'windows\r\nline break and a lone \r CR',
  '  padded  ',
  '"starts with a quote',
  'tab\tand semicolon; emoji 😀 and ñ',
];

/** Project `a`: 8 documents over 4 splits, 10 imported assignments; then one rejection, one annotator label, one done document. */
async function seed(): Promise<void> {
  const records = TEXTS.map((text, i) => ({
    id: `doc-${i}`,
    text,
    split: ['train', 'dev', 'test', 'pool'][i % 4],
    labels: i % 3 === 0 ? [] : ['E11.9', `X${i}`],
  }));
  await a.corpus('jsonl', a.file('seed.jsonl', records.map((r) => JSON.stringify(r)).join('\n')), { idField: 'id', labelsField: 'labels', splitField: 'split' });
  const doc = (ext: string): number => a.db.prepare('SELECT id FROM documents WHERE ext_id = ?').pluck().get(ext) as number;
  a.db.prepare("INSERT INTO labels (code, title) VALUES ('R52', 'Pain')").run();
  const label = (code: string): number => a.db.prepare('SELECT id FROM labels WHERE code = ?').pluck().get(code) as number;
  a.db.prepare("UPDATE assignments SET present = 0, source = 'annotator' WHERE doc_id = ? AND label_id = ?").run(doc('doc-1'), label('E11.9'));
  a.db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, how, who, updated_at) VALUES (?, ?, 1, 'annotator', 'added', 'Ana', 'now')").run(doc('doc-0'), label('R52'));
  a.db.prepare("UPDATE documents SET status = 'done' WHERE id = ?").run(doc('doc-0'));
}

interface Snapshot {
  ext_id: string;
  text: string;
  split: string;
  labels: string[];
}

/** Documents with their positive labels, keyed on what an export must preserve. */
function snapshot(p: TempProject): Snapshot[] {
  const rows = p.db.prepare('SELECT id, ext_id, text, split FROM documents ORDER BY ext_id').all() as (Snapshot & { id: number })[];
  const labels = p.db.prepare('SELECT l.code FROM assignments a JOIN labels l ON l.id = a.label_id WHERE a.doc_id = ? AND a.present = 1 ORDER BY l.code').pluck();
  return rows.map((r) => ({ ext_id: r.ext_id, text: r.text, split: r.split, labels: labels.all(r.id) as string[] }));
}

const ROUND_TRIP_MAPPING = { idField: 'id', labelsField: 'labels', splitField: 'split' };

describe('exportAnnotations round-trips through the importers', () => {
  it('JSONL: a fresh project gets the same ids, texts, splits and positive labels', async () => {
    await seed();
    const target = join(a.root, 'out', 'annotations.jsonl');
    const counts = exportAnnotations(a.db, target, { format: 'jsonl' });
    expect(counts).toEqual({ documents: TEXTS.length, assignments: 10 }); // 10 imported - 1 rejected + 1 annotator
    await b.corpus('jsonl', target, ROUND_TRIP_MAPPING);
    expect(snapshot(b)).toEqual(snapshot(a));
    expectNoStagingLeft(b);
  });

  it('JSONL: rejected labels are listed under "rejected", positives under "labels", with status', async () => {
    await seed();
    const target = join(a.root, 'annotations.jsonl');
    exportAnnotations(a.db, target, { format: 'jsonl' });
    const rows = readFileSync(target, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows[0]).toEqual({
      id: 'doc-0',
      text: 'plain',
      split: 'train',
      status: 'done',
      labels: ['R52'],
      rejected: [],
      provenance: [{ code: 'R52', present: true, how: 'added', who: 'Ana', score: null, at: 'now' }],
    });
    expect(rows[1]).toMatchObject({ id: 'doc-1', labels: ['X1'], rejected: ['E11.9'], status: 'pending' });
  });

  it('JSONL carries the notes: "note" for the document, "labelNotes" by code; none, no keys', async () => {
    await seed();
    const notes = new NotesRepo(a.db);
    const doc = (ext: string): number => a.store.documents.idByExtId(ext)!;
    notes.set(doc('doc-1'), null, 'ask about the "biopsy"\nsecond line');
    notes.set(doc('doc-1'), a.store.labels.idsByCode().get('E11.9')!, 'rejected: type 1 in the history');
    notes.set(doc('doc-2'), a.store.labels.idsByCode().get('X2')!, 'label only');
    const target = join(a.root, 'notes.jsonl');
    exportAnnotations(a.db, target, { format: 'jsonl' });
    const rows = readFileSync(target, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows[0]).not.toHaveProperty('note');
    expect(rows[0]).not.toHaveProperty('labelNotes');
    expect(rows[1]).toMatchObject({ id: 'doc-1', note: 'ask about the "biopsy"\nsecond line', labelNotes: { 'E11.9': 'rejected: type 1 in the history' } });
    expect(rows[2]).toMatchObject({ id: 'doc-2', labelNotes: { X2: 'label only' } });
    expect(rows[2]).not.toHaveProperty('note');
    // And the file still imports as the same documents and labels.
    await b.corpus('jsonl', target, ROUND_TRIP_MAPPING);
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('CSV: texts with commas, quotes, newlines and CRLF come back unchanged in a fresh project', async () => {
    await seed();
    const target = join(a.root, 'annotations.csv');
    exportAnnotations(a.db, target, { format: 'csv' });
    expect(readFileSync(target, 'utf8').split('\n')[0]).toBe('id,split,status,labels,rejected,provenance,text');
    await b.corpus('csv', target, ROUND_TRIP_MAPPING);
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('CSV carries the rejections the Export view promises (issue #14 bug 9)', async () => {
    await seed();
    const target = join(a.root, 'rejections.csv');
    exportAnnotations(a.db, target, { format: 'csv' });
    const line = readFileSync(target, 'utf8').split('\n').find((l) => l.startsWith('doc-1,'));
    expect(line?.startsWith('doc-1,dev,pending,X1,E11.9,"[')).toBe(true);
    expect(line?.endsWith(',"commas, inside, text"')).toBe(true);
  });

  it('carries each label’s provenance: how, who, the answered suggestion’s score, when (issue #17)', async () => {
    await seed();
    const repo = new AnnotationsRepo(a.db);
    const doc5 = a.db.prepare("SELECT id FROM documents WHERE ext_id = 'doc-5'").pluck().get() as number;
    const r52 = a.db.prepare("SELECT id FROM labels WHERE code = 'R52'").pluck().get() as number;
    const x5 = a.db.prepare("SELECT id FROM labels WHERE code = 'X5'").pluck().get() as number;
    repo.apply(doc5, r52, 'accept', { who: 'Ben; "the second"', score: 0.875 });
    repo.apply(doc5, x5, 'reject', { who: 'Ben; "the second"', score: 0.3 });
    exportAnnotations(a.db, join(a.root, 'p.jsonl'), { format: 'jsonl' });
    const row = readFileSync(join(a.root, 'p.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; provenance: { code: string; at: string }[] })
      .find((r) => r.id === 'doc-5');
    const expected = [
      { code: 'E11.9', present: true, how: 'imported', who: null, score: null },
      { code: 'R52', present: true, how: 'accepted', who: 'Ben; "the second"', score: 0.875 },
      { code: 'X5', present: false, how: 'rejected', who: 'Ben; "the second"', score: 0.3 },
    ];
    expect(row?.provenance.map(({ at, ...rest }) => (expect(Date.parse(at)).not.toBeNaN(), rest))).toEqual(expected);
    exportAnnotations(a.db, join(a.root, 'p.csv'), { format: 'csv' });
    await b.corpus('csv', join(a.root, 'p.csv'), ROUND_TRIP_MAPPING);
    // The CSV cell is the same JSON array (read back through the CSV importer, into metadata or not).
    const csv = readFileSync(join(a.root, 'p.csv'), 'utf8');
    const cell = csv.split('\n').find((l) => l.startsWith('doc-5,'))!.split(',"')[1]!;
    expect(cell.startsWith('[{""code"":""E11.9""')).toBe(true);
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('annotatedOnly exports only documents a coder finished or labelled, with the split too (bug 9)', async () => {
    await seed();
    const ids = (file: string): string[] => readFileSync(file, 'utf8').trimEnd().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    exportAnnotations(a.db, join(a.root, 'annotated.jsonl'), { format: 'jsonl', annotatedOnly: true });
    // doc-0 is done (and has an annotator label), doc-1 holds a coder's rejection; the rest are as imported.
    expect(ids(join(a.root, 'annotated.jsonl'))).toEqual(['doc-0', 'doc-1']);
    exportAnnotations(a.db, join(a.root, 'annotated-dev.jsonl'), { format: 'jsonl', annotatedOnly: true, split: 'dev' });
    expect(ids(join(a.root, 'annotated-dev.jsonl'))).toEqual(['doc-1']);
  });

  it('the split option exports only that split', async () => {
    await seed();
    const target = join(a.root, 'dev.jsonl');
    expect(exportAnnotations(a.db, target, { format: 'jsonl', split: 'dev' }).documents).toBe(2);
    const ids = readFileSync(target, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toEqual(['doc-1', 'doc-5']);
  });

  it('an empty project exports an empty JSONL file and a header-only CSV', () => {
    expect(exportAnnotations(a.db, join(a.root, 'e.jsonl'), { format: 'jsonl' })).toEqual({ documents: 0, assignments: 0 });
    expect(readFileSync(join(a.root, 'e.jsonl'), 'utf8')).toBe('');
    exportAnnotations(a.db, join(a.root, 'e.csv'), { format: 'csv' });
    expect(readFileSync(join(a.root, 'e.csv'), 'utf8')).toBe('id,split,status,labels,rejected,provenance,text\n');
  });
});

describe('exports are atomic', () => {
  it('an export that throws midway leaves no partial file and the previous file intact', async () => {
    await seed();
    const dir = join(a.root, 'exports');
    const target = join(dir, 'annotations.jsonl');
    exportAnnotations(a.db, target, { format: 'jsonl' });
    const previous = readFileSync(target, 'utf8');
    writeFileSync(join(dir, 'other.txt'), 'untouched');

    a.db.prepare("UPDATE documents SET text = 'changed since the last export'").run();
    let writes = 0;
    const real = AtomicFileWriter.prototype.write;
    vi.spyOn(AtomicFileWriter.prototype, 'write').mockImplementation(function (this: AtomicFileWriter, chunk) {
      if (++writes === 4) throw new Error('disk full');
      real.call(this, chunk);
    });
    expect(() => exportAnnotations(a.db, target, { format: 'jsonl' })).toThrow('disk full');
    expect(writes).toBe(4);
    expect(readFileSync(target, 'utf8')).toBe(previous);
    expect(readdirSync(dir).sort()).toEqual(['annotations.jsonl', 'other.txt']); // no temp file left
  });

  it('a cancelled export (signal aborted midway) writes nothing', async () => {
    await seed();
    const target = join(a.root, 'cancelled', 'annotations.csv');
    let checks = 0;
    const signal = { get aborted() {
      return ++checks > 3;
    } } as AbortSignal;
    expect(() => exportAnnotations(a.db, target, { format: 'csv', signal })).toThrow(/cancelled/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(join(a.root, 'cancelled'))).toEqual([]);
  });
});

describe('csvCell', () => {
  it('quotes only cells holding a comma, quote, CR or LF, doubling quotes', () => {
    expect(csvCell('plain; text\twith tab')).toBe('plain; text\twith tab');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('a\rb')).toBe('"a\rb"');
    expect(csvCell('')).toBe('');
  });
});
