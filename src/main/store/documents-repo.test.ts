import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { ftsQuery } from './documents-repo';

let p: TempProject;
const SPLITS = ['train', 'dev', 'test', 'pool'] as const;

beforeAll(async () => {
  p = tempProject();
  // 40 documents: split = i % 4; every 5th mentions diabetes; doc 7 is long and spaced out.
  const records = Array.from({ length: 40 }, (_, i) => ({
    id: `doc-${String(i).padStart(2, '0')}`,
    split: SPLITS[i % 4],
    text: i === 7 ? `Niño   con\n\n\tfiebre ${'muy '.repeat(60)}alta` : i % 5 === 0 ? `Patient ${i} with type 2 diabetes mellitus` : `Patient ${i} with a cough`,
    labels: i % 5 === 0 ? ['E11.9', 'I10'] : i % 2 === 0 ? ['R05'] : [],
  }));
  await p.corpus('jsonl', p.file('docs.jsonl', records.map((r) => JSON.stringify(r)).join('\n')), { idField: 'id', splitField: 'split', labelsField: 'labels' });
  // doc-05 is done; doc-10 is under review; doc-10's I10 was rejected (so it no longer counts as a label).
  const id = (ext: string): number => p.store.documents.idByExtId(ext)!;
  p.store.documents.setStatus(id('doc-05'), 'done');
  p.store.documents.setStatus(id('doc-10'), 'review');
  p.db.prepare("UPDATE assignments SET present = 0 WHERE doc_id = ? AND label_id = (SELECT id FROM labels WHERE code = 'I10')").run(id('doc-10'));
});
afterAll(() => p.close());

const list = (f: Partial<Parameters<typeof p.store.documents.list>[0]> = {}) => p.store.documents.list({ offset: 0, limit: 50, ...f });
const ids = (f: Partial<Parameters<typeof p.store.documents.list>[0]> = {}): string[] => list(f).items.map((i) => i.extId);

