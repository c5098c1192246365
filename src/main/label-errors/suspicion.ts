/**
 * Confident-learning maths of the label-errors audit (issue #17), pure: from out-of-fold scores of
 * the training documents to flagged (document, label) pairs, ranked.
 *
 * The lexical ranker's scores are not calibrated probabilities, so no threshold of src/main/eval
 * applies; each label's threshold is derived out of fold instead, by confident learning's
 * per-class rule (Northcutt et al. 2021, "Confident Learning", the class's self-confidence):
 *
 *   t_l = (Σ_{d : l ∈ gold(d)} s_dl + PRIOR · g) / (n_l + PRIOR)
 *
 * the mean out-of-fold score of label l over the training documents that carry it, shrunk
 * towards g, the same mean over every gold pair, by PRIOR pseudo-documents (most labels have one
 * to five examples, whose own mean says little). Only scoreable pairs count: a label whose every
 * other example sits in the same fold has no out-of-fold model, and its pairs are neither flagged
 * nor used.
 *
 * A pair is flagged when
 *   (a) `gold-low`: l is gold on d and s_dl < t_l. Its suspicion multiplies three witnesses, each
 *       in [0, 1], so a pair ranks high only when all agree:
 *         (1 − s_dl / t_l)   how far below its threshold,
 *         (1 − o)            o, the share of the label's title words the text uses (title-evidence.ts;
 *                            NO_TITLE_OVERLAP when the title has no comparable word),
 *         r                  the share of the document's other scored labels (gold and predicted)
 *                            that score above it (1 when there is none to compare with).
 *       The out-of-fold score alone cannot tell a wrong label from a right one with one or two
 *       examples; the title and the document's own ranking can.
 *   (b) `missing`: l is not gold on d, the out-of-fold model predicts it, and s_dl > t_l;
 *       suspicion (s_dl − t_l) / (1 − t_l), in (0, 1].
 * Pairs are ranked by suspicion, then by document and label (stable). A document's suspicion is
 * that of its most suspicious pair. The rule and its constants were chosen on noise seed 7 and
 * reported on seeds 1–3 (docs/benchmarks.md, "Suspicious labels").
 */
import { titleOverlap, type TitleMatch } from './title-evidence';

/** Out-of-fold scores of one training document (dense label indices of the audit's label space). */
export interface OofDoc {
  /** Gold labels. */
  gold: Int32Array;
  /** [gold] out-of-fold score in [0, 1] of each gold label; NaN when the label could not be scored. */
  goldScores: Float32Array;
  /** The out-of-fold model's best labels that are not gold, best first. */
  predicted: Int32Array;
  predictedScores: Float32Array;
}

/** Pseudo-documents at the global mean in each label's threshold (see the module comment). */
export const THRESHOLD_PRIOR = 4;

/** The title witness when a title has no comparable word: neither for nor against. */
export const NO_TITLE_OVERLAP = 0.5;

export type FlagKind = 'gold-low' | 'missing';

export interface Flag {
  /** Index of the document in the audited list. */
  doc: number;
  label: number;
  kind: FlagKind;
  /** The out-of-fold score. */
  score: number;
  /** The label's threshold. */
  threshold: number;
  suspicion: number;
  /** `gold-low` only: the title's words the text uses (null when no title was given). */
  title: TitleMatch | null;
  /** `gold-low` only: how many of the document's `rankOf` other scored labels score above it. */
  rankAbove: number;
  rankOf: number;
}

/** The title witness of a gold pair: the (document, label) → title match, or none. */
export type TitleLookup = (doc: number, label: number) => TitleMatch | null;

export interface Thresholds {
  /** [L] each label's threshold (labels without a scoreable gold pair get `global`). */
  perLabel: Float64Array;
  /** Mean out-of-fold score over every scoreable gold pair (0.5 when there is none). */
  global: number;
}

/**
 * Per-label thresholds from the gold pairs' out-of-fold scores.
 * @example labelThresholds([{ gold: [0], goldScores: [0.8], … }, { gold: [0], goldScores: [0.4], … }], 1, 0)
 *   // perLabel [0.6] (no prior: the plain mean)
 */
export function labelThresholds(docs: readonly OofDoc[], numLabels: number, prior = THRESHOLD_PRIOR): Thresholds {
  const sum = new Float64Array(numLabels);
  const n = new Float64Array(numLabels);
  let all = 0;
  let count = 0;
  for (const d of docs) {
    for (let i = 0; i < d.gold.length; i++) {
      const s = d.goldScores[i]!;
      if (Number.isNaN(s)) continue;
      sum[d.gold[i]!]! += s;
      n[d.gold[i]!]! += 1;
      all += s;
      count++;
    }
  }
  const global = count ? all / count : 0.5;
  const perLabel = new Float64Array(numLabels);
  for (let l = 0; l < numLabels; l++) perLabel[l] = n[l]! + prior > 0 ? (sum[l]! + prior * global) / (n[l]! + prior) : global;
  return { perLabel, global };
}

/** How far past its threshold a score is (0 when it is not past it): see the module comment. */
export function suspicion(kind: FlagKind, score: number, threshold: number): number {
  if (kind === 'gold-low') return score < threshold && threshold > 0 ? 1 - score / threshold : 0;
  return score > threshold && threshold < 1 ? (score - threshold) / (1 - threshold) : 0;
}

