import { describe, expect, it } from 'vitest';
import { moveCursor, selectionRange, sentenceStarts, wordAtOrAfter, wordsOf } from './word-cursor';

const TEXT = "Patient with non-Hodgkin lymphoma. Crohn's disease since 2019!\nNo fever";

describe('word cursor', () => {
  const words = wordsOf(TEXT);
  const starts = sentenceStarts(TEXT, words);
  const textOf = (i: number): string => TEXT.slice(words[i]!.start, words[i]!.end);

  it('finds words, keeping inner hyphens and apostrophes, and where sentences start', () => {
    expect(words.map((_, i) => textOf(i))).toEqual(['Patient', 'with', 'non-Hodgkin', 'lymphoma', "Crohn's", 'disease', 'since', '2019', 'No', 'fever']);
    expect(starts).toEqual([0, 4, 8]);
  });

  it('moves by a word, collapsing the selection, and stops at both ends', () => {
    expect(moveCursor({ anchor: 2, head: 2 }, 'word-right', false, words, starts)).toEqual({ anchor: 3, head: 3 });
    expect(moveCursor({ anchor: 0, head: 0 }, 'word-left', false, words, starts)).toEqual({ anchor: 0, head: 0 });
    expect(moveCursor({ anchor: 9, head: 9 }, 'word-right', false, words, starts)).toEqual({ anchor: 9, head: 9 });
    expect(moveCursor({ anchor: 1, head: 3 }, 'word-left', false, words, starts)).toEqual({ anchor: 2, head: 2 });
  });

  it('extends with Shift: the anchor stays, and the range runs either way from it', () => {
    let sel = { anchor: 2, head: 2 };
    sel = moveCursor(sel, 'word-right', true, words, starts);
    expect(selectionRange(sel, words)).toEqual({ start: words[2]!.start, end: words[3]!.end });
    expect(TEXT.slice(words[2]!.start, words[3]!.end)).toBe('non-Hodgkin lymphoma');
    // head 3 → 2 → 1: past the anchor, the range now runs leftwards from it
    sel = moveCursor(moveCursor(sel, 'word-left', true, words, starts), 'word-left', true, words, starts);
    expect(sel).toEqual({ anchor: 2, head: 1 });
    expect(selectionRange(sel, words)).toEqual({ start: words[1]!.start, end: words[2]!.end });
  });

  it('moves by sentence: down to the next start, up to this sentence’s start, then the previous one', () => {
    expect(moveCursor({ anchor: 1, head: 1 }, 'sentence-down', false, words, starts).head).toBe(4);
    expect(moveCursor({ anchor: 8, head: 8 }, 'sentence-down', false, words, starts).head).toBe(9); // last sentence: its last word
    expect(moveCursor({ anchor: 6, head: 6 }, 'sentence-up', false, words, starts).head).toBe(4);
    expect(moveCursor({ anchor: 4, head: 4 }, 'sentence-up', false, words, starts).head).toBe(0);
    expect(selectionRange(moveCursor({ anchor: 4, head: 4 }, 'sentence-down', true, words, starts), words)).toEqual({ start: words[4]!.start, end: words[8]!.end });
  });

  it('starts on the word at or after an offset; a text without words gives no range', () => {
    expect(wordAtOrAfter(words, TEXT.indexOf('lymphoma') + 2)).toBe(3);
    expect(wordAtOrAfter(words, TEXT.indexOf(' Crohn'))).toBe(4);
    expect(wordAtOrAfter(words, TEXT.length)).toBe(9);
    expect(wordsOf(' — ... ')).toEqual([]);
    expect(selectionRange({ anchor: 0, head: 0 }, [])).toBeNull();
    expect(moveCursor({ anchor: 0, head: 0 }, 'word-right', true, [], [])).toEqual({ anchor: 0, head: 0 });
  });
});
