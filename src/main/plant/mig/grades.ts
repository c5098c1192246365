/**
 * Stage A' of PLANT.md: relevance grades G[t, l] ∈ {1 … 101} from each label's MIG ranking,
 * stored sparsely.
 *
 * Rank → grade, exactly:
 * - Per label, tokens are ranked by J descending, ties by token id (the order `computeMig` returns).
 * - Rank r of V (V = vocabulary size, specials included) has quantile q(r) = r / (V − 1)
 *   (q = 0 when V = 1), so rank 0 ↦ 0 and the last rank ↦ 1 exactly.
 * - Edges: e_0 = 0, e_i = 10^(−4 + 4(i − 1)/99) for i = 1 … 100 (so e_1 = 1e-4, e_100 = 1).
 * - bin(q) = the smallest i with q ≤ e_i (right-closed bins, like numpy `digitize(right=True)`);
 *   grade = 101 − bin. Rank 0 → 101; ranks with 0 < q ≤ 1e-4 → 100; the last rank → 1.
 * - **Floor:** tokens that are not positively associated with the label (including every pair
 *   never seen together) all get grade 1, as PLANT.md says ("the rest get the lowest grade").
 *   Ranking them by J would order them by "conspicuous absence" or, for N11 = 0, effectively by
 *   token id — noise the ranker would learn to reproduce. Only positives get rank-derived grades,
 *   and their ranks are their positions among the positives (0, 1, 2, …), measured against V.
 */
import type { LabelMig } from './mig';

export const TOP_GRADE = 101;
export const FLOOR_GRADE = 1;
/** Grade written for `<pad>` positions and positions past a row's length by `fillGrades`. */
export const PAD_GRADE = 0;

/**
 * The 101 bin edges: [0, 1e-4, …, 1] (log-spaced from 1e-4 to 1 over 100 points).
 * 10^x is computed as 10^⌊x⌋ (parsed, so exact: 1e-4 is the double nearest 10⁻⁴, as in numpy)
 * × 10^(x − ⌊x⌋); `Math.pow(10, -4)` alone gives 0.00009999999999999999, which would move rank 1
 * of V = 10,001 (q = 1e-4 exactly) from grade 100 to grade 99.
 */
export function quantileEdges(): Float64Array {
  const edges = new Float64Array(101);
  for (let i = 1; i <= 100; i++) {
    const x = -4 + (4 * (i - 1)) / 99;
    const whole = Math.floor(x);
    edges[i] = Number.parseFloat(`1e${whole}`) * (x === whole ? 1 : Math.pow(10, x - whole));
  }
  return edges;
}

const EDGES = quantileEdges();

