/**
 * The queue orders that use a trained model's scores (services/queue-model.ts: each scored
 * document keeps its best labels and its uncertainty), and the two ways they join a keyword
 * order: fused (rare-first, by-label: the larger of the two normalised scores) and blended
 * (similar: half each).
 */
import type { QueueRepo, Scope } from '../../store/queue-repo';
import { profileCosine, scoreFor, type DocScores, type ModelScores } from '../queue-model';
import type { Ranker, Shown } from './ranker';
import { maxOf, rankInSlices, RARE_MAX_TRAIN_DOCS, rarity, type Ranked } from './ranking';
import { modelScoreText, rareReason, uncertaintyReason } from './reasons';
import { TrainCounts } from './train-counts';

abstract class ModelRanker implements Ranker {
  constructor(
    protected readonly repo: QueueRepo,
    protected readonly scope: Scope,
    protected readonly m: ModelScores,
  ) {}
  abstract score(docId: number): number | null;
  rank(): Promise<Ranked> {
    return rankInSlices(this.repo.idsInSlices(this.scope), (id) => this.score(id));
  }
  refresh(_changed: readonly number[]): readonly number[] | 'all' {
    return [];
  }
  abstract show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[];
  protected doc(docId: number): DocScores | undefined {
    return this.m.byDoc.get(docId);
  }
}

/** The model's least certain documents first (labels scored nearest their thresholds). */
export class UncertaintyRanker extends ModelRanker {
  score(docId: number): number | null {
    const d = this.doc(docId);
    return d && d.uncertainLabel >= 0 ? d.uncertainty : null;
  }
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((id, i) => {
      const d = this.doc(id)!;
      const l = d.uncertainLabel;
      return { score: page.scores[i]!, reason: uncertaintyReason(this.m.codes[l]!, this.m.titles[l]!, d.uncertainScore, this.m.thresholds[l]!) };
    });
  }
}

/** Rare-first by the model: each document's best score among labels with ≤ 5 examples, × rarity. */
export class RareByModel extends ModelRanker {
  readonly #counts: TrainCounts;
  constructor(repo: QueueRepo, scope: Scope, m: ModelScores) {
    super(repo, scope, m);
    this.#counts = new TrainCounts(repo);
  }
  score(docId: number): number | null {
    return this.#best(docId)?.score ?? null;
  }
  override refresh(changed: readonly number[]): readonly number[] {
    const moved = new Set(this.#counts.refresh(changed));
    if (moved.size === 0) return [];
    const out: number[] = [];
    for (const [docId, d] of this.m.byDoc) if ([...d.labels].some((l) => l >= 0 && moved.has(this.m.labelIds[l] ?? -1))) out.push(docId);
    return out;
  }
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((id, i) => {
      const b = this.#best(id)!;
      return { score: page.scores[i]!, reason: rareReason(this.m.codes[b.label]!, this.m.titles[b.label]!, this.#counts.get(this.m.labelIds[b.label]!), modelScoreText(b.raw)) };
    });
  }
  #best(docId: number): { score: number; label: number; raw: number } | null {
    const d = this.doc(docId);
    if (!d) return null;
    let best: { score: number; label: number; raw: number } | null = null;
    for (let i = 0; i < d.labels.length; i++) {
      const l = d.labels[i]!;
      const labelId = l >= 0 ? this.m.labelIds[l] : null;
      if (labelId === null || labelId === undefined) continue;
      const n = this.#counts.get(labelId);
      if (n > RARE_MAX_TRAIN_DOCS) continue;
      const s = d.scores[i]! * rarity(n);
      if (s > (best?.score ?? 0)) best = { score: s, label: l, raw: d.scores[i]! };
    }
    return best;
  }
}

/** An order about one thing: a model label (by-label) or a source document (similar). */
abstract class SubjectRanker extends ModelRanker {
  constructor(
    repo: QueueRepo,
    scope: Scope,
    m: ModelScores,
    protected readonly subject: number,
  ) {
    super(repo, scope, m);
  }
}

/** The model's score for one label (the subject: a model label index), when it is among a document's best labels. */
export class ByLabelModel extends SubjectRanker {
  score(docId: number): number | null {
    const d = this.doc(docId);
    return d ? scoreFor(d, this.subject) : null;
  }
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((_, i) => ({ score: page.scores[i]!, reason: `${this.m.codes[this.subject]}: ${modelScoreText(page.scores[i]!)}` }));
  }
}

/** Documents the model scores like the subject document: cosine of their label-score profiles. */
export class SimilarModel extends SubjectRanker {
  score(docId: number): number | null {
    const a = this.doc(this.subject);
    const b = this.doc(docId);
    return a && b && docId !== this.subject ? profileCosine(a, b) : null;
  }
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((_, i) => ({ score: page.scores[i]!, reason: `model profile ${page.scores[i]!.toFixed(2)}` }));
  }
}

/**
 * Two orders of the same documents joined: each score divided by its side's largest at the time
 * the order was made (kept, so one document's update never rescales the rest), then the larger
 * (`fused`) or the mean (`blended`, over the model side's documents only).
 */
export class JoinedRanker implements Ranker {
  #scaleA = 1;
  #scaleB = 1;
  constructor(
    private readonly a: Ranker,
    private readonly b: Ranker,
    private readonly how: 'fused' | 'blended',
  ) {}
  async rank(): Promise<Ranked> {
    const ra = await this.a.rank();
    const rb = await this.b.rank();
    this.#scaleA = maxOf(ra.scores, 1e-12);
    this.#scaleB = maxOf(rb.scores, 1e-12);
    const ids = this.how === 'fused' ? [...new Set([...ra.ids, ...rb.ids])] : rb.ids;
    return rankInSlices(ids, (id) => this.score(id));
  }
  score(docId: number): number | null {
    const a = this.a.score(docId);
    const b = this.b.score(docId);
    const na = a === null ? null : a / this.#scaleA;
    const nb = b === null ? null : b / this.#scaleB;
    if (this.how === 'blended') return nb === null ? null : 0.5 * nb + 0.5 * (na ?? 0);
    if (na === null) return nb;
    if (nb === null) return na;
    return Math.max(na, nb);
  }
  refresh(changed: readonly number[]): readonly number[] | 'all' {
    const ra = this.a.refresh(changed);
    const rb = this.b.refresh(changed);
    return ra === 'all' || rb === 'all' ? 'all' : [...new Set([...ra, ...rb])];
  }
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((id, i) => {
      const a = this.a.score(id);
      const b = this.b.score(id);
      const shownA = a === null ? null : this.a.show({ ids: [id], scores: [a] })[0]!;
      const shownB = b === null ? null : this.b.show({ ids: [id], scores: [b] })[0]!;
      const reason =
        this.how === 'blended'
          ? [shownB?.reason, shownA?.reason].filter(Boolean).join('; ') || null
          : (b !== null && (a === null || b / this.#scaleB > a / this.#scaleA) ? shownB : shownA)?.reason ?? null;
      return { score: page.scores[i]!, reason };
    });
  }
}
