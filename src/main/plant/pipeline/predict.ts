import { textHash } from '../../lexical/retrain';
import { createPredictor, type Predictor, type PredictorSource } from '../../engine/inference/predictor';
import { denseProbabilities, fuse, type FusionModel } from '../../fusion/fusion';
import { LexicalScorer, NEIGHBOUR_QUERY_FEATURES, type LexicalModel, type ShortlistOptions } from '../../lexical/model';
import { neighboursCarrying, type SimilarDocument } from '../../lexical/neighbours';
import { labelTerms } from '../../lexical/explain';
import { chunkStarts, encodeText } from '../text/encode';
import type { Vocabulary } from '../text/vocabulary';
import type { DocScores } from '../../eval/scores';
import type { PlantModel } from './model';

export interface ScoredLabel {
  label: number;
  score: number;
}

export interface EvidenceSpan {
  /** UTF-16 offsets into the document text. */
  start: number;
  end: number;
  /** Attention weight of the token, in [0, 1]. */
  weight: number;
}

/** A word or word pair of the document that raised the label's lexical score, with where it occurs. */
export interface LexicalTerm {
  text: string;
  /** Its contribution to the label's linear score (weight × TF-IDF value). */
  weight: number;
  spans: { start: number; end: number }[];
}

export interface Explanation {
  label: number;
  score: number;
  spans: EvidenceSpan[];
  terms: LexicalTerm[];
  /** Coded training documents close to this text that carry the label (models whose ranker votes by neighbours). */
  similar: SimilarDocument[];
}

/** Similar coded documents named per label in evidence. */
export const SIMILAR_PER_LABEL = 3;

/** What a predictor is built from: the attention model and/or the lexical ranker with its fusion. */
export interface PredictorParts {
  vocab: Vocabulary;
  maxLen: number;
  numLabels: number;
  /** The attention model (absent for a lexical-only model). */
  attention?: PredictorSource;
  /** The lexical ranker and the fusion (absent for an attention-only model). */
  lexical?: { model: LexicalModel; fusion: FusionModel; shortlist: ShortlistOptions; trainFreq: ArrayLike<number> };
  threads?: number;
}

/**
 * Predictions for raw text with a trained model, whichever it serves:
 * - fused: the lexical ranker's candidates, the attention model's logits of those candidates (max
 *   over windows of `maxLen` tokens), and the fusion's probability of each;
 * - lexical: the candidates' probabilities from the lexical features alone;
 * - attention: every label's sigmoid score, max over windows (models without a ranker).
 * Scores outside the candidates are 0. Evidence maps the most attended tokens of the best window
 * back to character ranges of the text, and names the document's words that raised the label's
 * lexical score.
 */
export class TextPredictor {
  readonly #attention: Predictor | null;
  readonly #lexical: (PredictorParts['lexical'] & { scorer: LexicalScorer }) | null;
  readonly #vocab: Vocabulary;
  readonly #maxLen: number;
  readonly numLabels: number;

  private constructor(attention: Predictor | null, parts: PredictorParts, scorer: LexicalScorer | null) {
    this.#attention = attention;
    this.#lexical = parts.lexical && scorer ? { ...parts.lexical, scorer } : null;
    this.#vocab = parts.vocab;
    this.#maxLen = parts.maxLen;
    this.numLabels = parts.numLabels;
  }

  static async create(parts: PredictorParts): Promise<TextPredictor> {
    if (!parts.attention && !parts.lexical) throw new Error('a predictor needs an attention model, a lexical ranker, or both');
    const scorer = parts.lexical ? await LexicalScorer.create(parts.lexical.model, parts.numLabels) : null;
    const attention = parts.attention ? await createPredictor(parts.attention, { maxLen: parts.maxLen, batchSize: 16, evidenceK: 8, ...(parts.threads ? { threads: parts.threads } : {}) }) : null;
    return new TextPredictor(attention, parts, scorer);
  }

  /** True when evidence can include attended tokens (the model has an attention part). */
  get attends(): boolean {
    return this.#attention !== null;
  }

