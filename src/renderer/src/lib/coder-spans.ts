import type { Segment } from './highlight';

/** A coder's span as the document text draws it. */
export interface DrawnSpan {
  id: number;
  start: number;
  end: number;
  code: string;
}

/** A piece of text under one attention weight and the same coder spans. */
export interface Piece extends Segment {
  /** Coder spans covering the piece (ids). */
  spanIds: number[];
  /** Codes of the coder spans that end with this piece (the highlight's label tag). */
  endCodes: string[];
}

/**
 * Cuts attention segments further where coder spans begin or end, so each piece is one element
 * with one attention weight and one set of coder spans. Offsets stay the document's.
 */
export function withCoderSpans(segments: readonly Segment[], spans: readonly DrawnSpan[]): Piece[] {
  const out: Piece[] = [];
  for (const seg of segments) {
    const end = seg.start + seg.text.length;
    const cuts = [...new Set([seg.start, end, ...spans.flatMap((s) => [s.start, s.end]).filter((c) => c > seg.start && c < end)])].sort((a, b) => a - b);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const a = cuts[k]!;
      const b = cuts[k + 1]!;
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      out.push({
        text: seg.text.slice(a - seg.start, b - seg.start),
        weight: seg.weight,
        start: a,
        spanIds: covering.map((s) => s.id),
        endCodes: covering.filter((s) => s.end === b).map((s) => s.code),
      });
    }
  }
  return out;
}

/** The document offset of one selection boundary: elements carry their text's offset in `data-o`. */
function boundaryOffset(root: Element, node: Node, offset: number): number | null {
  if (node.nodeType === Node.TEXT_NODE) {
    const owner = node.parentElement?.closest('[data-o]');
    return owner && root.contains(owner) ? Number(owner.getAttribute('data-o')) + offset : null;
  }
  if (!(node instanceof Element)) return null;
  const child = node.childNodes[offset];
  if (child) {
    const first = child instanceof Element ? (child.matches('[data-o]') ? child : child.querySelector('[data-o]')) : child.parentElement?.closest('[data-o]');
    if (first) return Number(first.getAttribute('data-o'));
  }
  const all = node.querySelectorAll('[data-o]');
  const last = all[all.length - 1] ?? node.closest('[data-o]');
  return last ? Number(last.getAttribute('data-o')) + (last.textContent?.length ?? 0) : null;
}

/**
 * The document range a selection covers inside `root` (UTF-16 offsets, end exclusive), trimmed of
 * surrounding white space; null when it is empty or reaches outside the document text.
 */
export function selectedRange(root: Element, selection: Selection | null, text: string): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  let start = boundaryOffset(root, range.startContainer, range.startOffset);
  let end = boundaryOffset(root, range.endContainer, range.endOffset);
  if (start === null || end === null) return null;
  if (end < start) [start, end] = [end, start];
  start = Math.max(0, Math.min(text.length, start));
  end = Math.max(0, Math.min(text.length, end));
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : null;
}

/** The text node and offset inside it where document offset `at` lies (the piece that holds it, or ends at it when `atEnd`). */
function pointOf(root: Element, at: number, atEnd: boolean): { node: Node; offset: number } | null {
  for (const el of root.querySelectorAll('[data-o]')) {
    const o = Number(el.getAttribute('data-o'));
    const len = el.textContent?.length ?? 0;
    if (atEnd ? at > o && at <= o + len : at >= o && at < o + len) {
      const node = el.firstChild;
      return node?.nodeType === Node.TEXT_NODE ? { node, offset: at - o } : null;
    }
  }
  return null;
}

/**
 * Makes the page's selection the document range [start, end) inside `root` (the inverse of
 * `selectedRange`), so a keyboard selection reaches the same code as a mouse one. False when the
 * range is not rendered there.
 */
export function selectDocumentRange(root: Element, selection: Selection | null, start: number, end: number): boolean {
  const a = pointOf(root, start, false);
  const b = pointOf(root, end, true);
  if (!selection || !a || !b) return false;
  selection.setBaseAndExtent(a.node, a.offset, b.node, b.offset);
  b.node.parentElement?.scrollIntoView({ block: 'nearest' });
  return true;
}
