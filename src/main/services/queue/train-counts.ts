import type { QueueRepo } from '../../store/queue-repo';

/** Training documents per label as an order last saw them, and which labels moved since. */
export class TrainCounts {
  readonly #counts: Map<number, number>;
  readonly #repo: QueueRepo;

  constructor(repo: QueueRepo) {
    this.#repo = repo;
    this.#counts = repo.trainCounts();
  }

  get(labelId: number): number {
    return this.#counts.get(labelId) ?? 0;
  }

  /** Re-reads the labels on the changed documents; returns those whose count moved. */
  refresh(changedDocs: readonly number[]): number[] {
    const labels = this.#repo.labelsOn(changedDocs);
    const now = this.#repo.trainCountsOf(labels);
    const moved = labels.filter((l) => (now.get(l) ?? 0) !== this.get(l));
    for (const l of moved) this.#counts.set(l, now.get(l) ?? 0);
    return moved;
  }
}
