import { Rng } from '../../../engine/rng';
import type { PlantCorpus, PlantDoc } from '../corpus';

/** Letters only: the tokenizer folds digits into number shapes, so "key1" and "key2" would collide. */
const word = (i: number): string => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26) % 26)}${String.fromCharCode(97 + Math.floor(i / 676) % 26)}`;

/** The token that signals label l in a synthetic corpus. */
export const keyToken = (l: number): string => `key${word(l)}`;

/**
 * A corpus where the right tokens are known: each document has 1–2 labels, label l is signalled by
 * the single token `keyToken(l)` placed at a random position among random filler words.
 */
export function syntheticCorpus(o: { labels: number; train: number; dev: number; unlabelled?: number; length?: number; seed?: number }): PlantCorpus {
  const rng = new Rng(o.seed ?? 1);
  const filler = Array.from({ length: 200 }, (_, i) => `f${word(i)}`);
  const length = o.length ?? 40;
  const doc = (): PlantDoc => {
    const labels = [...new Set([rng.int(o.labels), ...(rng.next() < 0.5 ? [rng.int(o.labels)] : [])])];
    const words = Array.from({ length }, () => filler[rng.int(filler.length)]!);
    for (const l of labels) words.splice(rng.int(words.length + 1), 0, keyToken(l));
    return { text: words.join(' '), labels };
  };
  const dev = Array.from({ length: o.dev }, doc);
  return {
    labels: Array.from({ length: o.labels }, (_, l) => ({ code: `L${l}`, title: keyToken(l), synonyms: [] })),
    train: Array.from({ length: o.train }, doc),
    unlabelled: Array.from({ length: o.unlabelled ?? 0 }, () => doc().text),
    tuning: dev.slice(0, Math.floor(o.dev / 2)),
    evaluation: dev.slice(Math.floor(o.dev / 2)),
  };
}

/** Small, fast settings for tests (a few seconds on 2 cores). */
export const TEST_SETTINGS = {
  dim: 32,
  maxLen: 64,
  batchSize: 16,
  lr: 0.005,
  vocabMinCount: 1,
  threads: 1,
  epochs: { pretrain: 1, l2r: 2, finetune: 4 },
} as const;
