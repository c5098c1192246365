import type { Ranked } from './ranking';

/** What a page shows for one document: the order's score (null for orders without one) and why. */
export interface Shown {
  score: number | null;
  reason: string | null;
}

/**
 * One queue order over one scope, as the ranking cache drives it: rank everything once, then
 * keep the order current a document at a time as annotations change (`refresh` + `score`).
 */
export interface Ranker {
  /** Every document of the order, best first (in time slices: the host answers meanwhile). */
  rank(): Promise<Ranked>;
  /** A document's score now; null when it is not in this order (e.g. no search match). */
  score(docId: number): number | null;
  /**
   * Called with the documents annotation writes touched since the order was last current: updates
   * what the ranker derives from them (training counts, MIG seeds) and returns the other documents
   * whose score may have moved, or 'all' when the order must be ranked again.
   */
  refresh(changed: readonly number[]): readonly number[] | 'all';
  /** Scores and reasons for the documents of a page (reasons are made only for what is shown). */
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[];
}
