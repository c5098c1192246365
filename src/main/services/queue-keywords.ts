/**
 * Keyword evidence for the annotation queue before (and beside) a model, as pure functions over
 * arrays (PLANT.md Stage A'). The corpus side lives in queue/corpus-index.ts, the label side in
 * queue/label-seeds.ts; these are the maths both share, tested without SQLite.
 *
 * - Description seeds of a label are its few most distinctive title/synonym tokens. A token's
 *   weight is field weight (title 1, synonym 0.8) × corpus IDF × label IDF: corpus IDF prefers
 *   words that are rare in documents (so "pain" is weak evidence), label IDF prefers words that are
 *   rare among descriptions (so "unspecified", "initial", "encounter" are weak evidence).
 * - MIG seeds of a label with training documents are the tokens with the highest normalised mutual
 *   information with it over the training documents (PLANT.md Stage A), positively associated only.
 * - A document covers a label when it contains tokens worth at least `minCoverage` of the seeds'
 *   total weight; absent seeds count against it (a "brucellosis" label is not evidenced by
 *   "unspecified" alone). Its evidence is coverage × matched weight, so two specific words beat
 *   one generic word.
 *
 * Which seeds a document matched is not carried as a bit mask (a 32-bit mask capped seeds at 31):
 * `matchedSeeds` asks the document's sorted token list, for the few documents a page shows.
 */
import { isPositivelyAssociated, normalizedMutualInformation } from '../plant/mig/mig';

export interface Seed {
  token: number;
  weight: number;
}

/** A token is keyword evidence when it is a word of 3+ characters without digits. */
export function isWord(token: string): boolean {
  return token.length >= 3 && !/\d/.test(token);
}

/** Smoothed corpus IDF, ln((1 + N) / (1 + df)) + 1, as in the description grades. */
export function smoothedIdf(df: number, numDocs: number): number {
  return Math.log((1 + numDocs) / (1 + df)) + 1;
}

/** How rare a token is among label descriptions: ln(1 + L / labelDf). */
export function labelIdf(labelDf: number, numLabels: number): number {
  return Math.log(1 + numLabels / Math.max(1, labelDf));
}

/** Words in more than 5% of documents are not evidence (a floor keeps tiny corpora usable). */
export function tooCommon(df: number, numDocs: number): boolean {
  return df > Math.max(3, 0.05 * numDocs);
}

/** The `k` heaviest of a label's description tokens (field weight × token weight), best first. */
export function descriptionSeeds(tokens: ArrayLike<number>, fields: ArrayLike<number>, tokenWeight: (t: number) => number, isCommon: (t: number) => boolean, k: number): Seed[] {
  const seeds: Seed[] = [];
  for (let j = 0; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (isCommon(t)) continue;
    seeds.push({ token: t, weight: fields[j]! * tokenWeight(t) });
  }
  seeds.sort((a, b) => b.weight - a.weight || a.token - b.token);
  return seeds.slice(0, k);
}

/**
 * The top-`k` tokens by normalised MI with a label whose positive training documents contain the
 * tokens counted in `n11` (token → documents), over `numTraining` documents with frequencies
 * `trainDf`. Ties in J are common with a handful of examples: the more distinctive word first.
 */
export function migSeeds(
  n11: ReadonlyMap<number, number>,
  trainDf: (t: number) => number,
  numPositives: number,
  numTraining: number,
  eligible: (t: number) => boolean,
  distinctiveness: (t: number) => number,
  k: number,
): Seed[] {
  const seeds: Seed[] = [];
  for (const [t, n] of n11) {
    const df = trainDf(t);
    if (!eligible(t) || !isPositivelyAssociated(n, df, numPositives, numTraining)) continue;
    seeds.push({ token: t, weight: normalizedMutualInformation(n, df, numPositives, numTraining) });
  }
  seeds.sort((a, b) => b.weight - a.weight || distinctiveness(b.token) - distinctiveness(a.token) || a.token - b.token);
  return seeds.slice(0, k);
}

/**
 * Calls `visit` for every candidate document (a position in the postings) that covers at least
 * `minCoverage` of the seeds' weight, with its coverage in (0, 1] and the matched weight.
 * `postings(t)` lists the documents holding token t; `candidates` null = every document;
 * `scratch` is a zeroed [D] buffer, left zeroed.
 */
export function cover(
  seeds: readonly Seed[],
  postings: (token: number) => ArrayLike<number>,
  candidates: Uint8Array | null,
  minCoverage: number,
  scratch: Float64Array,
  visit: (doc: number, coverage: number, matchedWeight: number) => void,
): void {
  let total = 0;
  for (const s of seeds) total += s.weight;
  if (total <= 0) return;
  const touched: number[] = [];
  for (const s of seeds) {
    const list = postings(s.token);
    for (let i = 0; i < list.length; i++) {
      const d = list[i]!;
      if (candidates && !candidates[d]) continue;
      if (scratch[d] === 0) touched.push(d);
      scratch[d]! += s.weight;
    }
  }
  for (const d of touched) {
    const weight = scratch[d]!;
    scratch[d] = 0;
    if (weight / total >= minCoverage) visit(d, weight / total, weight);
  }
}

/** The seeds a document holds, in seed order (`has` answers from its sorted token list). */
export function matchedSeeds(seeds: readonly Seed[], has: (token: number) => boolean): Seed[] {
  return seeds.filter((s) => has(s.token));
}

/** True when the ascending `sorted` holds `value` (binary search). */
export function sortedHas(sorted: ArrayLike<number>, value: number, from = 0, to = sorted.length): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && sorted[lo] === value;
}

/**
 * Keeps the `k` largest evidence values of one document in slots `[base, base + k)` of two
 * parallel arrays, largest first; label -1 marks an empty slot. Ties keep the earlier label.
 */
export function insertTop(labels: Int32Array, evidence: Float32Array, base: number, k: number, label: number, value: number): void {
  let slot = -1;
  for (let j = 0; j < k; j++) {
    if (labels[base + j] === -1 || evidence[base + j]! < value) {
      slot = j;
      break;
    }
  }
  if (slot < 0) return;
  for (let j = k - 1; j > slot; j--) {
    labels[base + j] = labels[base + j - 1]!;
    evidence[base + j] = evidence[base + j - 1]!;
  }
  labels[base + slot] = label;
  evidence[base + slot] = value;
}