/**
 * A gold pair's suspicion from its three witnesses (see the module comment): `belowThreshold`
 * = suspicion('gold-low', s, t), `overlap` the title's word share (NaN: the title has no word to
 * compare; null: no title witness, factor 1), `rankAbove` of `rankOf` the document's other scored
 * labels above it (rankOf 0: nothing to rank against, factor 1).
 * @example goldSuspicion(0.8, 0.25, 3, 4) // 0.8 · 0.75 · 0.75 = 0.45
 */
export function goldSuspicion(belowThreshold: number, overlap: number | null, rankAbove: number, rankOf: number): number {
  const title = overlap === null ? 1 : 1 - (Number.isNaN(overlap) ? NO_TITLE_OVERLAP : overlap);
  const rank = rankOf > 0 ? rankAbove / rankOf : 1;
  return belowThreshold * title * rank;
}

export interface FlagOptions {
  /** The title witness (without it, only the score and the rank testify). */
  titles?: TitleLookup;
  /** The rank witness (default on; off only to measure what it adds, bench/label-noise.ts). */
  rank?: boolean;
}

/** Every flagged pair of the documents, most suspicious first. */
export function flagPairs(docs: readonly OofDoc[], thresholds: Thresholds, options: FlagOptions = {}): Flag[] {
  const { titles, rank = true } = options;
  const out: Flag[] = [];
  docs.forEach((d, doc) => {
    const scored: number[] = [];
    for (const s of d.goldScores) if (!Number.isNaN(s)) scored.push(s);
    for (const s of d.predictedScores) scored.push(s);
    for (let i = 0; i < d.gold.length; i++) {
      const s = d.goldScores[i]!;
      if (Number.isNaN(s)) continue;
      const label = d.gold[i]!;
      const t = thresholds.perLabel[label]!;
      const v = suspicion('gold-low', s, t);
      if (v <= 0) continue;
      const title = titles?.(doc, label) ?? null;
      let rankAbove = 0;
      for (const x of scored) if (x > s) rankAbove++;
      const rankOf = scored.length - 1;
      const g = goldSuspicion(v, title ? titleOverlap(title) : null, rank ? rankAbove : 0, rank ? rankOf : 0);
      if (g > 0) out.push({ doc, label, kind: 'gold-low', score: s, threshold: t, suspicion: g, title, rankAbove, rankOf });
    }
    for (let i = 0; i < d.predicted.length; i++) {
      const label = d.predicted[i]!;
      const s = d.predictedScores[i]!;
      const t = thresholds.perLabel[label]!;
      const v = suspicion('missing', s, t);
      if (v > 0) out.push({ doc, label, kind: 'missing', score: s, threshold: t, suspicion: v, title: null, rankAbove: 0, rankOf: 0 });
    }
  });
  return out.sort(byFlag);
}

/** Most suspicious first; ties by document, then label (the same input gives the same order). */
export function byFlag(a: Flag, b: Flag): number {
  return b.suspicion - a.suspicion || a.doc - b.doc || a.label - b.label;
}

/** Each flagged document with its flags (most suspicious first), the most suspicious document first. */
export function rankDocuments(flags: readonly Flag[]): { doc: number; suspicion: number; flags: Flag[] }[] {
  const byDoc = new Map<number, Flag[]>();
  for (const f of [...flags].sort(byFlag)) {
    const list = byDoc.get(f.doc);
    if (list) list.push(f);
    else byDoc.set(f.doc, [f]);
  }
  return [...byDoc.entries()].map(([doc, fs]) => ({ doc, suspicion: fs[0]!.suspicion, flags: fs })).sort((a, b) => b.suspicion - a.suspicion || b.flags.length - a.flags.length || a.doc - b.doc);
}

/**
 * The reason of one flag, as a reviewer reads it: "gold but scored 0.03 vs threshold 0.41, below
 * 9 of the document's 12 other labels; its title shares none of its 4 words with the text" /
 * "predicted 0.92, not in gold (threshold 0.41)".
 */
export function flagText(f: Pick<Flag, 'kind' | 'score' | 'threshold'> & Partial<Pick<Flag, 'title' | 'rankAbove' | 'rankOf'>>): string {
  if (f.kind === 'missing') return `predicted ${f.score.toFixed(2)}, not in gold (threshold ${f.threshold.toFixed(2)})`;
  let text = `gold but scored ${f.score.toFixed(2)} vs threshold ${f.threshold.toFixed(2)}`;
  if (f.rankOf) text += `, below ${f.rankAbove ?? 0} of the document's ${f.rankOf} other labels`;
  if (f.title?.words) text += `; ${titleClause(f.title)}`;
  return text;
}

const titleClause = (m: TitleMatch): string => {
  if (m.words === 1) return `its title's one word is ${m.shared ? '' : 'not '}in the text`;
  if (m.shared === 0) return `its title shares none of its ${m.words} words with the text`;
  if (m.shared === m.words) return `its title shares all ${m.words} of its words with the text`;
  return `its title shares ${m.shared} of its ${m.words} words with the text`;
};