  #windows(text: string): { ids: Int32Array; windows: Int32Array[]; starts: number[]; encoded: ReturnType<typeof encodeText> } {
    const encoded = encodeText(text, this.#vocab);
    const ids = encoded.ids.length ? encoded.ids : Int32Array.of(0);
    const starts = chunkStarts(ids.length, { windowTokens: this.#maxLen });
    return { ids, windows: starts.map((s) => ids.subarray(s, s + this.#maxLen)), starts, encoded };
  }

  /** The candidates of each text and their probabilities (lexical or fused models). */
  async #fused(texts: readonly string[]): Promise<{ labels: Int32Array; probs: Float32Array }[]> {
    const lx = this.#lexical!;
    const docs = texts.map((t) => this.#windows(t));
    // A training document's own copy never votes for it (its suggestions are the model's, not an echo).
    const votes = Boolean(lx.shortlist.neighbours && lx.scorer.neighbourSearch);
    const cands = docs.map((d, i) => lx.scorer.candidates(lx.scorer.vectorize(d.encoded.ids), lx.shortlist, votes ? textHash(texts[i]!) : undefined));
    let logits: Float32Array[] | null = null;
    if (this.#attention && lx.fusion.withAttention) {
      const windows: Int32Array[] = [];
      const owner: number[] = [];
      docs.forEach((d, i) => d.windows.forEach((w) => (windows.push(w), owner.push(i))));
      logits = cands.map((c) => new Float32Array(c.labels.length).fill(Number.NEGATIVE_INFINITY));
      for (let i = 0; i < windows.length; i += 64) {
        const own = owner.slice(i, i + 64);
        const part = await this.#attention.scoreSubset(windows.slice(i, i + 64), own.map((o) => cands[o]!.labels));
        part.forEach((row, j) => {
          const dst = logits![own[j]!]!;
          for (let c = 0; c < row.length; c++) if (row[c]! > dst[c]!) dst[c] = row[c]!;
        });
      }
    }
    return cands.map((c, i) => ({ labels: c.labels, probs: fuse(lx.fusion, { candidates: c, ...(logits ? { attention: logits[i]! } : {}) }, lx.trainFreq) }));
  }

  /**
   * Each text's scores as the evaluation reads them: fused/lexical models list only their
   * candidates (every other label is −∞, "not suggested"), so a document costs ~120 entries
   * instead of one per label; attention models give every label a score.
   */
  async scoreDocs(texts: readonly string[]): Promise<DocScores[]> {
    if (this.#lexical) return (await this.#fused(texts)).map((f) => ({ labels: f.labels, scores: f.probs }));
    return this.scoreTexts(texts);
  }

  /** Every label's score for each text (fused/lexical: probability, 0 outside the candidates; attention: max over windows). */
  async scoreTexts(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.#lexical) return (await this.#fused(texts)).map((f) => denseProbabilities(this.numLabels, f.labels, f.probs));
    const all: Int32Array[] = [];
    const owner: number[] = [];
    texts.forEach((t, i) => {
      for (const w of this.#windows(t).windows) {
        all.push(w);
        owner.push(i);
      }
    });
    const out = texts.map(() => new Float32Array(this.numLabels).fill(Number.NEGATIVE_INFINITY));
    for (let i = 0; i < all.length; i += 64) {
      const scores = await this.#attention!.scoreAll(all.slice(i, i + 64));
      scores.forEach((row, j) => {
        const doc = out[owner[i + j]!]!;
        for (let l = 0; l < row.length; l++) if (row[l]! > doc[l]!) doc[l] = row[l]!;
      });
    }
    return out;
  }

  /** The k best labels of one text. */
  async top(text: string, k: number): Promise<ScoredLabel[]> {
    if (this.#lexical) {
      const [f] = await this.#fused([text]);
      const order = Array.from(f!.labels.keys()).sort((a, b) => f!.probs[b]! - f!.probs[a]! || f!.labels[a]! - f!.labels[b]!);
      return order.slice(0, k).map((i) => ({ label: f!.labels[i]!, score: f!.probs[i]! }));
    }
    const [scores] = await this.scoreTexts([text]);
    return topOf(scores!, k);
  }

  /**
   * Scores and evidence of the given labels in one text: the most attended tokens of the window
   * that scores each label highest (models with attention), and the document's terms that raised
   * the label's lexical score (models with the ranker).
   */
  async explain(text: string, labels: readonly number[], k = 8): Promise<Explanation[]> {
    const { windows, starts, encoded } = this.#windows(text);
    const spansOf = new Map<number, EvidenceSpan[]>();
    const attentionScore = new Map<number, number>();
    if (this.#attention && labels.length) {
      const perWindow = await this.#attention.scoreAll(windows);
      const byWindow = new Map<number, number[]>();
      for (const l of labels) {
        let best = 0;
        perWindow.forEach((row, w) => {
          if (row[l]! > perWindow[best]![l]!) best = w;
        });
        byWindow.set(best, [...(byWindow.get(best) ?? []), l]);
      }
      for (const [w, ls] of byWindow) {
        for (const e of await this.#attention.explain(windows[w]!, ls, k)) {
          const spans: EvidenceSpan[] = [];
          e.positions.forEach((p, i) => {
            const token = starts[w]! + p;
            if (token < encoded.startsUtf16.length) spans.push({ start: encoded.startsUtf16[token]!, end: encoded.endsUtf16[token]!, weight: Math.max(0, Math.min(1, e.weights[i]!)) });
          });
          spansOf.set(e.label, spans);
          attentionScore.set(e.label, e.score);
        }
      }
    }
    let probOf: Map<number, number> | null = null;
    let termsOf: (l: number) => LexicalTerm[] = () => [];
    let similarOf: (l: number) => SimilarDocument[] = () => [];
    if (this.#lexical) {
      const lx = this.#lexical;
      const [f] = await this.#fused([text]);
      probOf = new Map(Array.from(f!.labels, (l, i) => [l, f!.probs[i]!]));
      const x = lx.scorer.vectorize(encoded.ids);
      termsOf = (l) => labelTerms(lx.model, lx.scorer, l, x, encoded, this.#vocab, k);
      const search = lx.scorer.neighbourSearch;
      if (search && lx.shortlist.neighbours) {
        // The same neighbours that voted in the fused score above (same k, same self-exclusion).
        const nb = search.nearest(x, { k: lx.shortlist.neighbours.k, queryFeatures: NEIGHBOUR_QUERY_FEATURES }, textHash(text));
        similarOf = (l) => neighboursCarrying(search.index, nb, l, SIMILAR_PER_LABEL);
      }
    }
    return labels.map((l) => ({ label: l, score: probOf ? (probOf.get(l) ?? 0) : (attentionScore.get(l) ?? 0), spans: spansOf.get(l) ?? [], terms: termsOf(l), similar: similarOf(l) }));
  }

  dispose(): Promise<void> {
    return this.#attention?.dispose() ?? Promise.resolve();
  }
}

export function topOf(scores: Float32Array, k: number): ScoredLabel[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return idx.slice(0, k).map((label) => ({ label, score: scores[label]! }));
}

/** The parts of a stored model a predictor needs (its attention part only when it has one). */
export function predictorParts(model: PlantModel, vocab: Vocabulary, threads?: number): PredictorParts {
  return {
    vocab,
    maxLen: model.settings.maxLen,
    numLabels: model.labels.length,
    ...(model.serves !== 'lexical' ? { attention: { config: model.config, params: model.params } } : {}),
    ...(model.serves !== 'attention' && model.lexical && model.fusion
      ? { lexical: { model: model.lexical, fusion: model.fusion, shortlist: shortlistOf(model.settings), trainFreq: model.trainFreq } }
      : {}),
    ...(threads ? { threads } : {}),
  };
}

export const shortlistOf = (s: PlantModel['settings']): ShortlistOptions => ({ beam: s.lexical.beam, shortlist: s.lexical.shortlist, zeroShot: s.lexical.zeroShot, ...(s.lexical.neighbours > 0 ? { neighbours: { k: s.lexical.neighbours, extra: s.lexical.neighbourCandidates } } : {}) });
