import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlantSettings } from '../../../shared/contract';
import { classifierConfig, MONITOR_DOCS } from './model-config';
import { finetuneStage, precisionAt5 } from './finetune-stage';
import { scoreDocuments, withPredictor } from './scoring';
import { StageStore } from './stage-store';
import { syntheticCorpus, TEST_SETTINGS } from './testing/synthetic';
import { buildEncodedCorpus } from './tokenize-stage';

const dir = mkdtempSync(join(tmpdir(), 'finetune-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finetuneStage keeps the epoch with the best tuning P@5', () => {
  it('returns the parameters of the monitored best epoch, not merely the last', async () => {
    const corpus = syntheticCorpus({ labels: 6, train: 60, dev: 40, seed: 11 });
    // A learning rate far too high makes later epochs wander: the best epoch is rarely the last.
    const s = PlantSettings.parse({ ...TEST_SETTINGS, lr: 0.05, epochs: { ...TEST_SETTINGS.epochs, finetune: 6 }, frozenEpochs: 0 });
    const encoded = buildEncodedCorpus(corpus, s);
    const L = corpus.labels.length;
    const result = await finetuneStage({ ids: encoded.train, docs: corpus.train }, { ids: encoded.tuning, docs: corpus.tuning }, {}, encoded.vocab.size, L, s, new StageStore(dir, 'k'), { workDir: dir });
    const p5s = result.curve.map((c) => c.p5!);
    expect(p5s).toHaveLength(6);
    const bestEpoch = p5s.indexOf(Math.max(...p5s)) + 1;
    expect(result.bestEpoch).toBe(bestEpoch);
    expect(bestEpoch).toBeLessThan(6); // this seed and lr: the last epoch is not the best
    // The returned parameters score exactly the best epoch's P@5 on the monitored documents.
    const monitor = encoded.tuning.slice(0, MONITOR_DOCS);
    const scores = await withPredictor(classifierConfig(s, encoded.vocab.size, L), result.params, { threads: 1, maxLen: s.maxLen }, (pr) => scoreDocuments(pr, monitor, L, { maxLen: s.maxLen }));
    expect(precisionAt5(scores, corpus.tuning.slice(0, MONITOR_DOCS).map((d) => d.labels))).toBeCloseTo(p5s[bestEpoch - 1]!, 6);
  }, 120_000);
});
