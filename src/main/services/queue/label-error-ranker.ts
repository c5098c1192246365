/**
 * The label-errors order: the training documents of the scope whose gold labels the out-of-fold
 * audit flagged (queue/label-audits.ts), the most suspicious first, each with the flagged labels
 * and why. A document written to since the audit leaves the order: someone looked at it, and its
 * flags are about labels it may no longer have (the next audit judges it again).
 */
import { flagText } from '../../label-errors/suspicion';
import type { QueueRepo, Scope } from '../../store/queue-repo';
import type { AuditResult } from './label-audits';
import type { Ranker, Shown } from './ranker';
import { rankInSlices, type Ranked } from './ranking';
import { labelErrorReason } from './reasons';

export class LabelErrorRanker implements Ranker {
  readonly #touched = new Set<number>();

  constructor(
    private readonly repo: QueueRepo,
    private readonly scope: Scope,
    private readonly audit: AuditResult,
  ) {}

  rank(): Promise<Ranked> {
    return rankInSlices(this.repo.idsInSlices(this.scope), (id) => this.score(id));
  }

  score(docId: number): number | null {
    if (this.#touched.has(docId)) return null;
    return this.audit.byDoc.get(docId)?.suspicion ?? null;
  }

  refresh(changed: readonly number[]): readonly number[] {
    for (const id of changed) if (this.audit.byDoc.has(id)) this.#touched.add(id);
    return [];
  }

  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((id, i) => {
      const flags = this.audit.byDoc.get(id)?.flags ?? [];
      const named = flags.map((f) => {
        const l = this.audit.labels.get(f.labelId);
        return { code: l?.code ?? `#${f.labelId}`, title: l?.title ?? '', text: flagText(f) };
      });
      return { score: page.scores[i]!, reason: named.length ? labelErrorReason(named) : null };
    });
  }
}
