/**
 * The model-free queue orders over the keyword index (queue/keyword-build.ts): rare labels first,
 * more of one label, documents like one document, and the seeded shuffle and full-text search,
 * each as a `Ranker` the ranking cache keeps current.
 */
import { PlanterError } from '../../../shared/errors';
import type { QueueRepo, Scope } from '../../store/queue-repo';
import { cover, isWord, matchedSeeds, sortedHas, type Seed } from '../queue-keywords';
import type { KeywordBuild } from './keyword-build';
import { MIN_COVERAGE, TOP_LABELS } from './keyword-build';
import type { Ranker, Shown } from './ranker';
import { bestRare, migBlend, rankInSlices, RARE_MAX_TRAIN_DOCS, rarity, shuffleKey, yieldNow, type Ranked } from './ranking';
import { labelName, plural, rareReason } from './reasons';
import { TrainCounts } from './train-counts';
import { TrainingWords } from './training-words';

const MIG_SEEDS = 3;
const BY_LABEL_DESCRIPTION_SEEDS = 5;
const BY_LABEL_MIG_SEEDS = 8;

const words = (build: KeywordBuild, seeds: readonly Seed[]): string => seeds.map((s) => build.corpus.word(s.token)).join(', ');

/** The seeds a document at `position` holds (from its sorted token list). */
function held(build: KeywordBuild, position: number, seeds: readonly Seed[]): Seed[] {
  const tokens = build.corpus.tokensOf(position);
  return matchedSeeds(seeds, (t) => sortedHas(tokens, t));
}

/** Documents ranked by a shuffle key of their id and a seed: the same seed, the same order. */
export class RandomRanker implements Ranker {
  constructor(
    private readonly repo: QueueRepo,
    private readonly scope: Scope,
    private readonly seed: number,
  ) {}
  rank(): Promise<Ranked> {
    return rankInSlices(this.repo.idsInSlices(this.scope), (id) => shuffleKey(id, this.seed));
  }
  score(docId: number): number {
    return shuffleKey(docId, this.seed);
  }
  refresh(): readonly number[] {
    return [];
  }
  show(page: { ids: readonly number[] }): Shown[] {
    return page.ids.map(() => ({ score: null, reason: null }));
  }
}

