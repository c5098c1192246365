import { segments, type Segment } from './highlight';

export interface Paragraph {
  /** UTF-16 offset of the paragraph in the document. */
  start: number;
  segments: Segment[];
}

/**
 * Splits a document into its lines (paragraphs) and each into plain and highlighted segments.
 * Rendering paragraph by paragraph lets the browser lay out and paint only what is on screen
 * (`content-visibility: auto`) and re-lay out only the paragraphs whose highlight changed.
 */
export function paragraphs(text: string, spans: readonly { start: number; end: number; weight: number }[]): Paragraph[] {
  const out: Paragraph[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const inside = spans.filter((s) => s.end > start && s.start < end).map((s) => ({ start: s.start - start, end: s.end - start, weight: s.weight }));
    out.push({ start, segments: segments(text.slice(start, end), inside).map((g) => ({ ...g, start: g.start + start })) });
    if (end === text.length) break;
    start = end + 1;
  }
  return out;
}
