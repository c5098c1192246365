/**
 * Stage A of PLANT.md: mutual-information gain between binary token presence and label
 * assignment, normalised to J = I / (H_T + H_L − I) ∈ [0, 1], kept for positively associated
 * pairs only.
 *
 * **Training documents only.** `computeMig` uses exactly the documents it is given; the caller
 * must pass the training split (the authors' script counted all splits — test leakage).
 *
 * Sparsity: a pair (t, l) with N11 = 0 has p11 = 0 < p1·p·1, so it is never positively associated
 * (`isPositivelyAssociated(0, …)` is false; its J has the closed form `normalizedMutualInformation(0,
 * n_t, n_l, N)` and is discarded). Only pairs with N11 > 0 are counted, by a loop over each label's
 * documents × their distinct tokens into a dense accumulator with a touched-list reset.
 */
import { invertLabels, normalizeLabelSet, tokenDocumentFrequency } from './presence';

/** Positively associated tokens of one label: J descending, ties (equal float32 J) by token id. */
export interface LabelMig {
  readonly tokens: Int32Array;
  /** J per token, same order. */
  readonly scores: Float32Array;
}

export interface MigResult {
  readonly numDocs: number;
  readonly vocabSize: number;
  readonly numLabels: number;
  /** [V] n_t over the given documents. */
  readonly tokenDocFreq: Int32Array;
  /** [L] n_l over the given documents. */
  readonly labelDocFreq: Int32Array;
  /** [L] per label. */
  readonly labels: LabelMig[];
}

export interface MigInput {
  /** Per training document, its distinct token ids (see `buildTokenPresence`). */
  readonly presence: readonly Int32Array[];
  /** Per training document, its label ids (repeats are ignored). */
  readonly docLabels: readonly ArrayLike<number>[];
  readonly vocabSize: number;
  readonly numLabels: number;
}

/** p11 > p1·p·1, decided exactly on integer counts (products stay far below 2^53). */
export function isPositivelyAssociated(n11: number, nT: number, nL: number, n: number): boolean {
  return n11 * n > nT * nL;
}

function xlnx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}

/**
 * Reference J from the counts, straight from the PLANT.md formula with 0·ln0 = 0. Returns 0 when
 * the joint entropy is 0 (token and label both constant over the corpus).
 */
export function normalizedMutualInformation(n11: number, nT: number, nL: number, n: number): number {
  const cells: [number, number, number][] = [
    [n11, nT, nL],
    [nT - n11, nT, n - nL],
    [nL - n11, n - nT, nL],
    [n - nT - nL + n11, n - nT, n - nL],
  ];
  let mi = 0;
  for (const [nab, na, nb] of cells) if (nab > 0) mi += (nab / n) * Math.log((nab * n) / (na * nb));
  const hT = -xlnx(nT / n) - xlnx(1 - nT / n);
  const hL = -xlnx(nL / n) - xlnx(1 - nL / n);
  const joint = hT + hL - mi;
  return joint > 0 ? Math.min(1, Math.max(0, mi / joint)) : 0;
}

/** Packing of (J, token) into one float64 sort key; see `MigCounter.label`. */
const TOKEN_BITS = 2 ** 21;
/** Largest vocabulary the packed sort key supports (2,097,152 ids). */
export const MAX_MIG_VOCAB_SIZE = TOKEN_BITS;

/**
 * Counts for one fixed document set, with the scratch memory to score labels one at a time.
 * Reused by the incremental index; not safe to share between concurrent callers.
 */
export class MigCounter {
  readonly numDocs: number;
  readonly vocabSize: number;
  readonly tokenDocFreq: Int32Array;
  readonly #lnInt: Float64Array; // [N+1] ln k, so scoring a pair needs no Math.log
  readonly #tokenEntropy: Float64Array; // [V] H_T in nats
  readonly #acc: Int32Array; // [V] N11 of the label being counted; all zeros between calls
  readonly #touched: Int32Array; // [V]
  #keys: Float64Array;
  readonly #f32 = new Float32Array(1);
  readonly #u32 = new Uint32Array(this.#f32.buffer);

  constructor(presence: readonly Int32Array[], vocabSize: number) {
    if (vocabSize > MAX_MIG_VOCAB_SIZE) throw new Error(`MIG: vocabulary of ${vocabSize} exceeds ${MAX_MIG_VOCAB_SIZE}`);
    const n = presence.length;
    this.numDocs = n;
    this.vocabSize = vocabSize;
    this.tokenDocFreq = tokenDocumentFrequency(presence, vocabSize);
    this.#lnInt = new Float64Array(n + 1);
    for (let k = 1; k <= n; k++) this.#lnInt[k] = Math.log(k);
    this.#tokenEntropy = new Float64Array(vocabSize);
    for (let t = 0; t < vocabSize; t++) this.#tokenEntropy[t] = this.#entropy(this.tokenDocFreq[t]!);
    this.#acc = new Int32Array(vocabSize);
    this.#touched = new Int32Array(vocabSize);
    this.#keys = new Float64Array(1024);
  }

