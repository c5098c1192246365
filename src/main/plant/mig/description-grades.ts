/**
 * Planter's extension to Stage A' (PLANT.md, last paragraph of Stage A'): grades from a label's
 * description for labels with no or very few training documents.
 *
 * - Description tokens come from the title, the synonyms and optionally the parents' titles,
 *   tokenised with the vocabulary's own tokenizer. The code itself is not tokenised: it is an
 *   identifier, and under number shapes every ICD code would collapse into the same few tokens.
 * - Each token's weight = IDF over the training documents × the weight of the best field it
 *   appears in (title 1, synonym 0.8, parent title 0.5 by default). IDF is the smoothed
 *   ln((1 + N) / (1 + n_t)) + 1, so tokens of no training document still get the largest IDF.
 * - Tokens present in more than `maxDocFreqRatio` (default ½) of the training documents are
 *   dropped ("of", "the", "other"): a rank-based grade would otherwise lift a stopword to grade ~97.
 * - The kept tokens are ranked by weight (ties by token id) and graded with the same rank → grade
 *   map as MIG (rank 0 → 101, …); every other token is at the floor (1).
 *
 * Blending: a label with n training documents uses
 *   n = 0:             description grades (MIG has nothing);
 *   1 ≤ n ≤ fewMax(5): round(α·G_mig + (1 − α)·G_desc), α = n / (n + k), k = 2 by default
 *                      (α = 1/3 at n = 1, 5/7 at n = 5), both sides at the floor where unlisted;
 *   n > fewMax:        MIG grades only.
 * A label without usable description tokens keeps its MIG grades (all floor when n = 0).
 */
import { tokenize } from '../text/tokenizer';
import type { Vocabulary } from '../text/vocabulary';
import { FLOOR_GRADE, GradeTable, gradesForRanks, gradesFromRanking, migGrades } from './grades';
import type { GradeSource, LabelGrades } from './grades';
import type { MigResult } from './mig';
import { DEFAULT_IGNORED_TOKEN_IDS } from './presence';

/** A label catalogue entry (ICD title, EUROVOC name and alternative labels, …). */
export interface LabelDescription {
  readonly code: string;
  readonly title: string;
  readonly synonyms: readonly string[];
  readonly parentTitles?: readonly string[];
}

export interface DescriptionGradeOptions {
  readonly titleWeight?: number;
  readonly synonymWeight?: number;
  readonly parentWeight?: number;
  /** Drop tokens in more than this fraction of training documents. Default 0.5. */
  readonly maxDocFreqRatio?: number;
  readonly ignoredTokenIds?: readonly number[];
}

export interface BlendOptions extends DescriptionGradeOptions {
  /** Labels with 1 … fewShotMaxDocs training documents are blended. Default 5. */
  readonly fewShotMaxDocs?: number;
  /** k in α = n / (n + k). Default FEW_SHOT_BLEND_K. */
  readonly blendK?: number;
}

/**
 * The default k: with it, a label with 1–5 training documents takes its description's grades
 * (MIG moves them by at most half a grade). MIG from so few documents ranks each document's
 * one-off tokens first (a token found only in the label's one document has Jaccard MI 1), so the
 * planted attention looked at noise: on CodiEsp, with k = 2 the few-shot bucket's macro-AUC was
 * 0.54 (chance 0.5) and its P@5 0.020; with k = 1000, 0.76 and 0.146 (macro-F1 0 → 0.115).
 */
export const FEW_SHOT_BLEND_K = 1000;

/** Smoothed IDF per token: ln((1 + N) / (1 + n_t)) + 1. */
export function smoothedIdf(tokenDocFreq: Int32Array, numDocs: number): Float64Array {
  const idf = new Float64Array(tokenDocFreq.length);
  for (let t = 0; t < idf.length; t++) idf[t] = Math.log((1 + numDocs) / (1 + tokenDocFreq[t]!)) + 1;
  return idf;
}

/**
 * A description's tokens ranked by field weight × IDF, best first (ties by token id).
 * Unknown tokens, ignored ids and tokens above `maxDocFreqRatio` are left out.
 */
export function rankDescriptionTokens(
  description: LabelDescription,
  vocab: Vocabulary,
  tokenDocFreq: Int32Array,
  numDocs: number,
  options: DescriptionGradeOptions = {},
): { tokens: Int32Array; weights: Float64Array } {
  const fields: [readonly string[], number][] = [
    [[description.title], options.titleWeight ?? 1],
    [description.synonyms, options.synonymWeight ?? 0.8],
    [description.parentTitles ?? [], options.parentWeight ?? 0.5],
  ];
  const ignored = new Set(options.ignoredTokenIds ?? DEFAULT_IGNORED_TOKEN_IDS);
  const maxDf = (options.maxDocFreqRatio ?? 0.5) * numDocs;
  const best = new Map<number, number>();
  for (const [texts, fieldWeight] of fields) {
    for (const text of texts) {
      for (const token of tokenize(text, vocab.tokenizer)) {
        const id = vocab.idOf(token);
        if (ignored.has(id) || tokenDocFreq[id]! > maxDf) continue;
        best.set(id, Math.max(best.get(id) ?? 0, fieldWeight));
      }
    }
  }
  const ranked = [...best].map(([id, w]) => ({
    id,
    weight: w * (Math.log((1 + numDocs) / (1 + tokenDocFreq[id]!)) + 1),
  }));
  ranked.sort((a, b) => b.weight - a.weight || a.id - b.id);
  return { tokens: Int32Array.from(ranked, (r) => r.id), weights: Float64Array.from(ranked, (r) => r.weight) };
}

