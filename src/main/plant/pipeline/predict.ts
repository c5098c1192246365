import { createPredictor, type Predictor } from '../../engine/inference/predictor';
import { chunkStarts, encodeText } from '../text/encode';
import type { Vocabulary } from '../text/vocabulary';

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

/**
 * Predictions for raw text with a trained classifier: tokenises with the model's vocabulary,
 * scores every window of `maxLen` tokens and takes the max per label; evidence maps the most
 * attended tokens of the best window back to character ranges of the text.
 */
export class TextPredictor {
  readonly #predictor: Predictor;
  readonly #vocab: Vocabulary;
  readonly #maxLen: number;
  readonly numLabels: number;

  private constructor(predictor: Predictor, vocab: Vocabulary, maxLen: number, numLabels: number) {
    this.#predictor = predictor;
    this.#vocab = vocab;
    this.#maxLen = maxLen;
    this.numLabels = numLabels;
  }

  static async create(source: Parameters<typeof createPredictor>[0], vocab: Vocabulary, maxLen: number, numLabels: number, threads?: number): Promise<TextPredictor> {
    const predictor = await createPredictor(source, { maxLen, batchSize: 16, evidenceK: 8, ...(threads ? { threads } : {}) });
    return new TextPredictor(predictor, vocab, maxLen, numLabels);
  }

  #windows(text: string): { ids: Int32Array; windows: Int32Array[]; starts: number[]; encoded: ReturnType<typeof encodeText> } {
    const encoded = encodeText(text, this.#vocab);
    const ids = encoded.ids.length ? encoded.ids : Int32Array.of(0);
    const starts = chunkStarts(ids.length, { windowTokens: this.#maxLen });
    return { ids, windows: starts.map((s) => ids.subarray(s, s + this.#maxLen)), starts, encoded };
  }

  /** Every label's score for each text (max over windows). */
  async scoreTexts(texts: readonly string[]): Promise<Float32Array[]> {
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
      const scores = await this.#predictor.scoreAll(all.slice(i, i + 64));
      scores.forEach((row, j) => {
        const doc = out[owner[i + j]!]!;
        for (let l = 0; l < row.length; l++) if (row[l]! > doc[l]!) doc[l] = row[l]!;
      });
    }
    return out;
  }

  /** The k best labels of one text. */
  async top(text: string, k: number): Promise<ScoredLabel[]> {
    const [scores] = await this.scoreTexts([text]);
    return topOf(scores!, k);
  }

  /** Scores and evidence spans of the given labels in one text, from the window that scores each label highest. */
  async explain(text: string, labels: readonly number[], k = 8): Promise<{ label: number; score: number; spans: EvidenceSpan[] }[]> {
    const { windows, starts, encoded } = this.#windows(text);
    const perWindow = await this.#predictor.scoreAll(windows);
    const result: { label: number; score: number; spans: EvidenceSpan[] }[] = [];
    const byWindow = new Map<number, number[]>();
    for (const l of labels) {
      let best = 0;
      perWindow.forEach((row, w) => {
        if (row[l]! > perWindow[best]![l]!) best = w;
      });
      byWindow.set(best, [...(byWindow.get(best) ?? []), l]);
    }
    for (const [w, ls] of byWindow) {
      const ev = await this.#predictor.explain(windows[w]!, ls, k);
      for (const e of ev) {
        const spans: EvidenceSpan[] = [];
        e.positions.forEach((p, i) => {
          const token = starts[w]! + p;
          if (token < encoded.startsUtf16.length) spans.push({ start: encoded.startsUtf16[token]!, end: encoded.endsUtf16[token]!, weight: Math.max(0, Math.min(1, e.weights[i]!)) });
        });
        result.push({ label: e.label, score: e.score, spans });
      }
    }
    return labels.map((l) => result.find((r) => r.label === l)!);
  }

  dispose(): Promise<void> {
    return this.#predictor.dispose();
  }
}

export function topOf(scores: Float32Array, k: number): ScoredLabel[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return idx.slice(0, k).map((label) => ({ label, score: scores[label]! }));
}