  /** Binary entropy (nats) of a variable present in `k` of the N documents. */
  #entropy(k: number): number {
    const n = this.numDocs;
    if (k <= 0 || k >= n) return 0;
    const ln = this.#lnInt;
    return ln[n]! - (k * ln[k]! + (n - k) * ln[n - k]!) / n;
  }

  /** J for counts (same value as `normalizedMutualInformation`, from the ln table). */
  #score(n11: number, nT: number, nL: number, hT: number, hL: number): number {
    const n = this.numDocs;
    const ln = this.#lnInt;
    const lnN = ln[n]!;
    const n10 = nT - n11;
    const n01 = nL - n11;
    const n00 = n - nT - nL + n11;
    const lnT = ln[nT]!;
    const lnTc = ln[n - nT]!;
    const lnL = ln[nL]!;
    const lnLc = ln[n - nL]!;
    let s = 0;
    if (n11 > 0) s += n11 * (ln[n11]! + lnN - lnT - lnL);
    if (n10 > 0) s += n10 * (ln[n10]! + lnN - lnT - lnLc);
    if (n01 > 0) s += n01 * (ln[n01]! + lnN - lnTc - lnL);
    if (n00 > 0) s += n00 * (ln[n00]! + lnN - lnTc - lnLc);
    const mi = s / n;
    const joint = hT + hL - mi;
    if (!(joint > 0)) return 0;
    const j = mi / joint;
    return j < 0 ? 0 : j > 1 ? 1 : j;
  }

  /**
   * Positively associated tokens of one label.
   * @param labelDocs documents carrying the label (distinct ids into `presence`)
   */
  label(labelDocs: ArrayLike<number>, presence: readonly Int32Array[]): LabelMig {
    const nL = labelDocs.length;
    const n = this.numDocs;
    if (nL === 0 || nL === n) return { tokens: new Int32Array(0), scores: new Float32Array(0) };
    const acc = this.#acc;
    const touched = this.#touched;
    let numTouched = 0;
    for (let i = 0; i < nL; i++) {
      const tokens = presence[labelDocs[i]!]!;
      for (let j = 0; j < tokens.length; j++) {
        const t = tokens[j]!;
        if (acc[t]!++ === 0) touched[numTouched++] = t; // t is a token id below the vocabulary size acc was sized for
      }
    }
    if (this.#keys.length < numTouched) this.#keys = new Float64Array(Math.max(numTouched, this.#keys.length * 2));
    const keys = this.#keys;
    const hL = this.#entropy(nL);
    const df = this.tokenDocFreq;
    const f32 = this.#f32;
    const u32 = this.#u32;
    let numKept = 0;
    for (let i = 0; i < numTouched; i++) {
      const t = touched[i]!;
      const n11 = acc[t]!;
      acc[t] = 0;
      const nT = df[t]!;
      if (n11 * n <= nT * nL) continue; // not positively associated → floor grade later
      f32[0] = this.#score(n11, nT, nL, this.#tokenEntropy[t]!, hL);
      // J ≥ 0, so its float32 bit pattern orders like its value. One ascending native sort of
      // (2^31 − 1 − bits)·2^21 + t gives J descending, then token id ascending, exactly (< 2^53).
      keys[numKept++] = (0x7fffffff - u32[0]!) * TOKEN_BITS + t;
    }
    const sorted = keys.subarray(0, numKept).sort();
    const tokens = new Int32Array(numKept);
    const scores = new Float32Array(numKept);
    for (let i = 0; i < numKept; i++) {
      const key = sorted[i]!;
      const hi = Math.floor(key / TOKEN_BITS);
      tokens[i] = key - hi * TOKEN_BITS;
      u32[0] = 0x7fffffff - hi;
      scores[i] = f32[0]!;
    }
    return { tokens, scores };
  }
}

/**
 * Stage A over the given (training) documents, for every label.
 * Labels present in no document, or in all of them, have no positively associated token.
 */
export function computeMig(input: MigInput): MigResult {
  const { presence, vocabSize, numLabels } = input;
  if (input.docLabels.length !== presence.length) {
    throw new Error(`MIG: ${presence.length} token sets but ${input.docLabels.length} label sets`);
  }
  const docLabels = input.docLabels.map((ls, d) => normalizeLabelSet(ls, numLabels, `MIG: document ${d}`));
  const labelDocs = invertLabels(docLabels, numLabels);
  const counter = new MigCounter(presence, vocabSize);
  const labels: LabelMig[] = new Array(numLabels);
  const labelDocFreq = new Int32Array(numLabels);
  for (let l = 0; l < numLabels; l++) {
    labelDocFreq[l] = labelDocs[l]!.length;
    labels[l] = counter.label(labelDocs[l]!, presence);
  }
  return { numDocs: presence.length, vocabSize, numLabels, tokenDocFreq: counter.tokenDocFreq, labelDocFreq, labels };
}
