import { describe, expect, it } from 'vitest';
import { readableEvidence, unreadableEvidence } from './evidence-filter';
import { isStopWord } from './stop-words';

describe('unreadableEvidence', () => {
  it('names what is not evidence: punctuation, numbers (any digit shape), stop-words', () => {
    expect(unreadableEvidence(',')).toBe('punctuation');
    expect(unreadableEvidence('—')).toBe('punctuation');
    expect(unreadableEvidence('12')).toBe('number');
    expect(unreadableEvidence('0.25')).toBe('number');
    expect(unreadableEvidence('1234/85')).toBe('number');
    expect(unreadableEvidence('²')).toBe('number');
    expect(unreadableEvidence('of')).toBe('stop-word');
    expect(unreadableEvidence('Of')).toBe('stop-word');
    expect(unreadableEvidence('old')).toBe('stop-word');
    expect(unreadableEvidence('years')).toBe('stop-word');
  });

  it('keeps words and codes', () => {
    expect(unreadableEvidence('brucellosis')).toBeNull();
    expect(unreadableEvidence('T81.4')).toBeNull();
    expect(unreadableEvidence('COVID-19')).toBeNull();
    expect(unreadableEvidence('Ménière')).toBeNull();
    // Close to a stop-word is not one.
    expect(unreadableEvidence('ofloxacin')).toBeNull();
  });
});

describe('readableEvidence', () => {
  // 0         1         2         3         4
  // 0123456789012345678901234567890123456789012345
  const text = 'A 12-year-old man with fever of 40 C, brucella.';

  it('drops the spans of the issue ("of", "old", "12") and punctuation, keeps words in order with their weights', () => {
    const span = (word: string, weight: number, from = 0): { start: number; end: number; weight: number } => {
      const start = text.indexOf(word, from);
      return { start, end: start + word.length, weight };
    };
    const spans = [span('12', 1), span('old', 0.9), span('fever', 0.8), span('of', 0.7, 20), span('40', 0.6), span(',', 0.5), span('brucella', 0.4), span('man', 0.3)];
    expect(readableEvidence(text, spans).map((s) => [text.slice(s.start, s.end), s.weight])).toEqual([
      ['fever', 0.8],
      ['brucella', 0.4],
      ['man', 0.3],
    ]);
  });

  it('drops empty spans and spans outside the text', () => {
    expect(readableEvidence(text, [{ start: 5, end: 5, weight: 1 }, { start: 40, end: 99, weight: 1 }, { start: -1, end: 1, weight: 1 }])).toEqual([]);
  });

  it('stop-words are compared case-insensitively', () => {
    expect(isStopWord('THE')).toBe(true);
    expect(isStopWord('fever')).toBe(false);
  });
});
