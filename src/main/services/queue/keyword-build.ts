/**
 * Builds the queue's keyword side of one corpus version in the background, in time slices of a
 * few milliseconds (the host answers between them; issue #15 measured 36 s without a break at
 * 100,000 documents):
 *
 * 1. corpus statistics for description seeds from an even sample of at most SAMPLE_DOCS documents
 *    (the whole corpus when it is smaller): corpus IDF and the "too common" cut;
 * 2. every assignable label's description tokens, and its evidence seeds, frozen for the version;
 * 3. every document in id order: indexed (queue/corpus-index.ts), and its description evidence
 *    (its best TOP_LABELS labels by coverage × matched weight) found from its own tokens through
 *    the token → labels map, so a document's evidence is final as soon as it is indexed.
 *
 * Rankings may read it from step 3 on and see the documents done so far: the first rare-first
 * page shows what there is, and later requests see more (`generation` says when it grew).
 */
import { insertTop, smoothedIdf, sortedHas, tooCommon } from '../queue-keywords';
import { CorpusIndex } from './corpus-index';
import { LabelSeeds, type LabelDescription } from './label-seeds';
import { CatalogueFingerprint, decodeLabelTokens, encodeLabelTokens } from './label-token-cache';

export interface KeywordSource {
  documentCount(): number;
  /** Documents whose id is a multiple of `every`, after `afterId`, ascending. */
  sampleTexts(every: number, afterId: number, limit: number): { id: number; text: string }[];
  /** Assignable labels after `afterId`, ascending. */
  labelsForSeeds(afterId: number, limit: number): LabelDescription[];
  textsAfter(afterId: number, limit: number): { id: number; text: string }[];
}

/** Where a build keeps the catalogue's tokens between processes (a miss or a failed write only costs time). */
export interface LabelTokenStore {
  read(): Uint8Array | null;
  /** Resolves when the data is kept or could not be (a miss next time); never rejects. */
  write(data: Uint8Array): Promise<void>;
}

export const TOP_LABELS = 4;
/** A document must hold this share of a label's seed weight to count as evidence for it. */
export const MIN_COVERAGE = 0.6;
export const DESCRIPTION_SEEDS = 3;
const SAMPLE_DOCS = 5_000;
/** Short: a request arriving mid-slice waits for the rest of it (the build runs on the host's thread). */
const SLICE_MS = 5;
const READ_BATCH = 400;

export type BuildPhase = 'sampling' | 'labels' | 'documents' | 'complete' | 'failed';

export class KeywordBuild {
  readonly corpus = new CorpusIndex();
  labels: LabelSeeds | null = null;
  readonly totalDocs: number;
  phase: BuildPhase = 'sampling';
  /** When rankings could start (`performance.now()`), null before. */
  usableAt: number | null = null;
  /** Grows whenever more documents are in: an order ranked from fewer is out of date. */
  generation = 0;
  error: Error | null = null;
  readonly finished: Promise<void>;
  readonly #source: KeywordSource;
  readonly #labelCache: LabelTokenStore | null;
  /** The catalogue's tokens came from the cache of an earlier process (false: tokenised here). */
  labelTokensCached = false;
  #cacheWrite: Promise<void> = Promise.resolve();
  #sampleDf = new Map<number, number>();
  #sampleDocs = 0;
  #labels = new Int32Array(0);
  #values = new Float32Array(0);
  /** [L] marks the labels already looked at for the current document. */
  #seen = new Uint8Array(0);
  #candidates = new Int32Array(64);
  #cancelled = false;
  readonly #waiters = new Set<() => void>();

  constructor(source: KeywordSource, options: { sliceMs?: number; labelCache?: LabelTokenStore } = {}) {
    this.#source = source;
    this.#labelCache = options.labelCache ?? null;
    this.totalDocs = source.documentCount();
    this.finished = this.#run(options.sliceMs ?? SLICE_MS);
  }

  /** Settles when the catalogue's tokens are written to the cache (at once when nothing was written). */
  get cacheWritten(): Promise<void> {
    return this.#cacheWrite;
  }

  /** Documents indexed so far (their evidence is final). */
  get indexedDocs(): number {
    return this.corpus.numDocs;
  }

  /** Labels are tokenised and seeded: rankings can start (over the documents indexed so far). */
  get usable(): boolean {
    return this.phase === 'documents' || this.phase === 'complete';
  }

  get complete(): boolean {
    return this.phase === 'complete';
  }

