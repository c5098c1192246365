import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlantSettings, type PlantSettingsInput } from '../../../shared/contract';
import { lexicalStage } from './lexical-stage';
import { StageStore } from './stage-store';
import { syntheticCorpus } from './testing/synthetic';
import { buildEncodedCorpus } from './tokenize-stage';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function rankerWeights(unlabelled: number, lexical: PlantSettingsInput['lexical'] = {}): Promise<{ weights: number[]; features: number }> {
  const corpus = syntheticCorpus({ labels: 6, train: 80, dev: 20, unlabelled, seed: 5 });
  const s = PlantSettings.parse({ seed: 1, lexical });
  // The same vocabulary in every run: only what the ranker does with the pool may differ.
  const vocab = buildEncodedCorpus(syntheticCorpus({ labels: 6, train: 80, dev: 20, unlabelled: 60, seed: 5 }), s).vocab;
  const encoded = buildEncodedCorpus(corpus, s, vocab);
  const dir = mkdtempSync(join(tmpdir(), 'lexical-stage-'));
  dirs.push(dir);
  const r = await lexicalStage(corpus, encoded, s, new StageStore(dir, 'k'), { workDir: dir });
  return { weights: r.model.ranker.levels.flatMap((l) => Array.from(l.weight)), features: r.model.tfidf.idf.length };
}

describe('the lexical stage and the unlabelled pool', () => {
  it('more unlabelled text leaves the ranker exactly as it was (document frequencies from labelled documents)', async () => {
    const without = await rankerWeights(0);
    const withPool = await rankerWeights(60);
    expect(withPool.weights.length).toBeGreaterThan(0);
    expect(withPool).toEqual(without);
  });

  it('with idfFromPool the pool does change the features (the switch is real)', async () => {
    const without = await rankerWeights(0, { idfFromPool: true });
    const withPool = await rankerWeights(60, { idfFromPool: true });
    expect(withPool.weights).not.toEqual(without.weights);
  });
});
