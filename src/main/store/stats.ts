import type { FrequencyBuckets, ProjectStats } from '../../shared/contract';
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

export function projectStats(store: ProjectStore, projectId: string): ProjectStats {
  const db = store.db;
  const bySplit = store.documents.countBySplit();
  const total = Object.values(bySplit).reduce((a, b) => a + b, 0);
  const labelRows = db.prepare('SELECT id, code, title, kind, flagged FROM labels').all() as {
    id: number;
    code: string;
    title: string;
    kind: string;
    flagged: number;
  }[];
  const usedCounts = new Map(
    (db.prepare('SELECT label_id AS id, COUNT(*) AS n FROM assignments WHERE present = 1 GROUP BY label_id').all() as { id: number; n: number }[]).map((r) => [r.id, r.n]),
  );
  const trainCounts = store.labels.trainCounts();
  const buckets: FrequencyBuckets = { zero: 0, few: 0, mid: 0, head: 0 };
  const histogram = HISTOGRAM_EDGES.map(([from, to]) => ({ from, to, labels: 0 }));
  let used = 0;
  let flagged = 0;
  for (const l of labelRows) {
    if (l.flagged) flagged++;
    if ((usedCounts.get(l.id) ?? 0) > 0) used++;
    const train = trainCounts.get(l.id) ?? 0;
    // Chapters and blocks are never assigned: counting them as zero-shot labels would drown the tail.
    if (l.kind === 'category') continue;
    buckets[bucketOf(train)]++;
    const bin = histogram.find((b) => train >= b.from && (b.to === null || train <= b.to));
    if (bin) bin.labels++;
  }
  const topLabels = labelRows
    .map((l) => ({ code: l.code, title: l.title, trainCount: trainCounts.get(l.id) ?? 0 }))
    .filter((l) => l.trainCount > 0)
    .sort((a, b) => b.trainCount - a.trainCount || a.code.localeCompare(b.code))
    .slice(0, 10);
  const assignments = (db.prepare('SELECT COUNT(*) AS n FROM assignments WHERE present = 1').get() as { n: number }).n;
  const annotated = (db.prepare("SELECT COUNT(*) AS n FROM documents WHERE status = 'done'").get() as { n: number }).n;
  return {
    projectId,
    documents: { total, ...bySplit },
    labels: { total: labelRows.length, used, flagged, buckets },
    assignments,
    annotated,
    histogram,
    topLabels,
  };
}
