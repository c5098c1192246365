/**
 * Every kind of bad file gives its own `bad-file` error naming file, line and field, and leaves the
 * project exactly as it was: all cases run against one seeded project whose counts never move.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueFormat, CorpusFormat, FieldMapping } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import { expectBadFile, expectNoStagingLeft, storeCounts, tempProject, type ExpectedBadFile, type TempProject } from './fixtures/harness';
import type { ImportOptions } from './run-import';

let p: TempProject;

beforeAll(async () => {
  p = tempProject();
  await p.catalogue('labels-csv', p.file('seed-labels.csv', 'code,title\nA01,Alpha\nB02,Beta\n'));
  const seed = ['seed-1', 'seed-2', 'seed-3'].map((id, i) => JSON.stringify({ id, text: `seed document ${i}`, labels: ['A01', 'Z99'] })).join('\n');
  await p.corpus('jsonl', p.file('seed.jsonl', seed), { idField: 'id', labelsField: 'labels' });
  expect(storeCounts(p.db)).toEqual({ documents: 3, labels: 3, flagged: 1, assignments: 6, imports: 2 });
});
afterAll(() => p.close());

const J = (o: unknown): string => JSON.stringify(o);
const lines = (...ls: string[]): string => ls.join('\n') + '\n';
const MAP: Partial<FieldMapping> = { idField: 'id', labelsField: 'labels', splitField: 'split' };

interface Case {
  name: string;
  file: string;
  content: string | Uint8Array;
  format?: CorpusFormat;
  mapping?: Partial<FieldMapping>;
  options?: Partial<ImportOptions>;
  expected: Omit<ExpectedBadFile, 'file'> & { file?: string };
}

/** Runs an import that must fail, and proves the project did not change. */
async function expectRejected(c: Case): Promise<PlanterError> {
  const before = storeCounts(p.db);
  const path = p.file(c.file, c.content);
  const err = await expectBadFile(p.corpus(c.format ?? 'jsonl', path, c.mapping ?? MAP, c.options ?? {}), { file: c.file, ...c.expected });
  expect(storeCounts(p.db)).toEqual(before);
  expectNoStagingLeft(p);
  return err;
}

async function expectCatalogueRejected(format: CatalogueFormat, file: string, content: string, expected: Omit<ExpectedBadFile, 'file'>): Promise<void> {
  const before = storeCounts(p.db);
  await expectBadFile(p.catalogue(format, p.file(file, content)), { file, ...expected });
  expect(storeCounts(p.db)).toEqual(before);
}

const good = (id: string, extra: Record<string, unknown> = {}): string => J({ id, text: `text of ${id}`, labels: ['A01'], split: 'train', ...extra });