/** Grade-wise blend of two sparse grade lists (unlisted = floor), rounded to integers. */
export function blendGrades(mig: LabelGrades, description: LabelGrades, alpha: number): LabelGrades {
  const tokens: number[] = [];
  const grades: number[] = [];
  let i = 0;
  let j = 0;
  while (i < mig.tokens.length || j < description.tokens.length) {
    const ti = i < mig.tokens.length ? mig.tokens[i]! : Number.POSITIVE_INFINITY;
    const tj = j < description.tokens.length ? description.tokens[j]! : Number.POSITIVE_INFINITY;
    const token = Math.min(ti, tj);
    const gm = ti === token ? mig.grades[i++]! : mig.floor;
    const gd = tj === token ? description.grades[j++]! : description.floor;
    const g = Math.round(alpha * gm + (1 - alpha) * gd);
    if (g > FLOOR_GRADE) {
      tokens.push(token);
      grades.push(g);
    }
  }
  return { tokens: Int32Array.from(tokens), grades: Uint8Array.from(grades), floor: FLOOR_GRADE };
}

/** The grades of one label given its MIG grades, training count and (optional) description. */
export function labelGradesWithDescription(
  mig: LabelGrades,
  numTrainDocs: number,
  description: LabelDescription | undefined,
  context: { vocab: Vocabulary; tokenDocFreq: Int32Array; numDocs: number; rankGrades: Uint8Array },
  options: BlendOptions = {},
): { grades: LabelGrades; source: GradeSource } {
  const fewMax = options.fewShotMaxDocs ?? 5;
  const k = options.blendK ?? FEW_SHOT_BLEND_K;
  const fromMig = { grades: mig, source: (mig.tokens.length > 0 ? 'mig' : 'none') as GradeSource };
  if (numTrainDocs > fewMax || description === undefined) return fromMig;
  const ranked = rankDescriptionTokens(description, context.vocab, context.tokenDocFreq, context.numDocs, options);
  if (ranked.tokens.length === 0) return fromMig;
  const desc = gradesFromRanking(ranked.tokens, context.vocab.size, context.rankGrades);
  if (numTrainDocs === 0) return { grades: desc, source: 'description' };
  return { grades: blendGrades(mig, desc, numTrainDocs / (numTrainDocs + k)), source: 'blend' };
}

export interface GradeTableOptions extends BlendOptions {
  /** Needed to tokenise descriptions; without it (or without descriptions) grades are MIG only. */
  readonly vocab?: Vocabulary;
  /** [L] catalogue entry per label id (undefined where none). */
  readonly descriptions?: readonly (LabelDescription | undefined)[];
}

function gradesOfLabel(
  mig: MigResult,
  label: number,
  rankGrades: Uint8Array,
  options: GradeTableOptions,
): { grades: LabelGrades; source: GradeSource } {
  const fromMig = migGrades(mig.labels[label]!, mig.vocabSize, rankGrades);
  const { vocab, descriptions } = options;
  if (vocab === undefined || descriptions === undefined) {
    return { grades: fromMig, source: fromMig.tokens.length > 0 ? 'mig' : 'none' };
  }
  if (vocab.size !== mig.vocabSize) throw new Error(`grades: vocabulary has ${vocab.size} ids, MIG ${mig.vocabSize}`);
  const context = { vocab, tokenDocFreq: mig.tokenDocFreq, numDocs: mig.numDocs, rankGrades };
  return labelGradesWithDescription(fromMig, mig.labelDocFreq[label]!, descriptions[label], context, options);
}

/**
 * Stage A' for every label, with Planter's description extension when `vocab` and
 * `descriptions` are given.
 */
export function buildGradeTable(mig: MigResult, options: GradeTableOptions = {}): GradeTable {
  const rankGrades = gradesForRanks(mig.vocabSize);
  const labels: LabelGrades[] = [];
  const sources: GradeSource[] = [];
  for (let l = 0; l < mig.numLabels; l++) {
    const r = gradesOfLabel(mig, l, rankGrades, options);
    labels.push(r.grades);
    sources.push(r.source);
  }
  return new GradeTable(mig.vocabSize, labels, sources);
}

/**
 * Re-grades `labels` in place from a refreshed MIG result (the few-shot loop). Pass the same
 * options as to `buildGradeTable`; a label's description blend weight follows its new count.
 */
export function refreshGradeTable(
  table: GradeTable,
  mig: MigResult,
  labels: readonly number[],
  options: GradeTableOptions = {},
): void {
  if (table.vocabSize !== mig.vocabSize || table.numLabels !== mig.numLabels) {
    throw new Error('grades: table and MIG result have different shapes');
  }
  const rankGrades = gradesForRanks(mig.vocabSize);
  for (const l of labels) {
    const r = gradesOfLabel(mig, l, rankGrades, options);
    table.setLabel(l, r.grades, r.source);
  }
}
