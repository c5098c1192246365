import type { LabelTerms } from './label-terms';

/** Span texts kept per label: a coder's most frequent phrasings. */
export const SPAN_TERMS_PER_LABEL = 8;

/**
 * Puts the texts coders marked as a label's evidence in front of its distinctive terms, so the
 * picker finds a code by the very words a coder highlighted for it ("dolor abdominal" → R10.9),
 * even for a label whose documents share no distinctive word. Texts are folded to lower case and
 * white space, the most often marked first; a label with spans and no assignment still gets terms.
 */
export function withSpanTerms(labels: readonly LabelTerms[], spanTexts: readonly { labelId: number; text: string; n: number }[], perLabel = SPAN_TERMS_PER_LABEL): LabelTerms[] {
  const byLabel = new Map<number, { text: string; n: number }[]>();
  for (const s of spanTexts) {
    const text = s.text.toLowerCase().replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const list = byLabel.get(s.labelId) ?? [];
    const same = list.find((x) => x.text === text);
    if (same) same.n += s.n;
    else list.push({ text, n: s.n });
    byLabel.set(s.labelId, list);
  }
  const out: LabelTerms[] = [];
  const seen = new Set<number>();
  const merged = (labelId: number, terms: readonly string[]): LabelTerms => {
    const spans = (byLabel.get(labelId) ?? [])
      .sort((a, b) => b.n - a.n || a.text.localeCompare(b.text))
      .slice(0, perLabel)
      .map((x) => x.text);
    return { labelId, terms: [...new Set([...spans, ...terms])] };
  };
  for (const l of labels) {
    seen.add(l.labelId);
    out.push(merged(l.labelId, l.terms));
  }
  for (const labelId of [...byLabel.keys()].sort((a, b) => a - b)) if (!seen.has(labelId)) out.push(merged(labelId, []));
  return out;
}
