export interface Segment {
  text: string;
  /** Evidence weight in (0, 1] for highlighted text, 0 for plain text. */
  weight: number;
  start: number;
}

/**
 * Cuts `text` into plain and highlighted segments from evidence spans (character ranges with
 * weights). Overlapping spans keep the larger weight; spans are clipped to the text; the result
 * covers the text exactly once, so a long document becomes a handful of nodes, not one per token.
 */
export function segments(text: string, spans: readonly { start: number; end: number; weight: number }[]): Segment[] {
  const n = text.length;
  const clean = spans
    .map((s) => ({ start: Math.max(0, Math.min(n, Math.floor(s.start))), end: Math.max(0, Math.min(n, Math.ceil(s.end))), weight: Math.max(0, Math.min(1, s.weight)) }))
    .filter((s) => s.end > s.start && s.weight > 0);
  if (clean.length === 0) return n ? [{ text, weight: 0, start: 0 }] : [];
  // Boundaries where the max weight can change.
  const cuts = [...new Set([0, n, ...clean.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k]!;
    const b = cuts[k + 1]!;
    let w = 0;
    for (const s of clean) if (s.start <= a && s.end >= b && s.weight > w) w = s.weight;
    const last = out.at(-1);
    if (last && last.weight === w) last.text += text.slice(a, b);
    else out.push({ text: text.slice(a, b), weight: w, start: a });
  }
  return out;
}
