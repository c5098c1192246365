import { describe, expect, it } from 'vitest';
import { CorpusIndex } from './corpus-index';
import { TrainingWords } from './training-words';

describe('TrainingWords', () => {
  const corpus = new CorpusIndex();
  const texts = ['insulin dependent diabetes', 'diabetes with ketoacidosis', 'acute appendicitis', 'appendicitis with peritonitis', 'fever'];
  texts.forEach((t, i) => corpus.add(10 + i, t));
  const word = (w: string): number => corpus.tokenId(w);
  const counts = (tw: TrainingWords): number[] => ['diabetes', 'appendicitis', 'with', 'fever'].map((w) => tw.df(word(w)));

  it('kept up to date document by document equals counting the new training set afresh', () => {
    const tw = new TrainingWords(corpus, [10, 11, 12]);
    expect([tw.numTraining, ...counts(tw)]).toEqual([3, 2, 1, 1, 0]);
    // 11 leaves the training set, 13 and 14 join, 12 is written but stays, 99 is not indexed
    expect(tw.update([11, 12, 13, 14, 99, 13], new Set([12, 13, 14, 99]))).toBe(true);
    const fresh = new TrainingWords(corpus, [10, 12, 13, 14]);
    expect([tw.numTraining, ...counts(tw)]).toEqual([fresh.numTraining, ...counts(fresh)]);
    expect([tw.numTraining, ...counts(tw)]).toEqual([4, 1, 2, 1, 1]);
    expect(tw.update([10, 12], new Set([10, 12]))).toBe(false);
  });

  it('counts words the index gained after the counts were made', () => {
    const grown = new CorpusIndex();
    grown.add(1, 'cough');
    const tw = new TrainingWords(grown, [1]);
    grown.add(2, 'wheezing cough');
    tw.update([2], new Set([2]));
    expect(tw.df(grown.tokenId('wheezing'))).toBe(1);
    expect(tw.df(grown.tokenId('cough'))).toBe(2);
  });
});
