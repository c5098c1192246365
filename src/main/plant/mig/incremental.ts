/**
 * Incremental MIG for the few-shot loop (PLANT.md "Few-shot loop": refresh MIG/grades for the
 * touched labels). Token presence sets and n_t are kept; a label's J depends only on its own
 * documents, n_t and N, so after a label change only that label needs recounting.
 *
 * Exactness:
 * - `setDocLabels` (labels of existing training documents change): N and n_t are unchanged, so a
 *   refresh of the touched labels gives exactly what a full recompute gives, for every label.
 * - `addDocuments` (new training documents): N and n_t change for everyone. Touched labels are
 *   recomputed exactly; untouched labels keep J from the older counts (drift of order
 *   added/N) until `refreshAll()`. `staleLabels` says how many labels are in that state.
 */
import type { LabelMig, MigResult } from './mig';
import { MigCounter } from './mig';
import { buildTokenPresence, DEFAULT_IGNORED_TOKEN_IDS, invertLabels, normalizeLabelSet } from './presence';

export interface MigIndexInput {
  /** Per training document, its token ids (repeats allowed). */
  readonly docTokens: readonly ArrayLike<number>[];
  readonly docLabels: readonly ArrayLike<number>[];
  readonly vocabSize: number;
  readonly numLabels: number;
  readonly ignoredTokenIds?: readonly number[];
}

/** MIG over a mutable training set, refreshed label by label. */
export class MigIndex {
  readonly vocabSize: number;
  readonly numLabels: number;
  readonly #ignored: readonly number[];
  #presence: Int32Array[];
  #docLabels: Int32Array[];
  #labelDocs: Int32Array[];
  #counter: MigCounter;
  #labels: LabelMig[];
  readonly #dirty = new Set<number>();
  /** Labels whose J was computed with an older N / n_t (only after `addDocuments`). */
  readonly #stale = new Set<number>();

  constructor(input: MigIndexInput) {
    this.vocabSize = input.vocabSize;
    this.numLabels = input.numLabels;
    this.#ignored = input.ignoredTokenIds ?? DEFAULT_IGNORED_TOKEN_IDS;
    if (input.docTokens.length !== input.docLabels.length) {
      throw new Error(`MIG index: ${input.docTokens.length} documents but ${input.docLabels.length} label sets`);
    }
    this.#presence = buildTokenPresence(input.docTokens, this.vocabSize, this.#ignored);
    this.#docLabels = input.docLabels.map((ls, d) => normalizeLabelSet(ls, this.numLabels, `MIG index: document ${d}`));
    this.#labelDocs = invertLabels(this.#docLabels, this.numLabels);
    this.#counter = new MigCounter(this.#presence, this.vocabSize);
    this.#labels = new Array(this.numLabels);
    this.refreshAll();
  }

  get numDocs(): number {
    return this.#presence.length;
  }

  /** Labels changed since the last refresh. */
  get pendingLabels(): number[] {
    return [...this.#dirty].sort((a, b) => a - b);
  }

  /** Number of labels whose scores use counts from before the last `addDocuments`. */
  get staleLabels(): number {
    return this.#stale.size;
  }

  /** Current per-label results (refresh first for up-to-date touched labels). */
  result(): MigResult {
    return {
      numDocs: this.numDocs,
      vocabSize: this.vocabSize,
      numLabels: this.numLabels,
      tokenDocFreq: this.#counter.tokenDocFreq,
      labelDocFreq: Int32Array.from(this.#labelDocs, (docs) => docs.length),
      labels: [...this.#labels],
    };
  }

  label(label: number): LabelMig {
    return this.#labels[label]!;
  }

  /** Replaces the labels of an existing training document; marks old ∪ new labels for refresh. */
  setDocLabels(doc: number, labels: ArrayLike<number>): void {
    if (!(doc >= 0 && doc < this.numDocs)) throw new Error(`MIG index: document ${doc} outside [0, ${this.numDocs})`);
    const next = normalizeLabelSet(labels, this.numLabels, `MIG index: document ${doc}`);
    const prev = this.#docLabels[doc]!;
    const prevSet = new Set(prev);
    const nextSet = new Set(next);
    for (const l of prev) if (!nextSet.has(l)) this.#setMembership(l, doc, false);
    for (const l of next) if (!prevSet.has(l)) this.#setMembership(l, doc, true);
    this.#docLabels[doc] = next;
  }

  #setMembership(label: number, doc: number, member: boolean): void {
    const docs = this.#labelDocs[label]!;
    const out = new Int32Array(docs.length + (member ? 1 : -1));
    let k = 0;
    let inserted = !member;
    for (const d of docs) {
      if (d === doc) continue;
      if (!inserted && d > doc) {
        out[k++] = doc;
        inserted = true;
      }
      out[k++] = d;
    }
    if (!inserted) out[k++] = doc;
    this.#labelDocs[label] = out;
    this.#dirty.add(label);
  }

  /**
   * Appends new training documents; their labels are marked for refresh and every other label
   * becomes stale (see the module comment). Returns the new documents' ids.
   */
  addDocuments(docTokens: readonly ArrayLike<number>[], docLabels: readonly ArrayLike<number>[]): number[] {
    if (docTokens.length !== docLabels.length) {
      throw new Error(`MIG index: ${docTokens.length} documents but ${docLabels.length} label sets`);
    }
    if (docTokens.length === 0) return [];
    const first = this.numDocs;
    const added = buildTokenPresence(docTokens, this.vocabSize, this.#ignored);
    this.#presence = [...this.#presence, ...added];
    this.#counter = new MigCounter(this.#presence, this.vocabSize);
    const ids: number[] = [];
    docLabels.forEach((ls, i) => {
      const doc = first + i;
      ids.push(doc);
      this.#docLabels.push(new Int32Array(0));
      this.setDocLabels(doc, ls);
    });
    for (let l = 0; l < this.numLabels; l++) if (!this.#dirty.has(l)) this.#stale.add(l);
    return ids;
  }

  /** Recomputes the labels changed since the last refresh; returns them, ascending. */
  refresh(): number[] {
    const touched = this.pendingLabels;
    for (const l of touched) {
      this.#labels[l] = this.#counter.label(this.#labelDocs[l]!, this.#presence);
      this.#stale.delete(l);
    }
    this.#dirty.clear();
    return touched;
  }

  /** Recomputes every label (clears staleness). */
  refreshAll(): void {
    for (let l = 0; l < this.numLabels; l++) this.#labels[l] = this.#counter.label(this.#labelDocs[l]!, this.#presence);
    this.#dirty.clear();
    this.#stale.clear();
  }
}
