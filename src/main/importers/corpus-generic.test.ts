import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labelValues } from './field-values';
import { expectNoStagingLeft, storeCounts, tempProject, type TempProject } from './fixtures/harness';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.close());

interface DocView {
  ext_id: string;
  text: string;
  split: string;
  metadata: Record<string, unknown>;
  labels: string[];
}

/** Documents as stored, with their positive label codes (sorted), in import order. */
function docs(): DocView[] {
  const rows = p.db.prepare('SELECT id, ext_id, text, split, metadata FROM documents ORDER BY id').all() as {
    id: number;
    ext_id: string;
    text: string;
    split: string;
    metadata: string;
  }[];
  const labels = p.db.prepare('SELECT l.code FROM assignments a JOIN labels l ON l.id = a.label_id WHERE a.doc_id = ? AND a.present = 1 ORDER BY l.code').pluck();
  return rows.map((r) => ({ ext_id: r.ext_id, text: r.text, split: r.split, metadata: JSON.parse(r.metadata) as Record<string, unknown>, labels: labels.all(r.id) as string[] }));
}

const jsonl = (records: unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('JSONL corpus with a field mapping', () => {
  it('maps text, labels, id and split fields; joins extra text fields; keeps unused scalars as metadata', async () => {
    const file = p.file(
      'mapped.jsonl',
      jsonl([
        { doc_id: 7, title: 'Title A', body: 'Body A', abstract: '', codes: ['E11.9', 'I10', 'E11.9'], part: 'Train', year: 2019, nested: { x: 1 }, tags: ['t'] },
        { doc_id: 'b-8', body: ['para 1', 'para 2'], title: null, codes: [], part: 'dev', source: 'clinic' },
      ]),
    );
    const result = await p.corpus('jsonl', file, { textField: 'body', extraTextFields: ['title', 'abstract'], labelsField: 'codes', idField: 'doc_id', splitField: 'part' });
    expect(result).toMatchObject({ file: 'mapped.jsonl', documents: 2, assignments: 2, labelsCreated: 2, labelsFlagged: 2, labelsUpdated: 0 });
    expect(docs()).toEqual([
      { ext_id: '7', text: 'Body A\n\nTitle A', split: 'train', metadata: { year: 2019 }, labels: ['E11.9', 'I10'] },
      { ext_id: 'b-8', text: 'para 1\n\npara 2', split: 'dev', metadata: { source: 'clinic' }, labels: [] },
    ]);
    const imp = p.db.prepare('SELECT kind, format, file_name, documents, assignments, labels FROM imports').get();
    expect(imp).toEqual({ kind: 'corpus', format: 'jsonl', file_name: 'mapped.jsonl', documents: 2, assignments: 2, labels: 2 });
    expectNoStagingLeft(p);
  });

  it('--split puts the whole file in one split; without an id field the id is file:line', async () => {
    const file = p.file('pool.jsonl', `${JSON.stringify({ text: 'first' })}\n\n${JSON.stringify({ text: 'third line' })}\n`);
    await p.corpus('jsonl', file, { split: 'pool' });
    expect(docs().map((d) => [d.ext_id, d.split])).toEqual([
      ['pool.jsonl:1', 'pool'],
      ['pool.jsonl:3', 'pool'],
    ]);
  });

  it('reads labels given as a separated string (custom separator), as a JSON list inside a string, and as a list of numbers', async () => {
    const file = p.file(
      'strings.jsonl',
      jsonl([
        { id: 'a', text: 'x', labels: ' E11.9 | I10 ||I10 ' },
        { id: 'b', text: 'y', labels: '["R52", "I10"]' },
        { id: 'c', text: 'z', labels: [4711] },
        { id: 'd', text: 'w', labels: '' },
      ]),
    );
    await p.corpus('jsonl', file, { labelsField: 'labels', idField: 'id', labelSeparator: '|' });
    expect(docs().map((d) => d.labels)).toEqual([['E11.9', 'I10'], ['I10', 'R52'], ['4711'], []]);
  });

  it('reads semicolon-separated labels by default', async () => {
    const file = p.file('semi.jsonl', jsonl([{ id: 1, text: 'x', labels: 'A01.0;A09' }]));
    await p.corpus('jsonl', file, { labelsField: 'labels', idField: 'id' });
    expect(docs()[0]!.labels).toEqual(['A01.0', 'A09']);
  });

  it('labels missing from the project become flagged labels with no title or parent', async () => {
    const file = p.file('flag.jsonl', jsonl([{ id: 1, text: 'x', labels: ['Q99.9'] }]));
    await p.corpus('jsonl', file, { labelsField: 'labels', idField: 'id' });
    expect(p.db.prepare('SELECT code, title, parent_code, kind, flagged FROM labels').all()).toEqual([
      { code: 'Q99.9', title: '', parent_code: null, kind: 'code', flagged: 1 },
    ]);
  });

  it('reads a gzipped file transparently, whatever its name, including a UTF-8 BOM and CRLF endings', async () => {
    const content = `\ufeff${jsonl([{ id: 1, text: 'gz one', labels: ['A09'] }, { id: 2, text: 'gz two' }]).replace(/\n/g, '\r\n')}`;
    await p.corpus('jsonl', p.file('upload-1234', gzipSync(content)), { labelsField: 'labels', idField: 'id' });
    await p.corpus('jsonl', p.file('plain.jsonl.gz', content.replace('"id":1', '"id":3').replace('"id":2', '"id":4')), { labelsField: 'labels', idField: 'id' });
    expect(docs().map((d) => [d.ext_id, d.text, d.labels])).toEqual([
      ['1', 'gz one', ['A09']],
      ['2', 'gz two', []],
      ['3', 'gz one', ['A09']],
      ['4', 'gz two', []],
    ]);
  });

  it('a valid 1 MB document on a single line imports whole', async () => {
    const text = `${'lorem ipsum '.repeat(90_000)}end`;
    await p.corpus('jsonl', p.file('big.jsonl', jsonl([{ id: 'big', text }])), { idField: 'id' });
    const stored = p.db.prepare('SELECT text FROM documents').pluck().get() as string;
    expect(stored.length).toBe(text.length);
    expect(stored).toBe(text);
  });

  it('reports reading and committing progress with the number of documents read', async () => {
    const file = p.file('progress.jsonl', jsonl(Array.from({ length: 50 }, (_, i) => ({ id: i, text: `doc ${i}` }))));
    const phases: string[] = [];
    const reading: { done: number; total: number; documents: number }[] = [];
    let last = 0;
    await p.corpus('jsonl', file, { idField: 'id' }, { onProgress: (pr) => (phases.push(pr.phase), (last = pr.documents), pr.phase === 'reading' && reading.push({ done: pr.doneBytes, total: pr.totalBytes, documents: pr.documents })) });
    expect(phases[0]).toBe('reading');
    expect(phases.at(-1)).toBe('committing');
    expect(last).toBe(50);
    // Issue #14: "reading 100 % — 0 records read". At 100 % every record has been read and counted.
    const full = reading.filter((r) => r.total > 0 && r.done === r.total);
    expect(full.length).toBeGreaterThan(0);
    expect(full.map((r) => r.documents)).toEqual(full.map(() => 50));
  });
});

describe('CSV corpus', () => {
  it('reads quoted fields with commas, doubled quotes and newlines; labels split on ";"', async () => {
    const file = p.file(
      'notes.csv',
      'id,split,labels,text,ward\r\n' +
        '1,train,E11.9;I10,"Diabetes, and ""high"" blood pressure",A\r\n' +
        '2,test,,"line one\r\nline two",B\r\n' +
        '3,dev,R52,plain text,\r\n',
    );
    const result = await p.corpus('csv', file, { idField: 'id', splitField: 'split', labelsField: 'labels' });
    expect(result.documents).toBe(3);
    expect(docs()).toEqual([
      { ext_id: '1', text: 'Diabetes, and "high" blood pressure', split: 'train', metadata: { ward: 'A' }, labels: ['E11.9', 'I10'] },
      { ext_id: '2', text: 'line one\r\nline two', split: 'test', metadata: { ward: 'B' }, labels: [] },
      { ext_id: '3', text: 'plain text', split: 'dev', metadata: { ward: '' }, labels: ['R52'] },
    ]);
  });

  it('reads TSV with the same mapping, quotes kept literally', async () => {
    const file = p.file('notes.tsv', 'id\ttext\tlabels\na\tshe said "no"\tA09\nb\t"odd, quote\tE11.9;A09\n');
    await p.corpus('csv', file, { idField: 'id', labelsField: 'labels', split: 'pool' });
    expect(docs().map((d) => [d.ext_id, d.text, d.split, d.labels])).toEqual([
      ['a', 'she said "no"', 'pool', ['A09']],
      ['b', '"odd, quote', 'pool', ['A09', 'E11.9']],
    ]);
  });

  it('leaves the project store counts consistent with the import result', async () => {
    const file = p.file('count.csv', 'text,labels\nx,A;B\ny,B;C\n');
    const r = await p.corpus('csv', file, { labelsField: 'labels' });
    expect(storeCounts(p.db)).toEqual({ documents: 2, labels: 3, flagged: 3, assignments: 4, imports: 1 });
    expect(r).toMatchObject({ documents: 2, assignments: 4, labelsCreated: 3, labelsFlagged: 3 });
  });
});

describe('labelValues (properties)', () => {
  const code = fc.stringMatching(/^[A-Z][0-9A-Z]{1,3}(\.[0-9A-Z]{1,4})?$/);

  it('joining codes with the separator and reading them back gives the distinct codes in order', () => {
    fc.assert(
      fc.property(fc.array(code, { maxLength: 12 }), fc.constantFrom(';', '|', ',', ' ; '), (codes, sep) => {
        const distinct = [...new Set(codes)];
        const read = labelValues(codes.join(sep), sep.trim() || sep, 'f', 1, 'labels').map((m) => m.code);
        expect(read).toEqual(distinct);
      }),
    );
  });

  it('a JSON array, and the same array serialised into a string, read the same', () => {
    fc.assert(
      fc.property(fc.array(code, { maxLength: 12 }), (codes) => {
        const direct = labelValues(codes, ';', 'f', 1, 'labels');
        expect(labelValues(JSON.stringify(codes), ';', 'f', 1, 'labels')).toEqual(direct);
        expect(direct.every((m) => m.present)).toBe(true);
      }),
    );
  });
});
