import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, expectBadFile, storeCounts, tempProject, type TempProject } from './fixtures/harness';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.close());

const fixture = (name: string): string => p.file(name, readFileSync(join(FIXTURES, name)));

interface LabelView {
  code: string;
  title: string;
  synonyms: string[];
  parent: string | null;
  kind: string;
  flagged: boolean;
}

function label(code: string): LabelView | undefined {
  const r = p.db.prepare('SELECT code, title, synonyms, parent_code, kind, flagged FROM labels WHERE code = ?').get(code) as
    | { code: string; title: string; synonyms: string; parent_code: string | null; kind: string; flagged: number }
    | undefined;
  return r && { code: r.code, title: r.title, synonyms: JSON.parse(r.synonyms) as string[], parent: r.parent_code, kind: r.kind, flagged: r.flagged === 1 };
}

const parentOf = (code: string): string | null | undefined => label(code)?.parent;

describe('ICD-10-CM TSV (the real column layout, a few real rows)', () => {
  it('creates chapters CH01…, blocks named by their category range, and codes under their longest dotted prefix', async () => {
    const result = await p.catalogue('icd10cm-tsv', fixture('icd10cm-sample.tsv'));
    // 18 codes + 5 chapters + 5 blocks.
    expect(result).toMatchObject({ file: 'icd10cm-sample.tsv', documents: 0, labelsCreated: 28, labelsUpdated: 0 });
    const chapters = p.db.prepare("SELECT code, title FROM labels WHERE code LIKE 'CH%' ORDER BY code").all();
    expect(chapters).toEqual([
      { code: 'CH01', title: 'Certain infectious and parasitic diseases' },
      { code: 'CH02', title: 'Endocrine, nutritional and metabolic diseases' },
      { code: 'CH03', title: 'Diseases of the circulatory system' },
      { code: 'CH04', title: 'Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified' },
      { code: 'CH05', title: 'Injury, poisoning and certain other consequences of external causes' },
    ]);
    expect(label('A00-A09')).toEqual({ code: 'A00-A09', title: 'Intestinal Infectious Diseases', synonyms: [], parent: 'CH01', kind: 'category', flagged: false });
    expect(label('E10-E11')).toMatchObject({ title: 'Diabetes Mellitus', parent: 'CH02', kind: 'category' });
    // A block holding a single category gets a trailing dash so it cannot collide with the category.
    expect(label('I10-')).toMatchObject({ title: 'Hypertensive Diseases', parent: 'CH03' });
    expect(label('CH01')).toMatchObject({ parent: null, kind: 'category' });

    expect(parentOf('A00')).toBe('A00-A09'); // a category sits under its block
    expect(parentOf('A09')).toBe('A00-A09');
    expect(parentOf('I10')).toBe('I10-');
    expect(parentOf('A00.0')).toBe('A00');
    expect(parentOf('A01.00')).toBe('A01.0'); // longest existing dotted prefix, not the category
    expect(parentOf('E11.65')).toBe('E11.6');
    expect(parentOf('E11.9')).toBe('E11');
    expect(parentOf('T81.4')).toBe('T81');
    expect(label('A01.00')).toMatchObject({ title: 'Typhoid fever, unspecified', kind: 'code', flagged: false });
  });

  it('keeps short_desc as a synonym only when it differs from long_desc', async () => {
    await p.catalogue('icd10cm-tsv', fixture('icd10cm-sample.tsv'));
    expect(label('E11.9')!.synonyms).toEqual(['Type 2 DM without complications']); // edited in the fixture
    expect(label('E11.65')!.synonyms).toEqual([]);
  });

  it('a parent that is missing from the table falls back to the three-character category', async () => {
    const rows = readFileSync(join(FIXTURES, 'icd10cm-sample.tsv'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('E116\t'))
      .join('\n');
    await p.catalogue('icd10cm-tsv', p.file('no-e116.tsv', rows));
    expect(parentOf('E11.65')).toBe('E11');
  });

  it('a row with an empty long_desc names its line and the column', async () => {
    const file = p.file('cm-empty.tsv', 'code\tcode_dotted\tbillable\tshort_desc\tlong_desc\tthree_digit\tmajor\tsub_chapter\tchapter\nA00\tA00\tFalse\tCholera\tCholera\tA00\tCholera\tB\tC\nA000\tA00.0\tTrue\tx\t \tA00\tCholera\tB\tC\n');
    await expectBadFile(p.catalogue('icd10cm-tsv', file), { file: 'cm-empty.tsv', line: 3, field: 'long_desc', message: /line 3: field "long_desc" is empty/ });
  });
});

describe('ICD-9-CM TSV (same layout, read by the ICD-10-CM importer)', () => {
  it('four-character E-code categories sit under their block, never under themselves', async () => {
    await p.catalogue('icd10cm-tsv', fixture('icd9cm-sample.tsv'));
    expect(parentOf('001.0')).toBe('001');
    expect(parentOf('001')).toBe('001-');
    expect(parentOf('E800.0')).toBe('E800');
    expect(parentOf('E800')).toBe('E800-E801');
    expect(parentOf('E801')).toBe('E800-E801');
    expect(p.db.prepare('SELECT COUNT(*) FROM labels WHERE parent_code = code').pluck().get()).toBe(0);
  });
});

describe('ICD-10-PCS TSV', () => {
  it('places seven-character codes under their three-character table header', async () => {
    const result = await p.catalogue('icd10pcs-tsv', fixture('icd10pcs-sample.tsv'));
    expect(result.labelsCreated).toBe(7);
    expect(label('0DB')).toMatchObject({ title: 'Gastrointestinal System, Excision', parent: null, kind: 'code' });
    expect(label('0DB68ZZ')).toEqual({
      code: '0DB68ZZ',
      title: 'Excision of Stomach, Via Natural or Artificial Opening Endoscopic',
      synonyms: ['Excision of Stomach, Endo'],
      parent: '0DB',
      kind: 'code',
      flagged: false,
    });
    expect(parentOf('BW03ZZZ')).toBe('BW0');
  });
});

describe('EUROVOC JSON', () => {
  it('keeps the first of several parents, the alt labels as synonyms (blank ones dropped)', async () => {
    await p.catalogue('eurovoc-json', fixture('eurovoc.json'));
    expect(label('200')).toEqual({ code: '200', title: 'foreign policy', synonyms: [], parent: '100', kind: 'code', flagged: false });
    expect(label('100')).toMatchObject({ synonyms: ['international politics'], parent: null });
    expect(label('300')!.synonyms).toEqual(['political life']);
  });

  it('a concept without a label names the concept and the field', async () => {
    const file = p.file('ev-bad.json', JSON.stringify({ 1: { concept_id: '1', label: 'ok' }, 2: { concept_id: '2', label: '' } }));
    await expectBadFile(p.catalogue('eurovoc-json', file), { file: 'ev-bad.json', field: 'label', message: /concept "2" \(entry 2\): "label" is missing or empty/ });
  });

  it('invalid JSON gives the position', async () => {
    await expectBadFile(p.catalogue('eurovoc-json', p.file('ev-cut.json', '{"1": {"concept_id": "1", "label": "a"},\n "2": {"conc')), {
      file: 'ev-cut.json',
      message: /ev-cut\.json: invalid JSON: .*(line 2|column)/,
    });
  });
});

describe('generic labels CSV', () => {
  it('reads code, title, parent and ";"-separated synonyms; other columns are ignored', async () => {
    const file = p.file('labels.csv', 'code,title,parent,synonyms,notes\nI21,Acute myocardial infarction,I20-I25,heart attack; MI ,x\nI20-I25,Ischaemic heart diseases,,,\n');
    const result = await p.catalogue('labels-csv', file);
    expect(result.labelsCreated).toBe(2);
    expect(label('I21')).toEqual({ code: 'I21', title: 'Acute myocardial infarction', synonyms: ['heart attack', 'MI'], parent: 'I20-I25', kind: 'code', flagged: false });
    expect(label('I20-I25')).toMatchObject({ parent: null, synonyms: [] });
  });

  it('only the code column is required', async () => {
    await p.catalogue('labels-csv', p.file('codes.csv', 'code\nA\nB\n'));
    expect(storeCounts(p.db).labels).toBe(2);
    expect(label('A')).toMatchObject({ title: '', parent: null });
  });
});

describe('catalogue edge cases', () => {
  it('a duplicate code names both lines and imports nothing', async () => {
    const file = p.file('dup.csv', 'code,title\nA,first\nB,second\nA,again\n');
    await expectBadFile(p.catalogue('labels-csv', file), { file: 'dup.csv', line: 4, field: 'code', message: /line 4: duplicate code "A" \(first on line 2\)/ });
    expect(storeCounts(p.db)).toMatchObject({ labels: 0, imports: 0 });
  });

  it('a missing required column lists the columns that were found', async () => {
    await expectBadFile(p.catalogue('labels-csv', p.file('nocode.csv', 'id,title\n1,x\n')), {
      file: 'nocode.csv',
      line: 1,
      field: 'code',
      message: /line 1: the header has no column "code" \(found: id, title\)/,
    });
    const cm = 'code\tcode_dotted\tbillable\tshort_desc\tlong_desc\tthree_digit\tmajor\tchapter\nA00\tA00\tFalse\tx\tx\tA00\tx\tx\n';
    await expectBadFile(p.catalogue('icd10cm-tsv', p.file('cm-nosub.tsv', cm)), { file: 'cm-nosub.tsv', line: 1, field: 'sub_chapter', message: /no column "sub_chapter"/ });
  });

  it('re-importing a catalogue updates titles and clears the flagged mark of codes it now holds', async () => {
    // A corpus arrives first: its codes are unknown, so they are created flagged.
    const corpus = p.file('docs.jsonl', `${JSON.stringify({ id: 1, text: 'x', labels: ['Q10', 'Q20.1', 'Q30'] })}\n`);
    await p.corpus('jsonl', corpus, { idField: 'id', labelsField: 'labels' });
    expect(storeCounts(p.db)).toMatchObject({ labels: 3, flagged: 3 });

    const v1 = await p.catalogue('labels-csv', p.file('v1.csv', 'code,title\nQ10,Old title\nQ20,Bee\n'));
    expect(v1).toMatchObject({ labelsCreated: 1, labelsUpdated: 1 });
    expect(label('Q10')).toMatchObject({ title: 'Old title', flagged: false });
    // Still missing, but now placed under its closest known prefix.
    expect(label('Q20.1')).toMatchObject({ title: 'Bee (code not in catalogue)', parent: 'Q20', flagged: true });
    expect(label('Q30')).toMatchObject({ title: '', parent: null, flagged: true });

    const v2 = await p.catalogue('labels-csv', p.file('v2.csv', 'code,title,synonyms\nQ10,New title,alpha\nQ20,Bee,\nQ20.1,Bee one,\n'));
    expect(v2).toMatchObject({ labelsCreated: 0, labelsUpdated: 3 });
    expect(label('Q10')).toMatchObject({ title: 'New title', synonyms: ['alpha'], flagged: false });
    expect(label('Q20.1')).toMatchObject({ title: 'Bee one', flagged: false });
    expect(storeCounts(p.db)).toMatchObject({ labels: 4, flagged: 1, assignments: 3, imports: 3 });
    // The title search index follows the update.
    expect(p.store.labels.search('new title', 10, false).items.map((i) => i.code)).toEqual(['Q10']);
    expect(p.store.labels.search('old', 10, false).items).toEqual([]);
  });

  it('a code with a control character is refused with its line and column', async () => {
    await expectBadFile(p.catalogue('labels-csv', p.file('ctl.csv', 'code,title\nA\u0007B,bell\n')), {
      file: 'ctl.csv',
      line: 2,
      field: 'code',
      message: /line 2: field "code" contains control characters/,
    });
  });
});
