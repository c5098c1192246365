import type { FrequencyBuckets, ProjectStats } from '../../shared/contract';
import type { Db } from './db';
import type { ProjectStore } from './project-store';

/** The frequency buckets of PLANT.md §3: zero (0), few (1–5), mid (6–50), head (> 50) training docs. */
export function bucketOf(trainCount: number): keyof FrequencyBuckets {
  if (trainCount === 0) return 'zero';
  if (trainCount <= 5) return 'few';
  if (trainCount <= 50) return 'mid';
  return 'head';
}

/** Histogram bins on a roughly logarithmic scale so the long tail stays visible. */
export const HISTOGRAM_EDGES: readonly [number, number | null][] = [
  [0, 0],
  [1, 1],
  [2, 2],
  [3, 5],
  [6, 10],
  [11, 20],
  [21, 50],
  [51, 100],
  [101, 500],
  [501, null],
];

const kindsCache = new WeakMap<Db, { version: string; rows: { kind: string; flagged: number; n: number }[] }>();

/**
 * Labels per kind and flag. They change only with an import (every import adds an `imports` row,
 * new labels a larger id), so the 94,000-row count is kept until then.
 */
function labelKinds(db: Db): { kind: string; flagged: number; n: number }[] {
  const version = `${db.prepare('SELECT COALESCE(MAX(id), 0) FROM labels').pluck().get() as number}/${db.prepare('SELECT COUNT(*) FROM imports').pluck().get() as number}`;
  const kept = kindsCache.get(db);
  if (kept?.version === version) return kept.rows;
  const rows = db.prepare('SELECT kind, flagged, COUNT(*) AS n FROM labels GROUP BY kind, flagged').all() as { kind: string; flagged: number; n: number }[];
  kindsCache.set(db, { version, rows });
  return rows;
}

/**
 * The overview's numbers, from the counters the schema keeps (migration 0005: `doc_counts`,
 * `label_counts`), so they cost a few hundred index rows at 250,000 documents × 94,000 labels
 * rather than a pass over every label and assignment (779 ms before, docs/benchmarks.md#scale).
 * `labels.total` is the assignable labels, which the buckets and the histogram add up to;
 * chapters and blocks are counted apart (`labels.categories`).
 */
export function projectStats(store: ProjectStore, projectId: string): ProjectStats {
  const db = store.db;
  const docRows = db.prepare('SELECT split, status, n FROM doc_counts WHERE n > 0 ORDER BY split').all() as { split: string; status: string; n: number }[];
  const documents: Record<string, number> = { total: 0 };
  let annotated = 0;
  for (const r of docRows) {
    documents[r.split] = (documents[r.split] ?? 0) + r.n;
    documents.total! += r.n;
    if (r.status === 'done') annotated += r.n;
  }
  const kinds = labelKinds(db);
  const codes = kinds.filter((k) => k.kind === 'code').reduce((a, k) => a + k.n, 0);
  const categories = kinds.filter((k) => k.kind === 'category').reduce((a, k) => a + k.n, 0);
  const flagged = kinds.filter((k) => k.flagged === 1).reduce((a, k) => a + k.n, 0);
  const used = db.prepare('SELECT COUNT(*) FROM label_counts WHERE used > 0').pluck().get() as number;
  const assignments = db.prepare('SELECT COALESCE(SUM(used), 0) FROM label_counts').pluck().get() as number;
  // Labels with training documents, by count (the counters' own index), less the few chapters and
  // blocks among them: the zero bin is every other assignable label.
  const byCount = new Map(db.prepare('SELECT train, COUNT(*) FROM label_counts WHERE train > 0 GROUP BY train').raw().all() as [number, number][]);
  const categories_ = db
    .prepare("SELECT c.train, COUNT(*) FROM labels l JOIN label_counts c ON c.label_id = l.id WHERE l.kind = 'category' AND c.train > 0 GROUP BY c.train")
    .raw()
    .all() as [number, number][];
  for (const [train, n] of categories_) byCount.set(train, byCount.get(train)! - n);
  const buckets: FrequencyBuckets = { zero: codes, few: 0, mid: 0, head: 0 };
  const histogram = HISTOGRAM_EDGES.map(([from, to]) => ({ from, to, labels: from === 0 ? codes : 0 }));
  for (const [train, n] of byCount) {
    buckets.zero -= n;
    buckets[bucketOf(train)] += n;
    histogram[0]!.labels -= n;
    const bin = histogram.find((b) => train >= b.from && (b.to === null || train <= b.to));
    if (bin) bin.labels += n;
  }
  // Everything tied with the tenth count comes back, so the tie-break is the same as before (code order).
  const tenth = (db.prepare('SELECT train FROM label_counts WHERE train > 0 ORDER BY train DESC LIMIT 1 OFFSET 9').pluck().get() as number | undefined) ?? 1;
  const topLabels = (
    db.prepare('SELECT l.code, l.title, c.train AS trainCount FROM label_counts c JOIN labels l ON l.id = c.label_id WHERE c.train >= ? AND c.train > 0').all(tenth) as {
      code: string;
      title: string;
      trainCount: number;
    }[]
  )
    .sort((a, b) => b.trainCount - a.trainCount || a.code.localeCompare(b.code))
    .slice(0, 10);
  return {
    projectId,
    documents,
    labels: { total: codes, categories, used, flagged, buckets },
    assignments,
    annotated,
    histogram,
    topLabels,
  };
}
