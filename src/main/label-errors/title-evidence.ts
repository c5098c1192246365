/**
 * The label-errors audit's second witness (issue #17): does the document use the words of the
 * label's own catalogue title (and synonyms)? The out-of-fold score says little about a label with
 * one or two training documents, where true and wrong pairs look alike; but a wrongly assigned
 * code's title rarely shares words with the text, while a right code's title often does
 * (measured on the demo: bench/label-noise.ts, docs/benchmarks.md). Pure and label-free: only
 * the document's text and the label's description are read.
 *
 * Words are compared by their first STEM_LENGTH letters, so "diabetes" meets "diabetic" and
 * "fractures" meets "fracture"; numbers, words under three letters and the catalogue's filler
 * words ("unspecified", "other", "of") do not count.
 */
import { descriptionText, type DescribedLabel } from '../lexical/descriptions';
import { DEFAULT_TOKENIZER_SETTINGS, tokenize } from '../plant/text/tokenizer';

/** Letters kept of each word (chosen on the tuning seed 7 among 4, 5, 6 and whole words). */
export const STEM_LENGTH = 5;

/** Words of ICD-style titles that say nothing about a document's subject. */
const FILLER = new Set(
  'and the with without due other unspecified not elsewhere classified for than type site part specified stated nos left right initial encounter'.split(' '),
);

/** The comparable words (stems) of a text, once each. */
export function stemSet(text: string): Set<string> {
  const out = new Set<string>();
  for (const t of tokenize(text, DEFAULT_TOKENIZER_SETTINGS)) {
    if (t.length < 3 || !/^[a-z]+$/.test(t) || FILLER.has(t)) continue;
    out.add(t.slice(0, STEM_LENGTH));
  }
  return out;
}

/** How many of a title's words the document uses. */
export interface TitleMatch {
  shared: number;
  words: number;
}

/** The title's stems that the document's stems contain. */
export function titleMatch(titleStems: ReadonlySet<string>, docStems: ReadonlySet<string>): TitleMatch {
  let shared = 0;
  for (const w of titleStems) if (docStems.has(w)) shared++;
  return { shared, words: titleStems.size };
}

/** The comparable words of a label's description (title and synonyms). */
export const labelStems = (label: DescribedLabel): Set<string> => stemSet(descriptionText(label));

/** Share of the title's words in the document; NaN when the title has none (no evidence either way). */
export const titleOverlap = (m: TitleMatch): number => (m.words ? m.shared / m.words : Number.NaN);
