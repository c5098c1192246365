import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../exporters/annotations';
import { csvRecords, headerIndex, sniffDelimiter, type CsvRecord, type Delimiter } from './csv';
import { expectBadFile } from './fixtures/harness';
import { readLines, type Line } from './read-lines';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'planter-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* linesOf(text: string): AsyncGenerator<Line> {
  const parts = text.split('\n');
  for (let i = 0; i < parts.length; i++) yield { line: i + 1, text: parts[i]! };
}

async function parse(text: string, delimiter?: Delimiter): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of csvRecords(linesOf(text), 'table.csv', delimiter)) out.push(r);
  return out;
}

/** Through the real line reader, so line endings are handled as for an uploaded file. */
async function parseFile(name: string, content: string): Promise<string[][]> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const out: string[][] = [];
  for await (const r of csvRecords(readLines(path), name, ',')) out.push(r.fields);
  return out;
}

describe('csvRecords (RFC 4180)', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks; the record keeps its first line', async () => {
    const records = await parse('id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,plain');
    expect(records).toEqual([
      { line: 1, fields: ['id', 'text'] },
      { line: 2, fields: ['1', 'a, b'] },
      { line: 3, fields: ['2', 'say "hi"'] },
      { line: 4, fields: ['3', 'two\nlines'] },
      { line: 6, fields: ['4', 'plain'] },
    ]);
  });

  it('keeps empty fields, including an empty quoted field and a trailing empty field', async () => {
    expect((await parse('a,b,c\n,"",\n'))[1]!.fields).toEqual(['', '', '']);
  });

  it('skips blank lines between records but not blank lines inside a quoted field', async () => {
    const records = await parse('a,b\n\n1,"x\n\ny"\n\n2,z\n');
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['1', 'x\n\ny'], ['2', 'z']]);
    expect(records.map((r) => r.line)).toEqual([1, 3, 7]);
  });

  it('TSV: fields split on tabs only and quotes are literal (ICD titles contain quotes)', async () => {
    const records = await parse('code\ttitle\nA01\t"Typhoid, "paratyphoid\nA02\tx,y;z');
    expect(records.map((r) => r.fields)).toEqual([['code', 'title'], ['A01', '"Typhoid, "paratyphoid'], ['A02', 'x,y;z']]);
  });

  it('sniffs the delimiter from the header, ignoring delimiters inside quotes', () => {
    expect(sniffDelimiter('a,b,c')).toBe(',');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('a;b;c')).toBe(';');
    expect(sniffDelimiter('"x;y;z;w",b,c')).toBe(',');
    expect(sniffDelimiter('single')).toBe(',');
  });

  it('a semicolon-separated file (European Excel) is read with ";"', async () => {
    expect((await parse('id;text\n1;"a;b"'))[1]!.fields).toEqual(['1', 'a;b']);
  });

  it('a leading blank line does not hide that the file is tab-separated', async () => {
    const records = await parse('\ncode\ttitle\nA01\t"quoted, title');
    expect(records.map((r) => r.fields)).toEqual([['code', 'title'], ['A01', '"quoted, title']]);
  });

  it('an unterminated quote names the line where the field starts', async () => {
    await expectBadFile(parse('id,text\n1,ok\n2,"never closed\nmore\nand more'), {
      file: 'table.csv',
      line: 3,
      message: /table\.csv line 3: a quoted field starting on this line is never closed/,
    });
  });

  it('text after a closing quote is an error naming the line and the field number', async () => {
    await expectBadFile(parse('id,text\n1,"quoted"tail'), { file: 'table.csv', line: 2, message: /unexpected character "t" after a closing quote in field 2/ });
  });

  it('headerIndex rejects empty and duplicate column names', async () => {
    const [empty] = await parse('id,,text');
    expect(() => headerIndex(empty!, 'table.csv')).toThrow(/table\.csv line 1: column 2 of the header has no name/);
    const [dup] = await parse('id,text, id');
    expect(() => headerIndex(dup!, 'table.csv')).toThrow(/column "id" appears twice in the header/);
    const [ok] = await parse(' id ,text');
    expect([...headerIndex(ok!, 'table.csv')]).toEqual([['id', 0], ['text', 1]]);
  });
});

describe('csvCell quoting round-trips through the reader (property)', () => {
  // Cells drawn from the characters that matter to CSV, plus multi-byte ones.
  const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', ';', '"', '\n', '\r', '\t', 'é', '😀'), maxLength: 12 });

  it('any table of strings written with csvCell (LF rows) parses back to the same fields', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 6 })), async (rows) => {
        const width = rows[0]!.length;
        const header = Array.from({ length: width }, (_, i) => `c${i}`);
        const table = [header, ...rows];
        const content = table.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
        expect(await parseFile(`prop-${n++}.csv`, content)).toEqual(table);
      }),
      { numRuns: 150 },
    );
  });

  it('a CRLF line break inside a quoted field survives the reader (regression)', async () => {
    const table = [['id', 'text'], ['1', 'windows\r\nline break'], ['2', 'ends with CR\r']];
    const content = table.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
    expect(await parseFile('crlf.csv', content)).toEqual(table);
  });
});
