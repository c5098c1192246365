import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocStatus } from '../../shared/contract';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { HISTOGRAM_EDGES, bucketOf, projectStats } from './stats';
import { EVALUATION_SPLITS, trainingDocsWhere } from './training-docs';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.close());

function addDoc(ext: string, split: string, status: DocStatus = 'pending'): number {
  return Number(p.db.prepare("INSERT INTO documents (ext_id, text, split, status) VALUES (?, 'text', ?, ?)").run(ext, split, status).lastInsertRowid);
}
function addLabel(code: string, kind: 'code' | 'category' = 'code', flagged = 0): number {
  return Number(p.db.prepare('INSERT INTO labels (code, title, kind, flagged) VALUES (?, ?, ?, ?)').run(code, `title ${code}`, kind, flagged).lastInsertRowid);
}
function assign(doc: number, label: number, present = 1): void {
  p.db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, ?, 'imported', 'now')").run(doc, label, present);
}

describe('bucketOf: zero (0), few (1–5), mid (6–50), head (> 50)', () => {
  it('puts each boundary on the right side', () => {
    expect([0, 1, 5, 6, 50, 51, 10_000].map(bucketOf)).toEqual(['zero', 'few', 'few', 'mid', 'mid', 'head', 'head']);
  });
});

describe('HISTOGRAM_EDGES', () => {
  it('covers every count from 0 up exactly once', () => {
    for (let n = 0; n <= 1000; n++) expect(HISTOGRAM_EDGES.filter(([from, to]) => n >= from && (to === null || n <= to)), String(n)).toHaveLength(1);
    expect(HISTOGRAM_EDGES.at(-1)![1]).toBeNull();
  });
});

describe('projectStats', () => {
  it('buckets labels by training-document count at the 0/1/5/6/50/51 boundaries, skipping categories', () => {
    const train = Array.from({ length: 51 }, (_, i) => addDoc(`t${i}`, 'train'));
    const counts = { L0: 0, L1: 1, L5: 5, L6: 6, L50: 50, L51: 51 };
    for (const [code, n] of Object.entries(counts)) {
      const label = addLabel(code);
      for (let i = 0; i < n; i++) assign(train[i]!, label);
    }
    const chapter = addLabel('CH01', 'category');
    assign(train[0]!, chapter); // even if assigned, a category is not a zero-/few-shot label
    addLabel('Q99.9X', 'code', 1); // flagged: created by a corpus, missing from the catalogue

    const s = projectStats(p.store, 'proj');
    // The total is the assignable labels, so the buckets add up to it (issue #14 bug 13); the chapter is apart.
    expect(s.labels).toEqual({ total: 7, categories: 1, used: 6, flagged: 1, buckets: { zero: 2, few: 2, mid: 2, head: 1 } });
    const { zero, few, mid, head } = s.labels.buckets;
    expect(zero + few + mid + head).toBe(s.labels.total);
    expect(s.histogram.reduce((a, b) => a + b.labels, 0)).toBe(s.labels.total);
    expect(s.histogram).toEqual([
      { from: 0, to: 0, labels: 2 },
      { from: 1, to: 1, labels: 1 },
      { from: 2, to: 2, labels: 0 },
      { from: 3, to: 5, labels: 1 },
      { from: 6, to: 10, labels: 1 },
      { from: 11, to: 20, labels: 0 },
      { from: 21, to: 50, labels: 1 },
      { from: 51, to: 100, labels: 1 },
      { from: 101, to: 500, labels: 0 },
      { from: 501, to: null, labels: 0 },
    ]);
    expect(s.topLabels.map((l) => [l.code, l.trainCount])).toEqual([
      ['L51', 51],
      ['L50', 50],
      ['L6', 6],
      ['L5', 5],
      ['CH01', 1],
      ['L1', 1],
    ]);
    expect(s.assignments).toBe(1 + 5 + 6 + 50 + 51 + 1);
    expect(s.documents).toEqual({ total: 51, train: 51 });
  });

  it('counts only training documents: dev/test never, even when done; done pool docs do; rejections never', () => {
    const label = addLabel('A');
    const other = addLabel('B');
    assign(addDoc('train-pending', 'train'), label);
    assign(addDoc('pool-done', 'pool', 'done'), label);
    assign(addDoc('pool-pending', 'pool'), label);
    assign(addDoc('dev-done', 'dev', 'done'), label);
    assign(addDoc('test-done', 'test', 'done'), label);
    assign(addDoc('train-rejected', 'train'), other, 0);

    const s = projectStats(p.store, 'proj');
    expect(s.topLabels).toEqual([{ code: 'A', title: 'title A', trainCount: 2 }]);
    expect(s.labels).toMatchObject({ used: 1, buckets: { zero: 1, few: 1, mid: 0, head: 0 } });
    expect(s.assignments).toBe(5);
    expect(s.annotated).toBe(3);
    expect(s.documents).toEqual({ total: 6, dev: 1, pool: 2, test: 1, train: 2 });
  });

  it('an empty project has all-zero stats and the full histogram', () => {
    const s = projectStats(p.store, 'empty');
    expect(s).toMatchObject({ projectId: 'empty', documents: { total: 0 }, labels: { total: 0, categories: 0, used: 0, flagged: 0, buckets: { zero: 0, few: 0, mid: 0, head: 0 } }, assignments: 0, annotated: 0, topLabels: [] });
    expect(s.histogram).toHaveLength(HISTOGRAM_EDGES.length);
  });
});

describe('trainingDocsWhere', () => {
  it('selects train docs and done non-evaluation docs, never dev or test', () => {
    const rows: [string, string, DocStatus, boolean][] = [
      ['a', 'train', 'pending', true],
      ['b', 'train', 'skipped', true],
      ['c', 'pool', 'done', true],
      ['d', 'pool', 'review', false],
      ['e', 'pool', 'pending', false],
      ['f', 'dev', 'done', false],
      ['g', 'test', 'done', false],
      ['h', 'extra', 'done', true],
      ['i', 'dev', 'pending', false],
    ];
    for (const [ext, split, status] of rows) addDoc(ext, split, status);
    const selected = p.db.prepare(`SELECT ext_id FROM documents d WHERE ${trainingDocsWhere()} ORDER BY ext_id`).pluck().all();
    expect(selected).toEqual(rows.filter((r) => r[3]).map((r) => r[0]));
    const aliased = p.db.prepare(`SELECT COUNT(*) FROM documents doc WHERE ${trainingDocsWhere('doc')}`).pluck().get();
    expect(aliased).toBe(4);
  });

  it('keeps every evaluation split out of training, as the corpus loader assumes', () => {
    for (const split of EVALUATION_SPLITS) addDoc(`done-${split}`, split, 'done');
    const selected = p.db.prepare(`SELECT COUNT(*) FROM documents d WHERE ${trainingDocsWhere()}`).pluck().get();
    expect(EVALUATION_SPLITS.length).toBeGreaterThan(0);
    expect(selected).toBe(0);
  });
});
