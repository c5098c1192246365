/**
 * Coder evidence spans as a relevance signal for Stage A' (issue #17 1c). A span a coder marked
 * for label l on a training document says "these words justify l": every token of the document
 * that overlaps such a span is counted once per document, and the label's grade list is re-ranked
 * with those tokens first (most documents first, ties by their MIG grade, then token id), the rest
 * keeping their order below them; grades then come from the ranks as for MIG (rank 0 → 101).
 * Only `corpus.train` is read: spans on dev documents (where we measure) never reach training.
 */
import { DEFAULT_IGNORED_TOKEN_IDS, gradesFromRanking, type GradeTable } from '../mig';
import { encodeText } from '../text/encode';
import type { Vocabulary } from '../text/vocabulary';
import type { PlantDoc } from './corpus';

/** Per label, token id → number of training documents where that token lies inside one of the label's spans. */
export type SpanTokenCounts = Map<number, Map<number, number>>;

/**
 * Token ids under each label's spans. A token overlaps a span [start, end) when they share a
 * UTF-16 code unit. A span for a label the document does not carry is ignored (it is no evidence
 * for a gold label); `<pad>`, `<unk>` and `<mask>` are never counted.
 */
export function spanTokenCounts(docs: readonly PlantDoc[], vocab: Vocabulary): SpanTokenCounts {
  const ignored = new Set(DEFAULT_IGNORED_TOKEN_IDS);
  const counts: SpanTokenCounts = new Map();
  for (const doc of docs) {
    if (!doc.spans?.length) continue;
    const gold = new Set(doc.labels);
    const { ids, startsUtf16, endsUtf16 } = encodeText(doc.text, vocab);
    const perLabel = new Map<number, Set<number>>();
    for (const sp of doc.spans) {
      if (!gold.has(sp.label)) continue;
      const seen = perLabel.get(sp.label) ?? new Set<number>();
      perLabel.set(sp.label, seen);
      for (let i = 0; i < ids.length; i++) {
        if (startsUtf16[i]! < sp.end && sp.start < endsUtf16[i]! && !ignored.has(ids[i]!)) seen.add(ids[i]!);
      }
    }
    for (const [label, tokens] of perLabel) {
      const c = counts.get(label) ?? new Map<number, number>();
      counts.set(label, c);
      for (const t of tokens) c.set(t, (c.get(t) ?? 0) + 1);
    }
  }
  return counts;
}

export interface SpanGradeOptions {
  /** [V] training-document frequency of each token (MIG's n_t). */
  tokenDocFreq: Int32Array;
  numDocs: number;
  /**
   * Span tokens in more than this share of the training documents are left where MIG put them:
   * spans contain "de", "la", "con", and at the top grade the label's query would learn to look
   * at them (the same cut the description grades use). Default 0.5.
   */
  maxDocFreqRatio?: number;
}

/** Re-grades, in place, every label that has span tokens; returns how many labels changed. */
export function applySpanGrades(table: GradeTable, counts: SpanTokenCounts, options: SpanGradeOptions): number {
  const maxDf = (options.maxDocFreqRatio ?? 0.5) * options.numDocs;
  let changed = 0;
  for (const [label, c] of counts) {
    if (label < 0 || label >= table.numLabels) continue;
    const spanTokens = [...c.keys()].filter((t) => t < table.vocabSize && options.tokenDocFreq[t]! <= maxDf);
    if (spanTokens.length === 0) continue;
    const current = table.label(label);
    spanTokens.sort((a, b) => c.get(b)! - c.get(a)! || table.gradeOf(label, b) - table.gradeOf(label, a) || a - b);
    const inSpans = new Set(spanTokens);
    const rest = Array.from(current.tokens.keys())
      .sort((i, j) => current.grades[j]! - current.grades[i]! || current.tokens[i]! - current.tokens[j]!)
      .map((i) => current.tokens[i]!)
      .filter((t) => !inSpans.has(t));
    table.setLabel(label, gradesFromRanking(Int32Array.from([...spanTokens, ...rest]), table.vocabSize), table.source(label) === 'none' ? 'mig' : table.source(label));
    changed++;
  }
  return changed;
}
