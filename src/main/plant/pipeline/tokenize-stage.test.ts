import { describe, expect, it } from 'vitest';
import { PlantSettings } from '../../../shared/contract';
import { UNK_ID } from '../text/vocabulary';
import type { PlantCorpus } from './corpus';
import { buildEncodedCorpus } from './tokenize-stage';

const settings = PlantSettings.parse({ vocabMinCount: 2 });

const corpus = (unlabelled: string[]): PlantCorpus => ({
  labels: [{ code: 'A', title: 'fever', synonyms: [] }],
  // "fever" and "cough" are in two labelled documents; "rash" in one only.
  train: [
    { text: 'fever cough rash', labels: [0] },
    { text: 'fever cough', labels: [0] },
  ],
  unlabelled,
  tuning: [{ text: 'fever rash salmonella', labels: [0] }],
  evaluation: [{ text: 'cough salmonella', labels: [0] }],
});

describe('buildEncodedCorpus and the unlabelled pool', () => {
  // Regression (issue 13): pool text used to count towards the vocabulary, so "rash" (one labelled
  // document + the pool) passed minCount and became a top MIG grade of the label, and "salmonella"
  // (the pool alone) got an embedding fine-tuning never trains.
  const pool = ['rash salmonella', 'rash salmonella fever', 'salmonella'];
  const without = buildEncodedCorpus(corpus([]), settings);
  const withPool = buildEncodedCorpus(corpus(pool), settings);

  it('takes its words from the labelled training documents only', () => {
    expect(withPool.vocab.tokens).toEqual(without.vocab.tokens);
    expect(withPool.vocab.fingerprint).toBe(without.vocab.fingerprint);
    expect(withPool.vocab.idOf('fever')).not.toBe(UNK_ID);
    expect(withPool.vocab.idOf('rash')).toBe(UNK_ID);
    expect(withPool.vocab.idOf('salmonella')).toBe(UNK_ID);
  });

  it('encodes labelled and dev documents the same with or without pool text', () => {
    for (const part of ['train', 'tuning', 'evaluation'] as const) {
      expect(withPool[part].map((d) => Array.from(d))).toEqual(without[part].map((d) => Array.from(d)));
    }
  });

  it('still encodes the pool, with words no labelled document has as <unk>', () => {
    expect(withPool.unlabelled.map((d) => Array.from(d))).toEqual([
      [UNK_ID, UNK_ID],
      [UNK_ID, UNK_ID, withPool.vocab.idOf('fever')],
      [UNK_ID],
    ]);
  });
});
