/**
 * Lexical evidence: the document's words and word pairs that raised a label's lexical score —
 * weight × TF-IDF value of each shared feature, in the label's own linear model (labels with
 * training documents) or in its description vector (labels without) — with where they occur in
 * the text, so a coder sees why the ranker suggested the code.
 */
import type { EncodedText } from '../plant/text/encode';
import type { Vocabulary } from '../plant/text/vocabulary';
import type { LexicalModel, LexicalScorer } from './model';
import { rowOf, type SparseVector } from './sparse';
import { keyTokens } from './tfidf';

export interface TermEvidence {
  text: string;
  weight: number;
  spans: { start: number; end: number }[];
}

/** (feature, contribution) of label l's leaf model for x, positive contributions only. */
function rankerContributions(model: LexicalModel, node: number, x: SparseVector): Map<number, number> {
  const K = model.ranker.levels.length;
  const level = model.ranker.levels[K - 1]!;
  const cs = model.ranker.tree.levels[K - 1]!.childStart;
  // the group holding `node`: the last p with childStart[p] ≤ node
  let lo = 0;
  let hi = cs.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cs[mid]! <= node) lo = mid;
    else hi = mid - 1;
  }
  const child = node - cs[lo]!;
  const out = new Map<number, number>();
  const a = level.featStart[lo]!;
  const b = level.featStart[lo + 1]!;
  for (let j = 0; j < x.indices.length; j++) {
    const f = x.indices[j]!;
    let l2 = a;
    let h2 = b;
    while (l2 < h2) {
      const mid = (l2 + h2) >> 1;
      if (level.feats[mid]! < f) l2 = mid + 1;
      else h2 = mid;
    }
    if (l2 >= b || level.feats[l2] !== f) continue;
    for (let e = level.entryStart[l2]!; e < level.entryStart[l2 + 1]!; e++) {
      if (level.child[e] === child) {
        const v = level.weight[e]! * x.values[j]!;
        if (v > 0) out.set(f, v);
      }
    }
  }
  return out;
}

function descriptionContributions(model: LexicalModel, label: number, x: SparseVector): Map<number, number> {
  const d = rowOf(model.descriptions, label);
  const out = new Map<number, number>();
  let i = 0;
  let j = 0;
  while (i < x.indices.length && j < d.indices.length) {
    if (x.indices[i] === d.indices[j]) {
      out.set(x.indices[i]!, x.values[i]! * d.values[j]!);
      i++;
      j++;
    } else if (x.indices[i]! < d.indices[j]!) i++;
    else j++;
  }
  return out;
}

/** The k terms that raised label l's lexical score most, with their places in the text. */
export function labelTerms(model: LexicalModel, scorer: LexicalScorer, label: number, x: SparseVector, doc: EncodedText, vocab: Vocabulary, k: number): TermEvidence[] {
  const node = scorer.nodeOf(label);
  const contrib = node >= 0 ? rankerContributions(model, node, x) : descriptionContributions(model, label, x);
  const top = [...contrib.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
  const V = model.tfidf.vocabSize;
  return top.map(([f, weight]) => {
    const tokens = keyTokens(model.tfidf.keys[f]!, V);
    const spans: { start: number; end: number }[] = [];
    for (let t = 0; t + tokens.length <= doc.ids.length && spans.length < 20; t++) {
      if (doc.ids[t] === tokens[0] && (tokens.length === 1 || doc.ids[t + 1] === tokens[1])) spans.push({ start: doc.startsUtf16[t]!, end: doc.endsUtf16[t + tokens.length - 1]! });
    }
    return { text: tokens.map((id) => vocab.tokens[id] ?? '').join(' '), weight, spans };
  });
}
