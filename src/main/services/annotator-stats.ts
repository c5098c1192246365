import type { AnnotatorStats } from '../../shared/contract';
import type { DecisionRow } from '../store/annotator-stats-repo';

/** A gap between two decisions longer than this is a break, not work on a document (10 minutes). */
export const BREAK_SECONDS = 600;

interface Tally {
  decisions: number;
  accepted: number;
  rejected: number;
  firstAt: string | null;
  lastAt: string | null;
  /** When the previous decision point of this annotator was (ms), and the batch it belonged to. */
  previousMs: number | null;
  previousBatch: number | null;
  /** Active seconds credited to each document. */
  secondsByDoc: Map<number, number>;
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The per-annotator figures of `annotator.stats` from the live log in log order (the definitions
 * are on the `AnnotatorStats` schema). A bulk action is one decision point on the timeline: the
 * gap before it is credited to no document (it is no one document's work) and its events share
 * one time.
 */
export function annotatorStats(decisions: Iterable<DecisionRow>, doneBy: ReadonlyMap<string | null, number>, breakSeconds = BREAK_SECONDS): AnnotatorStats[] {
  const tallies = new Map<string | null, Tally>();
  for (const d of decisions) {
    let t = tallies.get(d.who);
    if (!t) {
      t = { decisions: 0, accepted: 0, rejected: 0, firstAt: null, lastAt: null, previousMs: null, previousBatch: null, secondsByDoc: new Map() };
      tallies.set(d.who, t);
    }
    t.decisions++;
    if (d.action === 'accept') t.accepted++;
    if (d.action === 'reject' && d.score !== null) t.rejected++;
    t.firstAt ??= d.createdAt;
    t.lastAt = d.createdAt;
    const sameBatch = d.batchId !== null && d.batchId === t.previousBatch;
    if (sameBatch) continue;
    const ms = Date.parse(d.createdAt);
    if (t.previousMs !== null && d.batchId === null) {
      const gap = (ms - t.previousMs) / 1000;
      if (gap >= 0 && gap <= breakSeconds) t.secondsByDoc.set(d.docId, (t.secondsByDoc.get(d.docId) ?? 0) + gap);
    }
    t.previousMs = ms;
    t.previousBatch = d.batchId;
  }
  const names = new Set<string | null>([...tallies.keys(), ...doneBy.keys()]);
  const out: AnnotatorStats[] = [];
  for (const annotator of names) {
    const t = tallies.get(annotator);
    const seconds = [...(t?.secondsByDoc.values() ?? [])].sort((a, b) => a - b);
    const accepted = t?.accepted ?? 0;
    const rejected = t?.rejected ?? 0;
    out.push({
      annotator,
      decisions: t?.decisions ?? 0,
      documentsDone: doneBy.get(annotator) ?? 0,
      timedDocuments: seconds.length,
      medianSecondsPerDocument: median(seconds),
      meanSecondsPerDocument: seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : null,
      acceptedSuggestions: accepted,
      rejectedSuggestions: rejected,
      acceptanceRate: accepted + rejected > 0 ? accepted / (accepted + rejected) : null,
      firstAt: t?.firstAt ?? null,
      lastAt: t?.lastAt ?? null,
    });
  }
  // Named annotators by name, then the decisions nobody's name is on.
  return out.sort((a, b) => (a.annotator === null ? 1 : b.annotator === null ? -1 : a.annotator.localeCompare(b.annotator)));
}
