import { isStopWord } from './stop-words';

export interface Span {
  /** UTF-16 offsets into the document text. */
  start: number;
  end: number;
  weight: number;
}

/**
 * Why a span of text is not evidence a person can read, or null when it is: punctuation alone,
 * a number (the tokenizer folds every digit to a shape such as "00", so "12" and "1985" are one
 * token class to the model, not a finding), or a stop-word. Mixed tokens such as "T81.4" or
 * "COVID-19" stay: they name things.
 */
export function unreadableEvidence(token: string): 'punctuation' | 'number' | 'stop-word' | null {
  if (!/[\p{L}\p{N}]/u.test(token)) return 'punctuation';
  if (!/\p{L}/u.test(token)) return 'number';
  if (isStopWord(token.replace(/[^\p{L}\p{N}]+/gu, ''))) return 'stop-word';
  return null;
}

/**
 * The evidence spans worth showing: drops spans over punctuation, numbers and stop-words (see
 * `unreadableEvidence`) and spans outside the text, keeping the order and weights of the rest.
 * Applied where evidence leaves the main side (the UI's `evidence.get`, `planter predict
 * --explain`), not inside the model: the model may attend where it likes, a coder is shown words.
 */
export function readableEvidence<S extends Span>(text: string, spans: readonly S[]): S[] {
  return spans.filter((s) => s.end > s.start && s.start >= 0 && s.end <= text.length && unreadableEvidence(text.slice(s.start, s.end)) === null);
}

/**
 * Lexical terms worth showing: a term (a word or a two-word phrase of the keyword ranker) stays
 * when at least one of its words is readable, so "of the" or "00" never stand as evidence while
 * "history of" may.
 */
export function readableTerms<T extends { text: string }>(terms: readonly T[]): T[] {
  return terms.filter((t) => t.text.split(/\s+/).some((w) => w.length > 0 && unreadableEvidence(w) === null));
}
