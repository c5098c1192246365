/**
 * Keyboard selection of document text by whole words (issue #17: evidence spans by keyboard as
 * well as mouse). A browser selects text from the keyboard only with caret browsing switched on,
 * which no coder does; this cursor moves over the document's words and sentences instead, and the
 * view mirrors its range into the page's selection, where the mouse's would be.
 */

export interface Word {
  start: number;
  end: number;
}

/** Words: runs of letters and digits, joined across inner hyphens and apostrophes ("non-Hodgkin", "Crohn's"). */
export function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** Indexes of the words that begin a sentence: the first, and each after . ! ? ; or a line break. */
export function sentenceStarts(text: string, words: readonly Word[]): number[] {
  const out: number[] = [];
  words.forEach((w, i) => {
    if (i === 0 || /[.!?;\n]/.test(text.slice(words[i - 1]!.end, w.start))) out.push(i);
  });
  return out;
}

/** The selected words: from `anchor` (where the selection began) to `head` (where the cursor is), inclusive. */
export interface WordSelection {
  anchor: number;
  head: number;
}

export type CursorMove = 'word-left' | 'word-right' | 'sentence-up' | 'sentence-down';

/** The word the cursor starts on: the first that ends after `offset` (the last word when none does). */
export function wordAtOrAfter(words: readonly Word[], offset: number): number {
  const i = words.findIndex((w) => w.end > offset);
  return i >= 0 ? i : Math.max(0, words.length - 1);
}

function target(head: number, move: CursorMove, count: number, starts: readonly number[]): number {
  switch (move) {
    case 'word-left':
      return Math.max(0, head - 1);
    case 'word-right':
      return Math.min(count - 1, head + 1);
    case 'sentence-down': {
      const next = starts.find((s) => s > head);
      return next ?? count - 1;
    }
    case 'sentence-up': {
      // to the start of this sentence, or of the previous one when already there
      let prev = 0;
      for (const s of starts) if (s < head) prev = s;
      return prev;
    }
  }
}

/**
 * One key press: the cursor moves (the selection collapses onto the word it lands on) or, with
 * `extend` (Shift held), the head moves and the anchor stays.
 */
export function moveCursor(sel: WordSelection, move: CursorMove, extend: boolean, words: readonly Word[], starts: readonly number[]): WordSelection {
  if (!words.length) return sel;
  const head = target(sel.head, move, words.length, starts);
  return extend ? { anchor: sel.anchor, head } : { anchor: head, head };
}

/** The character range the selection covers. */
export function selectionRange(sel: WordSelection, words: readonly Word[]): { start: number; end: number } | null {
  const a = words[Math.min(sel.anchor, sel.head)];
  const b = words[Math.max(sel.anchor, sel.head)];
  return a && b ? { start: a.start, end: b.end } : null;
}
