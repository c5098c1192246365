import { describe, expect, it } from 'vitest';
import { PlantSettings } from '../../../shared/contract';
import type { PlantCorpus } from './corpus';
import { buildEncodedCorpus } from './tokenize-stage';

const corpus: PlantCorpus = {
  labels: [{ code: 'A', title: 'a', synonyms: [] }],
  train: [
    { text: 'Regulation (EEC) No 1408/71 applies.', labels: [0] },
    { text: 'Under Regulation No 1408/71 and No 2658/87.', labels: [0] },
  ],
  unlabelled: ['No 2658/87 again.'],
  tuning: [],
  evaluation: [{ text: 'see 1408/71', labels: [0] }],
};

describe('the tokenize stage', () => {
  it('keeps numbers as written by default, and shapes them when the settings say so', () => {
    const settings = PlantSettings.parse({ vocabMinCount: 2 });
    expect(settings.numbers).toBe('keep');
    const kept = buildEncodedCorpus(corpus, settings);
    expect(kept.vocab.tokenizer.numbers).toBe('keep');
    expect(kept.vocab.tokens).toEqual(expect.arrayContaining(['1408/71', '2658/87', 'regulation', 'no']));
    // dev text is encoded with the training vocabulary: the cited act is one known token
    expect(Array.from(kept.evaluation[0]!)).toContain(kept.vocab.tokens.indexOf('1408/71'));
    const shaped = buildEncodedCorpus(corpus, { ...settings, numbers: 'shape' });
    expect(shaped.vocab.tokens).toContain('0000/00');
    expect(shaped.vocab.tokens).not.toContain('1408/71');
  });
});