/** The grade of rank `rank` (0-based) among `vocabSize` tokens; see the module comment. */
export function gradeForRank(rank: number, vocabSize: number): number {
  if (!(rank >= 0 && rank < vocabSize)) throw new Error(`grade: rank ${rank} outside [0, ${vocabSize})`);
  const q = vocabSize > 1 ? rank / (vocabSize - 1) : 0;
  let lo = 0;
  let hi = 100;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (q <= EDGES[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return TOP_GRADE - lo;
}

/** [V] grade of every rank, for turning long rankings into grades without a search per token. */
export function gradesForRanks(vocabSize: number, count = vocabSize): Uint8Array {
  const out = new Uint8Array(Math.min(count, vocabSize));
  // Grades fall monotonically with rank, so walk the bins once.
  let bin = 0;
  for (let r = 0; r < out.length; r++) {
    const q = vocabSize > 1 ? r / (vocabSize - 1) : 0;
    while (q > EDGES[bin]!) bin++;
    out[r] = TOP_GRADE - bin;
  }
  return out;
}

/** One label's sparse grades: tokens above its floor, ascending by token id. */
export interface LabelGrades {
  readonly tokens: Int32Array;
  /** Same order as `tokens`; every value > `floor`. */
  readonly grades: Uint8Array;
  readonly floor: number;
}

/** Grades from a ranked token list (best first): rank i ↦ gradeForRank(i, V); floor grades dropped. */
export function gradesFromRanking(rankedTokens: Int32Array, vocabSize: number, rankGrades?: Uint8Array): LabelGrades {
  const table = rankGrades ?? gradesForRanks(vocabSize, rankedTokens.length);
  let n = 0;
  while (n < rankedTokens.length && table[n]! > FLOOR_GRADE) n++;
  // Sort (token, grade) by token id: one native sort of token·128 + grade (grades < 128).
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = rankedTokens[i]! * 128 + table[i]!;
  keys.sort();
  const tokens = new Int32Array(n);
  const grades = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.floor(keys[i]! / 128);
    tokens[i] = t;
    grades[i] = keys[i]! - t * 128;
  }
  return { tokens, grades, floor: FLOOR_GRADE };
}

/** Stage A' grades of one label from its MIG result. */
export function migGrades(mig: LabelMig, vocabSize: number, rankGrades?: Uint8Array): LabelGrades {
  return gradesFromRanking(mig.tokens, vocabSize, rankGrades);
}

/** Where a label's grades came from (for the UI and the model card). */
export type GradeSource = 'mig' | 'description' | 'blend' | 'none';

/**
 * The grade matrix G (V × L) in sparse form, with the two reads the learning-to-rank stage needs.
 * Labels can be replaced one at a time (incremental refresh).
 */
export class GradeTable {
  readonly vocabSize: number;
  readonly numLabels: number;
  readonly #labels: LabelGrades[];
  readonly #sources: GradeSource[];
  readonly #scratch: Uint8Array; // [V] one label's grades while filling; all zeros between calls

  constructor(vocabSize: number, labels: readonly LabelGrades[], sources?: readonly GradeSource[]) {
    this.vocabSize = vocabSize;
    this.numLabels = labels.length;
    this.#labels = [...labels];
    this.#sources = sources ? [...sources] : labels.map((g) => (g.tokens.length > 0 ? 'mig' : 'none'));
    this.#scratch = new Uint8Array(vocabSize);
    labels.forEach((g, l) => this.#check(l, g));
  }

  #check(label: number, g: LabelGrades): void {
    for (let i = 0; i < g.tokens.length; i++) {
      const t = g.tokens[i]!;
      if (t < 0 || t >= this.vocabSize || (i > 0 && t <= g.tokens[i - 1]!)) {
        throw new Error(`grades: label ${label} tokens must be distinct ids in [0, ${this.vocabSize}), ascending`);
      }
    }
  }

  /** Sparse grades of `label` (tokens above the floor, ascending ids). */
  label(label: number): LabelGrades {
    return this.#labels[label]!;
  }

  source(label: number): GradeSource {
    return this.#sources[label]!;
  }

  /** Replaces one label's grades (the few-shot loop's refresh). */
  setLabel(label: number, grades: LabelGrades, source: GradeSource): void {
    if (label < 0 || label >= this.numLabels) throw new Error(`grades: label ${label} outside [0, ${this.numLabels})`);
    this.#check(label, grades);
    this.#labels[label] = grades;
    this.#sources[label] = source;
  }

  /** G[token, label]: the stored grade, or the label's floor (1) when the token is not listed. */
  gradeOf(label: number, token: number): number {
    const g = this.#labels[label];
    if (g === undefined) throw new Error(`grades: label ${label} outside [0, ${this.numLabels})`);
    let lo = 0;
    let hi = g.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = g.tokens[mid]!;
      if (t === token) return g.grades[mid]!;
      if (t < token) lo = mid + 1;
      else hi = mid - 1;
    }
    return g.floor;
  }

  /**
   * Dense targets for one learning-to-rank batch (PLANT.md Stage B: the list is the document's
   * tokens, the target G[token, l]).
   * @param labelIds [Ls] labels of the batch (positives + shared sampled negatives)
   * @param tokenIds [B][≤ T] token ids per row (a chunk); rows may be shorter than T
   * @param windowTokens T; default: the longest row
   * @returns [B, T, Ls] row-major; `PAD_GRADE` (0) at `<pad>` tokens (id `padTokenId`) and past a
   *   row's end, so 0 marks positions to mask out.
   */
  fillGrades(
    labelIds: ArrayLike<number>,
    tokenIds: readonly ArrayLike<number>[],
    windowTokens?: number,
    padTokenId = 0,
  ): Float32Array {
    const b = tokenIds.length;
    const t = windowTokens ?? tokenIds.reduce((m, row) => Math.max(m, row.length), 0);
    const ls = labelIds.length;
    const out = new Float32Array(b * t * ls);
    for (let row = 0; row < b; row++) {
      const ids = tokenIds[row]!;
      if (ids.length > t) throw new Error(`fillGrades: row ${row} has ${ids.length} tokens > T = ${t}`);
      for (let p = 0; p < ids.length; p++) {
        const token = ids[p]!;
        if (token !== padTokenId && !(token >= 0 && token < this.vocabSize)) {
          throw new Error(`fillGrades: row ${row} position ${p} has token id ${token}, outside [0, ${this.vocabSize})`);
        }
      }
    }
    const labels: LabelGrades[] = [];
    for (let j = 0; j < ls; j++) {
      const g = this.#labels[labelIds[j]!];
      if (g === undefined) throw new Error(`fillGrades: label ${labelIds[j]} outside [0, ${this.numLabels})`);
      labels.push(g);
    }
    // Label-major: scatter one label's sparse grades into a dense [V] scratch (0 = "floor"), read
    // it for every position, clear it. Measured as fast as a token-major [V, Ls] scratch
    // (~5 ms for B=32, T=512, Ls=64, see docs/mig.md) with V instead of V·Ls bytes of scratch.
    const scratch = this.#scratch;
    for (let j = 0; j < ls; j++) {
      const g = labels[j]!;
      for (let i = 0; i < g.tokens.length; i++) scratch[g.tokens[i]!] = g.grades[i]!;
      const floor = g.floor;
      for (let row = 0; row < b; row++) {
        const ids = tokenIds[row]!;
        let o = row * t * ls + j;
        for (let p = 0; p < ids.length; p++, o += ls) {
          const token = ids[p]!;
          if (token === padTokenId) continue; // stays PAD_GRADE
          const grade = scratch[token]!;
          out[o] = grade === 0 ? floor : grade;
        }
      }
      for (let i = 0; i < g.tokens.length; i++) scratch[g.tokens[i]!] = 0;
    }
    return out;
  }
}

/** Stage A' for every label from a MIG result (labels without positives: all at the floor). */
export function gradeTableFromMig(labels: readonly LabelMig[], vocabSize: number): GradeTable {
  const rankGrades = gradesForRanks(vocabSize);
  return new GradeTable(
    vocabSize,
    labels.map((m) => migGrades(m, vocabSize, rankGrades)),
  );
}
