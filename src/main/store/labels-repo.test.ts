import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, tempProject, type TempProject } from '../importers/fixtures/harness';
import { codeKey } from './labels-repo';

let p: TempProject;
beforeAll(async () => {
  p = tempProject();
  await p.catalogue('icd10cm-tsv', p.file('cm.tsv', readFileSync(join(FIXTURES, 'icd10cm-sample.tsv'))));
  await p.catalogue(
    'labels-csv',
    p.file('extra.csv', 'code,title,parent,synonyms\nI21,Acute myocardial infarction,,heart attack;MI\nI21.9,"Acute myocardial infarction, unspecified",I21,\nZ99,Dependence on machines,,"life support; (ventilator) ""*"""\nZ98,Other postprocedural states,,machines\n'),
  );
  // Training documents: E11.9 on two train docs, one done pool doc, and one done dev doc (never training).
  const docs = [
    { id: 't1', text: 'a', split: 'train', labels: ['E11.9', 'I10'] },
    { id: 't2', text: 'b', split: 'train', labels: ['E11.9'] },
    { id: 'p1', text: 'c', split: 'pool', labels: ['E11.9'] },
    { id: 'd1', text: 'd', split: 'dev', labels: ['E11.9'] },
  ];
  await p.corpus('jsonl', p.file('docs.jsonl', docs.map((d) => JSON.stringify(d)).join('\n')), { idField: 'id', splitField: 'split', labelsField: 'labels' });
  p.db.exec("UPDATE documents SET status = 'done' WHERE ext_id IN ('p1', 'd1')");
});
afterAll(() => p.close());

const codes = (query: string, limit = 10, leafOnly = false): string[] => p.store.labels.search(query, limit, leafOnly).items.map((i) => i.code);