describe('bad files leave the store unchanged', () => {
  const cases: Case[] = [
    // Wrong encoding
    {
      name: 'Latin-1 bytes on line 2',
      file: 'latin1.jsonl',
      content: Buffer.concat([Buffer.from(`${good('x1')}\n{"id": "x2", "text": "caf`), Buffer.from([0xe9]), Buffer.from('"}\n')]),
      expected: { line: 2, message: /line 2: is not valid UTF-8 \(byte \d+ of the line is 0xe9\); save the file as UTF-8/ },
    },
    {
      name: 'Latin-1 bytes in a CSV',
      file: 'latin1.csv',
      content: Buffer.concat([Buffer.from('id,text\nx1,'), Buffer.from([0xfc]), Buffer.from('ber\n')]),
      format: 'csv',
      mapping: { idField: 'id' },
      expected: { line: 2, message: /is not valid UTF-8/ },
    },
    {
      name: 'UTF-16 with a BOM',
      file: 'utf16.jsonl',
      content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${good('x1')}\n`, 'utf16le')]),
      expected: { line: 1, message: /is UTF-16 encoded; save the file as UTF-8/ },
    },
    // Truncated JSON
    {
      name: 'last line cut mid-record',
      file: 'cut.jsonl',
      content: `${good('x1')}\n${good('x2')}\n${good('x3').slice(0, 25)}`,
      expected: { line: 3, message: /line 3: invalid JSON: .*\(the record looks truncated\)/ },
    },
    {
      name: 'truncated gzip stream',
      file: 'cut.jsonl.gz',
      content: (() => {
        const gz = gzipSync(lines(...Array.from({ length: 3000 }, (_, i) => good(`z${i}`))));
        return gz.subarray(0, gz.length - 200);
      })(),
      expected: { message: /the gzip stream is damaged or truncated/ },
    },
    // Missing fields
    {
      name: 'no text field: the error lists the available fields',
      file: 'notext.jsonl',
      content: lines(J({ id: 'x1', body: 'b', labels: [] })),
      expected: { line: 1, field: 'text', message: /line 1: has no field "text" \(the text field\); the fields are: id, body, labels/ },
    },
    {
      name: 'a misspelt labels field',
      file: 'nolabels.jsonl',
      content: lines(J({ id: 'x1', text: 't', label: ['A01'] })),
      expected: { line: 1, field: 'labels', message: /has no field "labels" \(the labels field\); the fields are: id, text, label/ },
    },
    {
      name: 'a CSV without the text column',
      file: 'notext.csv',
      content: 'id,body\nx1,b\n',
      format: 'csv',
      mapping: { idField: 'id' },
      expected: { line: 1, field: 'text', message: /has no field "text" \(the text field\); the fields are: id, body/ },
    },
    {
      name: 'a record without text on line 3',
      file: 'gap.jsonl',
      content: lines(good('x1'), good('x2'), J({ id: 'x3', labels: [], split: 'train' })),
      expected: { line: 3, field: 'text', message: /line 3: field "text" is missing$/ },
    },
    {
      name: 'an empty text',
      file: 'blank-text.jsonl',
      content: lines(good('x1'), good('x2', { text: '   ' })),
      expected: { line: 2, field: 'text', message: /line 2: field "text" is empty/ },
    },
    {
      name: 'text that is not a string',
      file: 'obj-text.jsonl',
      content: lines(good('x1', { text: { a: 1 } })),
      expected: { line: 1, field: 'text', message: /must be text \(a string or a list of strings\), found an object/ },
    },
    {
      name: 'an id that is an object',
      file: 'obj-id.jsonl',
      content: lines(good('x1'), J({ id: { n: 2 }, text: 't', split: 'train' })),
      expected: { line: 2, field: 'id', message: /must be a string or a number, found an object/ },
    },
    // Duplicate ids
    {
      name: 'a duplicate id within the file names both lines',
      file: 'dup.jsonl',
      content: lines(good('d1'), good('d2'), good('d1')),
      expected: { line: 3, field: 'id', message: /line 3: duplicate id "d1" \(first seen on line 1\)/ },
    },
    {
      name: 'a duplicate id names the mapped id field',
      file: 'dup-docid.jsonl',
      content: lines(J({ doc_id: 5, text: 'a' }), J({ doc_id: '5', text: 'b' })),
      mapping: { idField: 'doc_id' },
      expected: { line: 2, field: 'doc_id', message: /duplicate id "5" \(first seen on line 1\)/ },
    },
    {
      name: 'an id that already exists in the project',
      file: 'clash.jsonl',
      content: lines(good('new-1'), good('seed-2')),
      expected: { line: 2, field: 'id', message: /line 2: document id "seed-2" already exists in this project/ },
    },
    // Long lines
    {
      name: 'a 1 MB line of garbage is invalid JSON on line 1',
      file: 'garbage.jsonl',
      content: `{"id": "g", "text": "${'x'.repeat(1 << 20)}" oops}\n`,
      // 21 characters of prefix, 2^20 x's, a quote and a space: the stray "o" is column 1,048,600.
      expected: { line: 1, message: /line 1: invalid JSON: .* at column 1048600$/ },
    },
    {
      name: 'a line over maxLineBytes is rejected with its length',
      file: 'long.jsonl',
      content: lines(good('x1'), good('x2', { text: 'y'.repeat(5000) })),
      options: { maxLineBytes: 4096 },
      expected: { line: 2, message: /line 2: is 50\d\d bytes long; the limit is 4096 bytes per line/ },
    },
    // Empty files
    { name: 'a 0-byte JSONL file', file: 'empty.jsonl', content: '', expected: { line: undefined, message: /empty\.jsonl: is empty: no records found/ } },
    { name: 'a JSONL file of blank lines', file: 'blank.jsonl', content: '\n  \n\r\n\t\n', expected: { line: undefined, message: /is empty: no records found/ } },
    { name: 'a 0-byte CSV file', file: 'empty.csv', content: '', format: 'csv', expected: { line: undefined, message: /empty\.csv: is empty: no header row/ } },
    { name: 'a CSV header with no rows', file: 'header.csv', content: 'id,text,labels\r\n\r\n', format: 'csv', mapping: { idField: 'id' }, expected: { line: undefined, message: /header\.csv: has a header but no rows/ } },
    // A tool's export of an empty project is not one of these: see "empty tool exports" below.
    { name: 'an empty generic JSONL file even when it is named like an export', file: 'empty-export.jsonl', content: '\n', format: 'jsonl', expected: { line: undefined, message: /is empty: no records found/ } },
    { name: 'a 0-byte file read as Label Studio (not even "[]")', file: 'zero-ls.json', content: '', format: 'label-studio', expected: { message: /empty|expected a JSON array/ } },
    // Not one object per line
    {
      name: 'a pretty-printed JSON array (an export, not JSON Lines) hints at a JSON export',
      file: 'export.jsonl',
      content: `[\n  ${good('x1')},\n  ${good('x2')}\n]\n`,
      expected: { line: 1, message: /line 1: invalid JSON: .*\(is this a JSON export rather than JSON Lines\?\)$/ },
    },
    {
      name: 'a JSON array whose first line holds a whole record hints at a JSON export',
      file: 'export2.jsonl',
      content: `[${good('x1')},\n${good('x2')}]\n`,
      expected: { line: 1, message: /line 1: invalid JSON: .*\(is this a JSON export rather than JSON Lines\?\)$/ },
    },
    {
      name: 'a one-line JSON array',
      file: 'array.jsonl',
      content: `[${good('x1')}, ${good('x2')}]\n`,
      expected: { line: 1, message: /line 1: expected one JSON object per line, found an array \(is this a JSON export rather than JSON Lines\?\)/ },
    },
    { name: 'a number on a line', file: 'number.jsonl', content: lines(good('x1'), '42'), expected: { line: 2, message: /line 2: expected one JSON object per line, found number/ } },
    { name: 'null on a line', file: 'null.jsonl', content: lines('null'), expected: { line: 1, message: /found null/ } },
    // CSV structure
    {
      name: 'an unterminated CSV quote names the line where it starts',
      file: 'quote.csv',
      content: 'id,text\nx1,"fine"\nx2,"never closed\nx3,more\n',
      format: 'csv',
      mapping: { idField: 'id' },
      expected: { line: 3, message: /line 3: a quoted field starting on this line is never closed/ },
    },
    {
      name: 'a CSV row with the wrong number of columns',
      file: 'columns.csv',
      content: 'id,text,labels\nx1,a,A01\nx2,b\n',
      format: 'csv',
      mapping: { idField: 'id', labelsField: 'labels' },
      expected: { line: 3, message: /line 3: has 2 columns but the header has 3/ },
    },
    // Bad values
    {
      name: 'a split name with a space',
      file: 'split.jsonl',
      content: lines(good('x1'), good('x2', { split: 'Training set' })),
      expected: { line: 2, field: 'split', message: /line 2: field "split": "Training set" must be a lower-case word such as train, dev, test or pool/ },
    },
    {
      name: 'a split that is not a string',
      file: 'split-num.jsonl',
      content: lines(good('x1', { split: 1 })),
      expected: { line: 1, field: 'split', message: /must be a split name, found number 1/ },
    },
    {
      name: 'a missing split',
      file: 'split-missing.jsonl',
      content: lines(good('x1'), J({ id: 'x2', text: 't' })),
      expected: { line: 2, field: 'split', message: /line 2: field "split" is missing/ },
    },
    {
      // Issue #14: `"labels_diagnosis": 42` imported and created a code "42".
      name: 'a labels field holding a bare number',
      file: 'num-labels.jsonl',
      content: lines(good('x1'), good('x2', { labels: 42 })),
      expected: { line: 2, field: 'labels', message: /line 2: field "labels" must be a list of label codes \(or codes separated by ";" in a string\), found number 42/ },
    },
    {
      name: 'a label code with a control character (in a list)',
      file: 'ctl.jsonl',
      content: lines(good('x1', { labels: ['A01', 'B\tC'] })),
      expected: { line: 1, field: 'labels', message: /label code "B\\tC" contains control characters/ },
    },
    {
      name: 'a label code with a control character (in a separated string)',
      file: 'ctl-str.jsonl',
      content: lines(good('x1', { labels: 'A01;B\u0000C' })),
      expected: { line: 1, field: 'labels', message: /contains control characters/ },
    },
    {
      name: 'a label code over 100 characters',
      file: 'long-code.jsonl',
      content: lines(good('x1', { labels: ['L'.repeat(101)] })),
      expected: { line: 1, field: 'labels', message: /is longer than 100 characters/ },
    },
    {
      name: 'a label that is an object',
      file: 'obj-label.jsonl',
      content: lines(good('x1', { labels: ['A01', { code: 'B' }] })),
      expected: { line: 1, field: 'labels', message: /item 2 must be a label code \(string\), found an object/ },
    },
    {
      name: 'a labels string that looks like a JSON list but is not',
      file: 'bad-list.jsonl',
      content: lines(good('x1', { labels: '["A01", B02]' })),
      expected: { line: 1, field: 'labels', message: /looks like a JSON list but is not valid JSON/ },
    },
  ];

  for (const c of cases) it(c.name, () => expectRejected(c));

  it('errors use the display name, never the staging path on disk', async () => {
    const err = await expectRejected({ name: '', file: 'upload-7f3a', content: lines('[1]'), options: { displayName: 'my corpus.jsonl' }, expected: { file: 'my corpus.jsonl', line: 1, message: /^my corpus\.jsonl line 1:/ } });
    expect(err.message).not.toContain('upload-7f3a');
  });

  it('an error on the last line of a 5,000-line file commits nothing (the staging flushed 2 batches before)', async () => {
    const body = Array.from({ length: 4999 }, (_, i) => good(`bulk-${i}`, { labels: ['A01', `NEW${i % 50}`] }));
    await expectRejected({ name: '', file: 'bulk.jsonl', content: lines(...body, good('bulk-5000', { split: 'NOT OK' })), expected: { line: 5000, field: 'split', message: /line 5000:/ } });
  });

  it('the same 5,000-line file without the bad line imports in full', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => good(`ok-${i}`, { labels: ['A01', `NEW${i % 50}`] }));
    const before = storeCounts(p.db);
    const r = await p.corpus('jsonl', p.file('bulk-ok.jsonl', lines(...body)), MAP);
    expect(r).toMatchObject({ documents: 5000, assignments: 10_000, labelsFlagged: 50 });
    expect(storeCounts(p.db)).toEqual({ ...before, documents: before.documents + 5000, labels: before.labels + 50, flagged: before.flagged + 50, assignments: before.assignments + 10_000, imports: before.imports + 1 });
    // Undo, so later cases start from the seeded project again.
    p.db.exec("DELETE FROM documents WHERE ext_id LIKE 'ok-%'; DELETE FROM labels WHERE code LIKE 'NEW%'; DELETE FROM imports WHERE file_name = 'bulk-ok.jsonl'");
    expect(storeCounts(p.db)).toEqual(before);
  });
});

describe('empty tool exports import nothing and say so', () => {
  // Label Studio and Planter write "[]" for a project without tasks; Prodigy's db-out and Planter
  // write an empty file for an empty dataset: each is a valid export of nothing, not a bad file.
  const empties: { format: CorpusFormat; file: string; content: string }[] = [
    { format: 'label-studio', file: 'empty-ls.json', content: '[]' },
    { format: 'label-studio', file: 'empty-ls-pretty.json', content: '[\n]\n' },
    { format: 'prodigy', file: 'empty-prodigy.jsonl', content: '' },
    { format: 'doccano', file: 'empty-doccano.jsonl', content: '\n' },
  ];
  for (const e of empties) {
    it(`${e.format}: ${JSON.stringify(e.content)} imports 0 documents and leaves the project untouched`, async () => {
      const before = storeCounts(p.db);
      const r = await p.corpus(e.format, p.file(e.file, e.content), {});
      expect(r).toMatchObject({ file: e.file, format: e.format, documents: 0, assignments: 0, labelsCreated: 0, labelsFlagged: 0 });
      // Not even a row in the import log: nothing was imported.
      expect(storeCounts(p.db)).toEqual(before);
      expectNoStagingLeft(p);
    });
  }

  it('"auto" reads an empty .json file as an empty Label Studio export', async () => {
    expect(await p.corpus('auto', p.file('auto-empty.json', '[]'), {})).toMatchObject({ format: 'label-studio', documents: 0 });
  });
});

describe('cancellation imports nothing', () => {
  it('an already-aborted signal: the cancelled outcome, not a bad-file error', async () => {
    const before = storeCounts(p.db);
    const ctrl = new AbortController();
    ctrl.abort();
    const err = await p.corpus('jsonl', p.file('c1.jsonl', lines(good('c1'))), MAP, { signal: ctrl.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanterError);
    expect((err as PlanterError).code).toBe('cancelled');
    expect(storeCounts(p.db)).toEqual(before);
    expectNoStagingLeft(p);
  });

  it('aborted while reading a multi-chunk file', async () => {
    const before = storeCounts(p.db);
    const ctrl = new AbortController();
    const body = Array.from({ length: 3000 }, (_, i) => good(`cc-${i}`, { text: `${'word '.repeat(200)}${i}` }));
    const err = await p
      .corpus('jsonl', p.file('c2.jsonl', lines(...body)), MAP, { signal: ctrl.signal, onProgress: (pr) => pr.documents > 0 && ctrl.abort() })
      .catch((e: unknown) => e);
    expect((err as PlanterError).code).toBe('cancelled');
    expect(storeCounts(p.db)).toEqual(before);
    expectNoStagingLeft(p);
  });

  it('aborted after reading, just before the commit', async () => {
    const before = storeCounts(p.db);
    const ctrl = new AbortController();
    const err = await p
      .corpus('label-studio', p.file('c3.json', J([{ id: 'c3', data: { text: 't' } }])), {}, { signal: ctrl.signal, onProgress: () => ctrl.abort() })
      .catch((e: unknown) => e);
    expect((err as PlanterError).code).toBe('cancelled');
    expect(storeCounts(p.db)).toEqual(before);
  });

  it('a cancelled catalogue import changes nothing', async () => {
    const before = storeCounts(p.db);
    const ctrl = new AbortController();
    ctrl.abort();
    const err = await p.catalogue('labels-csv', p.file('c4.csv', 'code\nC1\n'), { signal: ctrl.signal }).catch((e: unknown) => e);
    expect((err as PlanterError).code).toBe('cancelled');
    expect(storeCounts(p.db)).toEqual(before);
  });
});

describe('bad catalogues leave the store unchanged', () => {
  it('a duplicate code', () => expectCatalogueRejected('labels-csv', 'dup.csv', 'code,title\nA01,x\nA01,y\n', { line: 3, field: 'code', message: /duplicate code "A01" \(first on line 2\)/ }));
  it('a missing required column', () => expectCatalogueRejected('labels-csv', 'cols.csv', 'name\nx\n', { line: 1, field: 'code', message: /no column "code"/ }));
  it('an empty code', () => expectCatalogueRejected('labels-csv', 'empty-code.csv', 'code,title\nA01,x\n ,y\n', { line: 3, field: 'code', message: /line 3: field "code" is empty/ }));
  it('a row with the wrong number of columns', () => expectCatalogueRejected('icd10pcs-tsv', 'pcs.tsv', 'code\tbillable\tshort_desc\tlong_desc\n0DB\t0\tx\n', { line: 2, message: /has 3 columns but the header has 4/ }));
  it('a header with no rows', () => expectCatalogueRejected('labels-csv', 'hdr.csv', 'code,title\n', { line: undefined, message: /has a header but no rows/ }));
  it('a 0-byte catalogue', () => expectCatalogueRejected('labels-csv', 'zero.csv', '', { line: undefined, message: /is empty: no header row/ }));
  it('EUROVOC JSON that is a list', () => expectCatalogueRejected('eurovoc-json', 'ev.json', '[1]', { message: /expected an object of concepts keyed by id, found a list/ }));
});