describe('DocumentsRepo.list', () => {
  it('lists all documents in import order with snippets and positive-label counts', () => {
    const r = list();
    expect(r.total).toBe(40);
    expect(r.items[0]).toEqual({ id: r.items[0]!.id, extId: 'doc-00', split: 'train', status: 'pending', snippet: 'Patient 0 with type 2 diabetes mellitus', labelCount: 2 });
    expect(r.items.find((i) => i.extId === 'doc-10')!.labelCount).toBe(1); // the rejected I10 is not counted
    expect(r.items.find((i) => i.extId === 'doc-01')!.labelCount).toBe(0);
  });

  it('snippets collapse whitespace and stop at 160 characters of the text', () => {
    const doc7 = list().items.find((i) => i.extId === 'doc-07')!;
    expect(doc7.snippet.startsWith('Niño con fiebre muy muy')).toBe(true);
    expect(doc7.snippet.length).toBeLessThanOrEqual(160);
    expect(doc7.snippet).not.toMatch(/\s{2}/);
  });

  it('filters by split and by status, and both together', () => {
    expect(list({ split: 'dev' }).total).toBe(10);
    expect(ids({ split: 'dev' }).every((x) => Number(x.slice(4)) % 4 === 1)).toBe(true);
    expect(ids({ status: 'done' })).toEqual(['doc-05']);
    expect(ids({ status: 'review', split: 'test' })).toEqual(['doc-10']);
    expect(ids({ status: 'review', split: 'train' })).toEqual([]);
    expect(list({ status: 'pending' }).total).toBe(38);
  });

  it('full-text search: prefix terms, all words required, case- and accent-insensitive', () => {
    expect(ids({ query: 'diabetes' })).toEqual(['doc-00', 'doc-05', 'doc-10', 'doc-15', 'doc-20', 'doc-25', 'doc-30', 'doc-35']);
    expect(ids({ query: 'DIAB mell' })).toHaveLength(8);
    expect(ids({ query: 'diabetes cough' })).toEqual([]);
    expect(ids({ query: 'nino' })).toEqual(['doc-07']);
    expect(ids({ query: 'fiebre alta' })).toEqual(['doc-07']);
    expect(ids({ query: 'diabetes', split: 'train' })).toEqual(['doc-00', 'doc-20']);
    expect(list({ query: 'diabetes', status: 'review' }).total).toBe(1);
  });

  it('a full-text total counts what the listing lists, with any split and status filter', () => {
    for (const query of ['diabetes', 'patient', 'nino', 'zzzz'])
      for (const split of [undefined, 'train', 'pool', 'dev'])
        for (const status of [undefined, 'pending' as const, 'review' as const]) {
          const f = { query, ...(split ? { split } : {}), ...(status ? { status } : {}) };
          const r = list({ ...f, limit: 500 });
          expect(r.total, JSON.stringify(f)).toBe(r.items.length);
        }
  });

  it('a query of punctuation only matches nothing instead of everything', () => {
    expect(list({ query: '"*()' })).toEqual({ total: 0, items: [] });
  });

  it('pages with offset and limit; total counts every match', () => {
    const page1 = list({ split: 'pool', limit: 4 });
    const page3 = list({ split: 'pool', limit: 4, offset: 8 });
    expect(page1.total).toBe(10);
    expect(page1.items.map((i) => i.extId)).toEqual(['doc-03', 'doc-07', 'doc-11', 'doc-15']);
    expect(page3.items.map((i) => i.extId)).toEqual(['doc-35', 'doc-39']);
    expect(list({ split: 'pool', offset: 100 }).items).toEqual([]);
  });

  it('keyset paging: walking by the last id gives every page that offsets give, for every filter (issue #15)', () => {
    const filters = [{}, { split: 'pool' }, { status: 'pending' as const }, { split: 'train', status: 'pending' as const }, { query: 'patient' }, { query: 'diabetes', split: 'train' }];
    for (const f of filters) {
      const all = list({ ...f, limit: 500 }).items.map((i) => i.id);
      const walked: number[] = [];
      let after: number | undefined;
      for (;;) {
        const page = list({ ...f, limit: 3, ...(after === undefined ? {} : { after }) });
        expect(page.total, JSON.stringify(f)).toBe(all.length);
        if (page.items.length === 0) break;
        walked.push(...page.items.map((i) => i.id));
        after = page.items.at(-1)!.id;
      }
      expect(walked, JSON.stringify(f)).toEqual(all);
      for (let offset = 0; offset < all.length + 2; offset += 4) {
        expect(list({ ...f, limit: 4, offset }).items.map((i) => i.id), `${JSON.stringify(f)} offset ${offset}`).toEqual(all.slice(offset, offset + 4));
      }
      // offset counts from the cursor
      if (all.length > 5) expect(list({ ...f, limit: 2, after: all[1], offset: 2 }).items.map((i) => i.id)).toEqual(all.slice(4, 6));
    }
  });

  it('the offset walk reads the narrow id index, not the rows (query plan)', () => {
    const plan = (sql: string): string => (p.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT d.id FROM documents d INDEXED BY documents_ids WHERE d.id > 0 ORDER BY d.id LIMIT 1 OFFSET 5')).toMatch(/COVERING INDEX documents_ids/);
    expect(plan("SELECT d.id FROM documents d WHERE d.split = 'pool' AND d.status = 'done' AND d.id > 0 ORDER BY d.id LIMIT 1 OFFSET 5")).toMatch(/COVERING INDEX documents_by_split_status/);
  });

  it('FTS syntax in the query never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: fc.constantFrom('"', '*', '(', ')', ':', '^', '-', 'NEAR', 'AND', 'OR', 'NOT', ' ', 'd', 'ñ'), maxLength: 10 })), (q) => {
        const r = list({ query: q, limit: 5 });
        expect(r.total).toBeGreaterThanOrEqual(r.items.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('DocumentsRepo helpers', () => {
  it('get, idByExtId, countBySplit and setStatus', () => {
    const id = p.store.documents.idByExtId('doc-01')!;
    expect(p.store.documents.get(id)).toMatchObject({ ext_id: 'doc-01', split: 'dev', status: 'pending', metadata: '{}' });
    expect(p.store.documents.idByExtId('nope')).toBeUndefined();
    expect(p.store.documents.countBySplit()).toEqual({ dev: 10, pool: 10, test: 10, train: 10 });
  });

  it('count, allIds and textsOf read the table itself', () => {
    expect(p.store.documents.count()).toBe(40);
    const all = p.store.documents.allIds();
    expect(all).toHaveLength(40);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(all[0]).toBe(p.store.documents.idByExtId('doc-00'));
    const [first, , third] = all;
    expect(p.store.documents.textsOf([third!, first!, 999_999])).toEqual([
      { id: first!, text: 'Patient 0 with type 2 diabetes mellitus' },
      { id: third!, text: 'Patient 2 with a cough' },
    ]);
    expect(p.store.documents.textsOf([])).toEqual([]);
  });

  it('ftsQuery quotes every term as a prefix and caps the number of terms', () => {
    expect(ftsQuery('Diabetes "type" 2*')).toBe('"diabetes"* AND "type"* AND "2"*');
    expect(ftsQuery('— … ()')).toBeNull();
    expect(ftsQuery('ＡＢＣ')).toBe('"abc"*'); // NFKC folds full-width letters
    expect(ftsQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '))!.split(' AND ')).toHaveLength(12);
  });
});

describe('DocumentsRepo.splitPages', () => {
  it('pages one split in id order with each document’s present labels, and ends', () => {
    const pages = [...p.store.documents.splitPages('train', 3)];
    // train = i % 4 === 0: doc-00, 04, …, 36 (10 documents) → pages of 3, 3, 3, 1
    expect(pages.map((pg) => pg.length)).toEqual([3, 3, 3, 1]);
    const all = pages.flat();
    expect(all.map((d) => d.extId)).toEqual(Array.from({ length: 10 }, (_, i) => `doc-${String(i * 4).padStart(2, '0')}`));
    const codes = (labelIds: number[]) => labelIds.map((id) => p.store.labels.get(id)!.code).sort();
    expect(codes(all[0]!.labelIds)).toEqual(['E11.9', 'I10']);
    expect(codes(all[1]!.labelIds)).toEqual(['R05']); // doc-04
    expect(all[0]!.text).toBe('Patient 0 with type 2 diabetes mellitus');
    expect([...p.store.documents.splitPages('nope', 3)]).toEqual([]);
  });

  it('leaves the connection free between pages (another statement can run while a page is awaited)', () => {
    const pages = p.store.documents.splitPages('dev', 2);
    const first = pages.next();
    expect(first.done).toBe(false);
    p.store.documents.setStatus(p.store.documents.idByExtId('doc-01')!, 'done');
    expect(pages.next().done).toBe(false);
  });
});