describe('LabelsRepo.search', () => {
  it('an exact code comes first', () => {
    expect(codes('E11.9')[0]).toBe('E11.9');
    expect(codes('I10')[0]).toBe('I10');
  });

  it('codes match without dots and case: "e119" finds E11.9, "e11.65" finds E11.65', () => {
    expect(codes('e119')[0]).toBe('E11.9');
    expect(codes('e11.65')[0]).toBe('E11.65');
    expect(codes(' E119 ')[0]).toBe('E11.9');
    expect(codeKey('e11.9')).toBe('E119');
  });

  it('a code prefix lists the exact code, then its descendants in code order', () => {
    expect(codes('E11').slice(0, 4)).toEqual(['E11', 'E11.6', 'E11.65', 'E11.9']);
    expect(codes('a01').slice(0, 4)).toEqual(['A01', 'A01.0', 'A01.00', 'A01.01']);
  });

  it('title words match as prefixes, in any order, with all words required', () => {
    expect(codes('typhoid fever')).toEqual(expect.arrayContaining(['A01.0', 'A01.00']));
    expect(codes('typhoid fever')).not.toContain('A00');
    expect(codes('fever typh')).toEqual(codes('typhoid fever'));
    expect(codes('diabetes mellitus type 2').slice(0, 1)).toEqual(['E11']); // the shortest matching title first
  });

  it('synonyms match, ranked below title matches', () => {
    expect(codes('heart attack')).toEqual(['I21']);
    expect(codes('t2dm')).toEqual([]); // not a synonym here
    expect(codes('dm without')).toEqual(['E11.9']); // short_desc kept as synonym
    expect(codes('infarction').sort()).toEqual(['I21', 'I21.9']);
    expect(codes('machines')).toEqual(['Z99', 'Z98']); // Z99 by title, Z98 by synonym only
  });

  it('leafOnly drops chapters and blocks', () => {
    expect(codes('diabetes')).toContain('E10-E11');
    expect(codes('diabetes', 50, true)).not.toContain('E10-E11');
    expect(codes('CH0', 50, true)).toEqual([]);
    expect(codes('CH0', 50, false)).toEqual(['CH01', 'CH02', 'CH03', 'CH04', 'CH05']);
  });

  it('an empty query lists all labels in code order with the full total', () => {
    const r = p.store.labels.search('   ', 3, false);
    expect(r.total).toBe(p.store.labels.count());
    expect(r.items.map((i) => i.code)).toEqual(['A00', 'A00-A09', 'A00.0']);
    expect(p.store.labels.search('', 500, true).total).toBe(22);
  });

  it('respects the limit and reports a total at least as large as the page', () => {
    const r = p.store.labels.search('a0', 2, false);
    expect(r.items).toHaveLength(2);
    expect(r.total).toBeGreaterThanOrEqual(2);
  });

  it('items carry the training-document count: train docs and done pool docs, never dev', () => {
    const [e119] = p.store.labels.search('E11.9', 1, false).items;
    expect(e119).toMatchObject({ code: 'E11.9', title: 'Type 2 diabetes mellitus without complications', parentCode: 'E11', kind: 'code', flagged: false, trainCount: 3 });
    expect(e119!.synonyms).toEqual(['Type 2 DM without complications']);
    expect(p.store.labels.search('I10', 1, false).items[0]!.trainCount).toBe(1);
    expect(p.store.labels.search('R52', 1, false).items[0]!.trainCount).toBe(0);
  });

  it('FTS syntax characters in the query never throw', () => {
    for (const q of ['"', '*', '(', ')', '"unclosed', 'a*b', 'NEAR(a b)', 'title:x', '^start', 'AND', 'OR NOT', '-', '+', '{', '\\', "'", '.', '..', '"*"', '(ventilator) "*"', 'E11.*']) {
      expect(() => p.store.labels.search(q, 10, false), q).not.toThrow();
      expect(() => p.store.labels.search(q, 10, true), q).not.toThrow();
    }
    expect(codes('(ventilator)')).toEqual(['Z99']);
  });

  it('any string at all is a valid query (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: fc.constantFrom('"', '*', '(', ')', ':', '^', '-', '.', ' ', 'a', 'E', '1', 'ñ'), maxLength: 12 })), fc.boolean(), (q, leaf) => {
        const r = p.store.labels.search(q, 5, leaf);
        expect(r.items.length).toBeLessThanOrEqual(5);
        expect(r.total).toBeGreaterThanOrEqual(r.items.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('LabelsRepo helpers', () => {
  it('idsByCode and get agree; trainCounts of no ids is empty', () => {
    const ids = p.store.labels.idsByCode();
    expect(ids.size).toBe(p.store.labels.count());
    expect(p.store.labels.get(ids.get('I21')!)).toMatchObject({ code: 'I21', title: 'Acute myocardial infarction', synonyms: '["heart attack","MI"]' });
    expect(p.store.labels.trainCounts([]).size).toBe(0);
    expect(p.store.labels.trainCounts().get(ids.get('E11.9')!)).toBe(3);
    // A page of labels reads the same counters: finished pool documents count, finished dev ones never.
    const page = p.store.labels.trainCounts([ids.get('E11.9')!, ids.get('I10')!, ids.get('I21')!]);
    expect([...page]).toEqual([[ids.get('E11.9')!, 3], [ids.get('I10')!, 1]]);
  });

  it('idsByCodeInSlices reads the same map in slices of any size, giving the event loop turns between them', async () => {
    const whole = p.store.labels.idsByCode();
    expect(whole.size).toBeGreaterThan(3);
    for (const slice of [1, 2, 3, whole.size, whole.size + 5]) expect(await p.store.labels.idsByCodeInSlices(slice)).toEqual(whole);
    // Read all at once, the await would resume before this callback; in slices, it runs first.
    let turned = false;
    setImmediate(() => (turned = true));
    await p.store.labels.idsByCodeInSlices(1);
    expect(turned).toBe(true);
  });
});

describe('LabelsRepo catalogue reads', () => {
  it('allInIdOrder lists every label in id order, the rows get returns', () => {
    const rows = p.store.labels.allInIdOrder();
    expect(rows).toHaveLength(p.store.labels.count());
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => a - b));
    const i21 = rows.find((r) => r.code === 'I21')!;
    expect(i21).toEqual(p.store.labels.get(i21.id));
    expect(i21).toEqual({ id: i21.id, code: 'I21', title: 'Acute myocardial infarction', synonyms: '["heart attack","MI"]', parent_code: null, kind: 'code', flagged: 0 });
  });

  it('titleByCode gives the title and flag of a code; an unknown code is undefined', () => {
    expect(p.store.labels.titleByCode('I21')).toEqual({ title: 'Acute myocardial infarction', flagged: 0 });
    expect(p.store.labels.titleByCode('I21.9')).toEqual({ title: 'Acute myocardial infarction, unspecified', flagged: 0 });
    expect(p.store.labels.titleByCode('NOPE')).toBeUndefined();
  });

  it('catalogueCodeSample: unflagged assignable codes in id order, capped, with the format that brought each', () => {
    const codes = p.store.labels
      .allInIdOrder()
      .filter((r) => r.kind === 'code' && r.flagged === 0)
      .map((r) => r.code);
    const sample = p.store.labels.catalogueCodeSample(5);
    expect(sample.map((r) => r.code)).toEqual(codes.slice(0, 5));
    expect(sample.every((r) => r.catalogue === 'icd10cm-tsv')).toBe(true);
    const all = p.store.labels.catalogueCodeSample(10_000);
    expect(all.map((r) => r.code)).toEqual(codes);
    expect(all.find((r) => r.code === 'I21')?.catalogue).toBe('labels-csv');
    expect(all.some((r) => r.code === 'E10-E11')).toBe(false); // a block, not a code
  });

  it('catalogueVersion moves with a catalogue import and with new labels, not with a corpus import that adds none', async () => {
    const v0 = p.store.labels.catalogueVersion();
    expect(p.store.labels.catalogueVersion()).toBe(v0);
    await p.corpus('jsonl', p.file('known.jsonl', JSON.stringify({ id: 'k1', text: 'k', labels: ['I10'] })), { idField: 'id', labelsField: 'labels' });
    expect(p.store.labels.catalogueVersion()).toBe(v0);
    // A code the catalogue lacks comes in flagged: a new label.
    await p.corpus('jsonl', p.file('unknown.jsonl', JSON.stringify({ id: 'k2', text: 'k', labels: ['Q99.99'] })), { idField: 'id', labelsField: 'labels' });
    const v1 = p.store.labels.catalogueVersion();
    expect(v1).not.toBe(v0);
    expect(p.store.labels.titleByCode('Q99.99')?.flagged).toBe(1);
    expect(p.store.labels.catalogueCodeSample(10_000).some((r) => r.code === 'Q99.99')).toBe(false);
    // The same codes with a new title: no new row, but an import.
    await p.catalogue('labels-csv', p.file('retitle.csv', 'code,title,parent,synonyms\nZ98,Other states after a procedure,,\n'));
    expect(p.store.labels.catalogueVersion()).not.toBe(v1);
    expect(p.store.labels.titleByCode('Z98')?.title).toBe('Other states after a procedure');
  });
});
