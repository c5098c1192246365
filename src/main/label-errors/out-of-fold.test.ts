import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { encodeTokens } from '../plant/text/encode';
import { DEFAULT_TOKENIZER_SETTINGS, tokenize } from '../plant/text/tokenizer';
import { buildVocabulary } from '../plant/text/vocabulary';
import { assignFolds, outOfFold, type OofInput } from './out-of-fold';
import { flagPairs, labelThresholds, rankDocuments } from './suspicion';

/** Four clinical topics, each with its own words; every note also has filler words. */
const TOPICS = [
  ['hypertension', 'blood', 'pressure', 'amlodipine', 'systolic', 'diastolic', 'enalapril', 'cardiovascular'],
  ['appendicitis', 'mcburney', 'rebound', 'appendectomy', 'periumbilical', 'leukocytosis', 'laparoscopic', 'fecalith'],
  ['brucellosis', 'brucella', 'serology', 'undulant', 'cattle', 'doxycycline', 'sacroiliitis', 'unpasteurised'],
  ['fracture', 'femur', 'osteosynthesis', 'radiograph', 'fall', 'cast', 'orthopaedic', 'displaced'],
];
const FILLER = ['patient', 'admitted', 'hospital', 'history', 'treatment', 'presented', 'days', 'year', 'old', 'male', 'female', 'review'];

function note(rng: Rng, topic: number): string {
  const words: string[] = [];
  for (let i = 0; i < 6; i++) words.push(TOPICS[topic]![rng.int(TOPICS[topic]!.length)]!);
  for (let i = 0; i < 6; i++) words.push(FILLER[rng.int(FILLER.length)]!);
  return words.join(' ');
}

/** 60 notes, 15 per topic, labelled with their topic; note 7 (topic 0) carries label 2 instead. */
function corpus(): { input: OofInput; planted: number } {
  const rng = new Rng(5);
  const texts: string[] = [];
  const labels: number[][] = [];
  for (let i = 0; i < 60; i++) {
    texts.push(note(rng, i % 4));
    labels.push([i % 4]);
  }
  const planted = 8; // topic 0
  labels[planted] = [2];
  const tokens = texts.map((t) => tokenize(t, DEFAULT_TOKENIZER_SETTINGS));
  const vocab = buildVocabulary(tokens, DEFAULT_TOKENIZER_SETTINGS, { minCount: 1 });
  return {
    input: { vocab, docs: tokens.map((t) => encodeTokens(t, vocab)), docLabels: labels, labels: ['Hypertension', 'Appendicitis', 'Brucellosis', 'Femur fracture'].map((title) => ({ title })) },
    planted,
  };
}

describe('assignFolds', () => {
  it('deals every document into one of k folds of nearly equal size, the same for the same seed', () => {
    const f = assignFolds(23, 5, 3);
    const sizes = [0, 0, 0, 0, 0];
    for (const x of f) sizes[x]!++;
    expect(sizes.sort()).toEqual([4, 4, 5, 5, 5]);
    expect(assignFolds(23, 5, 3)).toEqual(f);
    expect(assignFolds(23, 5, 4)).not.toEqual(f);
  });
});

describe('outOfFold', () => {
  it('flags a planted mislabel first: its gold label scored low, its true topic predicted', async () => {
    const { input, planted } = corpus();
    const progress: number[] = [];
    const oof = await outOfFold(input, { folds: 5, seed: 1 }, { onProgress: (d, t) => progress.push(d / t) });
    expect(oof).toHaveLength(60);
    const t = labelThresholds(oof, 4);
    const flags = flagPairs(oof, t);
    const docs = rankDocuments(flags);
    expect(docs[0]!.doc).toBe(planted);
    const kinds = new Map(docs[0]!.flags.map((f) => [f.label, f.kind]));
    expect(kinds.get(2)).toBe('gold-low');
    expect(kinds.get(0)).toBe('missing');
    // The planted document's gold label is scored by a model that never saw it: far below the rest of label 2.
    expect(oof[planted]!.goldScores[0]).toBeLessThan(t.perLabel[2]! / 2);
    // Progress only moves forward and ends at the total.
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(1);
  });

  it('stops between steps when cancelled', async () => {
    const { input } = corpus();
    const signal = { aborted: false };
    const run = outOfFold(input, { folds: 5 }, { signal, onProgress: (d) => (signal.aborted = d > 1000) });
    await expect(run).rejects.toThrow('cancelled');
  });
});