/** Full-text search (FTS5 bm25), best matches first, with the matched words as the reason. */
export class SearchRanker implements Ranker {
  readonly #excerpts = new Map<number, string>();
  constructor(
    private readonly repo: QueueRepo,
    private readonly scope: Scope,
    private readonly query: string,
  ) {}
  async rank(): Promise<Ranked> {
    const hits = this.repo.search(this.query, this.scope);
    for (const h of hits) this.#excerpts.set(h.id, h.excerpt.replace(/\s+/g, ' '));
    return { ids: hits.map((h) => h.id), scores: hits.map((h) => -h.rank) };
  }
  score(docId: number): number | null {
    return this.repo.searchScore(this.query, docId);
  }
  refresh(): readonly number[] {
    return [];
  }
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((id, i) => ({ score: page.scores[i]!, reason: this.#excerpts.get(id) ?? null }));
  }
}

interface MigEntry {
  key: string;
  seeds: Seed[];
  /** position → score (coverage × matched weight × α × rarity) */
  hits: Map<number, number>;
}

/**
 * Rare labels first, before any model: each document's best label with ≤ 5 training documents
 * by description evidence × rarity, and for few-shot labels (1–5 examples) also by their MIG
 * tokens, weighted by α = n / (n + 2) (the description-grade blend). Documents without such
 * evidence, or not indexed yet, follow in import order (score 0), so the order covers the scope.
 */
export class RareFirstKeywords implements Ranker {
  readonly #counts: TrainCounts;
  readonly #mig = new Map<number, MigEntry>();
  readonly #migByPosition = new Map<number, Set<number>>();
  #training: TrainingWords | null = null;
  /** One [D] buffer for every cover of MIG seeds (a fresh one per label was gigabytes at 250k). */
  #scratch = new Float64Array(0);
  /** Labels the order draws on: zero-shot ones (descriptions) and few-shot ones (descriptions and MIG). */
  readonly labelsUsed: number;

  /** With MIG seeds once the index is complete, found in time slices (thousands of few-shot labels). */
  static async create(repo: QueueRepo, build: KeywordBuild, scope: Scope): Promise<RareFirstKeywords> {
    const ranker = new RareFirstKeywords(repo, build, scope);
    if (build.complete) {
      ranker.#training = new TrainingWords(build.corpus, repo.trainingDocIds());
      let deadline = performance.now() + 8;
      for (const [labelId, positives] of repo.fewShotPositives(RARE_MAX_TRAIN_DOCS)) {
        ranker.#setMig(labelId, positives);
        if (performance.now() > deadline) {
          await yieldNow();
          deadline = performance.now() + 8;
        }
      }
    }
    return ranker;
  }

  private constructor(
    private readonly repo: QueueRepo,
    private readonly build: KeywordBuild,
    private readonly scope: Scope,
  ) {
    this.#counts = new TrainCounts(repo);
    let used = 0;
    const labels = build.labels!;
    for (let l = 0; l < labels.size; l++) if (this.#count(labels.ids[l]!) <= RARE_MAX_TRAIN_DOCS) used++;
    this.labelsUsed = used;
  }

  /** True once MIG seeds take part (the index is complete). */
  get withMig(): boolean {
    return this.#training !== null;
  }

  async rank(): Promise<Ranked> {
    // One pass over the evidence table and the MIG hits (no call or allocation per document):
    // 250,000 documents took seconds through #best.
    const labels = this.build.labels!;
    const rare = new Float32Array(labels.size);
    for (let l = 0; l < labels.size; l++) {
      const n = this.#count(labels.ids[l]!);
      rare[l] = n <= RARE_MAX_TRAIN_DOCS ? rarity(n) : 0;
    }
    const { labels: slots, values, documents } = this.build.evidenceTable();
    const best = new Float64Array(documents);
    for (let p = 0; p < documents; p++) {
      let b = 0;
      for (let k = p * TOP_LABELS, end = k + TOP_LABELS; k < end; k++) {
        const l = slots[k]!;
        if (l < 0) break;
        const s = values[k]! * rare[l]!;
        if (s > b) b = s;
      }
      best[p] = b;
    }
    for (const { hits } of this.#mig.values()) for (const [p, s] of hits) if (s > best[p]!) best[p] = s;
    const corpus = this.build.corpus;
    return rankInSlices(this.repo.idsInSlices(this.scope), (id) => {
      const p = corpus.docIndex(id);
      return p === undefined ? 0 : best[p]!;
    });
  }

  score(docId: number): number {
    return this.#best(docId).score;
  }

  refresh(changed: readonly number[]): readonly number[] {
    const moved = this.#counts.refresh(changed);
    // Before the early return: a document without labels can join the training set too.
    this.#training?.update(changed, this.repo.trainingAmong(changed));
    if (moved.length === 0) return [];
    const affected = new Set<number>();
    const dense = new Set(moved.map((l) => this.build.labels!.dense(l)).filter((d): d is number => d !== undefined));
    const corpus = this.build.corpus;
    const { labels: slots, documents } = this.build.evidenceTable();
    for (let k = 0; k < documents * TOP_LABELS; k++) if (slots[k]! >= 0 && dense.has(slots[k]!)) affected.add(corpus.docIds[Math.floor(k / TOP_LABELS)]!);
    if (this.#training) {
      // A document became (or stopped being) training data: MIG counts moved (updated above).
      for (const l of moved) {
        for (const p of this.#mig.get(l)?.hits.keys() ?? []) affected.add(corpus.docIds[p]!);
        this.#setMig(l, this.repo.positivesOf(l));
        for (const p of this.#mig.get(l)?.hits.keys() ?? []) affected.add(corpus.docIds[p]!);
      }
    }
    return [...affected];
  }

  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    const labels = this.build.labels!;
    return page.ids.map((id, i) => {
      const best = this.#best(id);
      const position = this.build.corpus.docIndex(id);
      if (best.labelId < 0 || position === undefined) {
        return { score: page.scores[i]!, reason: position === undefined ? 'not indexed yet' : 'no keyword evidence for a rare label' };
      }
      const dense = labels.dense(best.labelId)!;
      const seeds = best.mig ? this.#mig.get(best.labelId)!.seeds : labels.seedsOf(dense);
      const reason = rareReason(labels.codes[dense]!, labels.titles[dense]!, this.#count(best.labelId), words(this.build, held(this.build, position, seeds)));
      return { score: page.scores[i]!, reason };
    });
  }

  #count(labelId: number): number {
    return this.#counts.get(labelId);
  }

  /** Training documents of a label as this order last saw them. */
  trainCount(labelId: number): number {
    return this.#counts.get(labelId);
  }

  #best(docId: number): { score: number; labelId: number; mig: boolean } {
    const position = this.build.corpus.docIndex(docId);
    if (position === undefined) return { score: 0, labelId: -1, mig: false };
    const ids = this.build.labels!.ids;
    const candidates: { label: number; evidence: number }[] = [];
    this.build.evidenceOf(position, (dense, evidence) => candidates.push({ label: ids[dense]!, evidence }));
    const description = bestRare(candidates, (l) => this.#count(l));
    let best = { score: description.score, labelId: description.index >= 0 ? candidates[description.index]!.label : -1, mig: false };
    for (const labelId of this.#migByPosition.get(position) ?? []) {
      const s = this.#mig.get(labelId)!.hits.get(position)!;
      if (s > best.score) best = { score: s, labelId, mig: true };
    }
    return best;
  }

  #setMig(labelId: number, positives: readonly number[]): void {
    const old = this.#mig.get(labelId);
    for (const p of old?.hits.keys() ?? []) this.#migByPosition.get(p)?.delete(labelId);
    this.#mig.delete(labelId);
    const n = positives.length;
    const labels = this.build.labels!;
    const dense = labels.dense(labelId);
    if (!this.#training || n === 0 || n > RARE_MAX_TRAIN_DOCS || dense === undefined) return;
    const corpus = this.build.corpus;
    const seeds = this.#training.seeds(positives, MIG_SEEDS, (t) => labels.tokenWeight(t, (x) => corpus.idf(x)));
    const weight = migBlend(n) * rarity(n);
    const hits = new Map<number, number>();
    if (this.#scratch.length < corpus.numDocs) this.#scratch = new Float64Array(corpus.numDocs);
    cover(seeds, (t) => corpus.postings(t), null, MIN_COVERAGE, this.#scratch, (p, coverage, matched) => {
      hits.set(p, coverage * matched * weight);
      let set = this.#migByPosition.get(p);
      if (!set) this.#migByPosition.set(p, (set = new Set()));
      set.add(labelId);
    });
    this.#mig.set(labelId, { key: positives.join(','), seeds, hits });
  }
}

/** "Find more examples of this label": documents holding its description and MIG keywords. */
export class ByLabelKeywords implements Ranker {
  readonly seeds: Seed[];
  readonly #hits = new Map<number, number>();
  readonly #code: string;
  readonly #title: string;
  readonly #trainDocs: number;

  constructor(
    private readonly repo: QueueRepo,
    private readonly build: KeywordBuild,
    private readonly scope: Scope,
    private readonly labelId: number,
  ) {
    const label = repo.label(labelId);
    if (!label) throw new PlanterError('not-found', `no label ${labelId}`);
    this.#code = label.code;
    this.#title = label.title;
    const corpus = build.corpus;
    const labels = build.labels!;
    const dense = labels.dense(labelId);
    const idf = (t: number): number => corpus.idf(t);
    const positives = repo.positivesOf(labelId);
    this.#trainDocs = positives.length;
    const description = dense === undefined ? [] : labels.descriptionSeeds(dense, BY_LABEL_DESCRIPTION_SEEDS, idf, (t) => tooCommonIn(build, t));
    const mig = positives.length ? new TrainingWords(corpus, repo.trainingDocIds()).seeds(positives, BY_LABEL_MIG_SEEDS, (t) => labels.tokenWeight(t, idf)) : [];
    // A token in both lists counts once, at its larger weight.
    const merged = new Map<number, number>();
    for (const s of [...description, ...mig]) merged.set(s.token, Math.max(merged.get(s.token) ?? 0, s.weight));
    this.seeds = [...merged].map(([token, weight]) => ({ token, weight })).sort((a, b) => b.weight - a.weight || a.token - b.token);
    cover(this.seeds, (t) => corpus.postings(t), null, 0, new Float64Array(corpus.numDocs), (p, coverage, weight) => this.#hits.set(corpus.docIds[p]!, coverage * weight));
  }

  get seedWords(): string {
    return words(this.build, this.seeds);
  }

  rank(): Promise<Ranked> {
    return rankInSlices(this.repo.idsInSlices(this.scope), (id) => this.#hits.get(id) ?? null);
  }
  score(docId: number): number | null {
    return this.#hits.get(docId) ?? null;
  }
  refresh(changed: readonly number[]): readonly number[] | 'all' {
    // New examples of the label change its MIG keywords: rank again with them.
    return this.repo.labelsOn(changed).includes(this.labelId) && this.repo.positivesOf(this.labelId).length !== this.#trainDocs ? 'all' : [];
  }
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((id, i) => {
      const position = this.build.corpus.docIndex(id);
      const matched = position === undefined ? [] : held(this.build, position, this.seeds);
      return { score: page.scores[i]!, reason: `${labelName(this.#code, this.#title)}: ${words(this.build, matched)}` };
    });
  }
}

function tooCommonIn(build: KeywordBuild, token: number): boolean {
  return build.corpus.df(token) > Math.max(3, 0.05 * build.corpus.numDocs);
}

/** Documents sharing distinctive words with one document (TF-IDF cosine over the index). */
export class SimilarKeywords implements Ranker {
  readonly #hits = new Map<number, { score: number; shared: number[] }>();

  constructor(
    private readonly repo: QueueRepo,
    private readonly build: KeywordBuild,
    private readonly scope: Scope,
    docId: number,
  ) {
    const corpus = build.corpus;
    const source = corpus.docIndex(docId);
    if (source === undefined) throw new PlanterError('not-found', `no document ${docId}`);
    const scores = new Map<number, number>();
    const shared = new Map<number, { token: number; w: number }[]>();
    const tokens = corpus.tokensOf(source);
    const counts = corpus.countsOf(source);
    const maxDf = 0.3 * corpus.numDocs;
    tokens.forEach((t, j) => {
      if (corpus.df(t) > maxDf) return;
      const idf = corpus.idf(t);
      const wq = counts[j]! * idf;
      const word = isWord(corpus.word(t));
      for (const d of corpus.postings(t)) {
        if (d === source) continue;
        const dt = corpus.tokensOf(d);
        let lo = 0;
        let hi = dt.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (dt[mid]! < t) lo = mid + 1;
          else hi = mid;
        }
        const w = wq * corpus.countsOf(d)[lo]! * idf;
        scores.set(d, (scores.get(d) ?? 0) + w);
        if (word) {
          const list = shared.get(d) ?? [];
          list.push({ token: t, w });
          shared.set(d, list);
        }
      }
    });
    const norm = corpus.norm(source);
    for (const [d, list] of shared) {
      const denom = norm * corpus.norm(d);
      if (denom <= 0) continue;
      list.sort((a, b) => b.w - a.w);
      this.#hits.set(corpus.docIds[d]!, { score: scores.get(d)! / denom, shared: list.slice(0, 4).map((x) => x.token) });
    }
  }

  rank(): Promise<Ranked> {
    return rankInSlices(this.repo.idsInSlices(this.scope), (id) => this.#hits.get(id)?.score ?? null);
  }
  score(docId: number): number | null {
    return this.#hits.get(docId)?.score ?? null;
  }
  refresh(): readonly number[] {
    return [];
  }
  show(page: { ids: readonly number[]; scores: readonly number[] }): Shown[] {
    return page.ids.map((id, i) => ({ score: page.scores[i]!, reason: `shared words: ${(this.#hits.get(id)?.shared ?? []).map((t) => this.build.corpus.word(t)).join(', ')}` }));
  }
}

export const rareLabelsNote = (labels: number, withMig: boolean): string =>
  `Keyword evidence for ${plural(labels, 'label')} with ≤ ${RARE_MAX_TRAIN_DOCS} training documents (their descriptions${withMig ? ' and MIG tokens' : ''})`;