  /** Corpus IDF of the description seeds (from the sample). */
  seedIdf(token: number): number {
    return smoothedIdf(this.#sampleDf.get(token) ?? 0, this.#sampleDocs);
  }

  seedTooCommon(token: number): boolean {
    return tooCommon(this.#sampleDf.get(token) ?? 0, this.#sampleDocs);
  }

  /** Calls `visit` for the document's evidence labels (dense indices), best first. */
  evidenceOf(position: number, visit: (dense: number, evidence: number) => void): void {
    const base = position * TOP_LABELS;
    for (let k = 0; k < TOP_LABELS; k++) {
      const l = this.#labels[base + k]!;
      if (l < 0) return;
      visit(l, this.#values[base + k]!);
    }
  }

  /**
   * Every indexed document's evidence at once, for a ranking pass without a call per document:
   * slots [p × TOP_LABELS, (p + 1) × TOP_LABELS) of position p, label −1 = empty.
   */
  evidenceTable(): { labels: Int32Array; values: Float32Array; documents: number } {
    return { labels: this.#labels, values: this.#values, documents: this.corpus.numDocs };
  }

  /** Resolves when `ready()` holds or after `timeoutMs`, whichever is first. */
  async until(ready: () => boolean, timeoutMs: number): Promise<void> {
    if (ready() || this.phase === 'failed') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const check = (): void => {
        if (ready() || this.phase === 'failed') done();
      };
      function done(): void {
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      }
      const waiters = this.#waiters;
      waiters.add(check);
    });
  }

  cancel(): void {
    this.#cancelled = true;
  }

  async #run(sliceMs: number): Promise<void> {
    const steps = this.#steps();
    try {
      for (;;) {
        const end = performance.now() + sliceMs;
        let r = steps.next();
        while (!r.done && performance.now() < end) r = steps.next();
        for (const w of [...this.#waiters]) w();
        if (r.done || this.#cancelled) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      this.error = e instanceof Error ? e : new Error(String(e));
      this.phase = 'failed';
      for (const w of [...this.#waiters]) w();
    }
  }

  *#steps(): Generator<void> {
    // 1. corpus statistics for seeds, from an even sample
    const every = Math.max(1, Math.ceil(this.totalDocs / SAMPLE_DOCS));
    for (let after = 0; ; ) {
      const rows = this.#source.sampleTexts(every, after, READ_BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        // Tokenised through the index's dictionary (so ids agree), but not added to the index.
        const seen = new Set<number>();
        for (const word of CorpusIndex.words(row.text)) seen.add(this.corpus.tokenId(word));
        for (const t of seen) this.#sampleDf.set(t, (this.#sampleDf.get(t) ?? 0) + 1);
        this.#sampleDocs++;
        yield;
      }
      after = rows.at(-1)!.id;
    }
    // 2. labels and their seeds
    this.phase = 'labels';
    const descriptions: LabelDescription[] = [];
    const cache = this.#labelCache;
    const fingerprint = cache ? new CatalogueFingerprint() : null;
    for (let after = 0; ; ) {
      const rows = this.#source.labelsForSeeds(after, 5000);
      if (rows.length === 0) break;
      descriptions.push(...rows);
      fingerprint?.add(rows);
      after = rows.at(-1)!.id;
      yield;
    }
    const labels = new LabelSeeds(descriptions);
    const catalogue = fingerprint?.digest() ?? '';
    // Read and decoded in separate slices: each is ~5–20 ms for 94,000 labels (11 MB) on a cold process.
    const bytes = cache?.read() ?? null;
    if (bytes) yield;
    const cached = bytes ? decodeLabelTokens(bytes, catalogue, descriptions.length) : null;
    this.labelTokensCached = cached !== null;
    if (cached) yield* labels.useTokenWords(this.corpus, cached);
    else {
      yield* labels.tokenize(this.corpus);
      if (cache) {
        const tokens = yield* labels.tokenWords(this.corpus);
        yield;
        this.#cacheWrite = cache.write(encodeLabelTokens(catalogue, tokens));
      }
    }
    yield* labels.freezeSeeds(DESCRIPTION_SEEDS, MIN_COVERAGE, (t) => this.seedIdf(t), (t) => this.seedTooCommon(t), this.corpus.vocabSize);
    this.labels = labels;
    this.#seen = new Uint8Array(labels.size);
    this.#grow(this.totalDocs);
    this.phase = 'documents';
    this.usableAt = performance.now();
    this.generation++;
    // 3. every document, its evidence as it is indexed
    for (let after = 0; ; ) {
      const rows = this.#source.textsAfter(after, READ_BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        const position = this.corpus.add(row.id, row.text);
        this.#grow(position + 1);
        this.#evidence(position, labels);
        yield;
      }
      after = rows.at(-1)!.id;
      this.generation++;
    }
    // Postings and norms (by-label, similar, MIG) now, in slices, not in the first request that needs them.
    yield* this.corpus.buildPostings();
    this.phase = 'complete';
    this.generation++;
  }

  #grow(docs: number): void {
    if (docs * TOP_LABELS <= this.#labels.length) return;
    const size = Math.max(docs, Math.ceil(this.#labels.length / TOP_LABELS) * 2) * TOP_LABELS;
    const labels = new Int32Array(size).fill(-1);
    labels.set(this.#labels);
    const values = new Float32Array(size);
    values.set(this.#values);
    this.#labels = labels;
    this.#values = values;
  }

  /**
   * The document's best labels: the labels its tokens trigger (label-seeds.ts), each then
   * checked for its other seeds in the document's sorted tokens.
   */
  #evidence(position: number, labels: LabelSeeds): void {
    const { starts, tokens: seedTokens, weights, totals, byTokenStarts, byTokenLabels } = labels.seedIndex();
    const tokens = this.corpus.tokensOf(position);
    const seen = this.#seen;
    let n = 0;
    const limit = byTokenStarts.length - 1;
    for (const t of tokens) {
      if (t >= limit) continue;
      for (let j = byTokenStarts[t]!; j < byTokenStarts[t + 1]!; j++) {
        const l = byTokenLabels[j]!;
        if (seen[l]) continue;
        seen[l] = 1;
        if (n === this.#candidates.length) {
          const grown = new Int32Array(n * 2);
          grown.set(this.#candidates);
          this.#candidates = grown;
        }
        this.#candidates[n++] = l;
      }
    }
    const base = position * TOP_LABELS;
    for (let i = 0; i < n; i++) {
      const l = this.#candidates[i]!;
      seen[l] = 0;
      let weight = 0;
      for (let j = starts[l]!; j < starts[l + 1]!; j++) if (sortedHas(tokens, seedTokens[j]!)) weight += weights[j]!;
      const coverage = weight / totals[l]!;
      if (coverage >= MIN_COVERAGE) insertTop(this.#labels, this.#values, base, TOP_LABELS, l, coverage * weight);
    }
  }

}
