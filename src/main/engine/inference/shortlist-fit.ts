import type { ClassifierConfig } from '../models/classifier';
import type { Params } from '../models/params';
import { Rng } from '../rng';
import { createTrainer } from '../runtime/trainer';
import { createPredictor } from './predictor';

export interface FitShortlistOptions {
  epochs?: number;
  lr?: number;
  batchSize?: number;
  seed?: number;
  threads?: number;
  maxLen?: number;
  tau?: number;
  /** Called after each epoch with the mean distillation loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Fits the shortlist scorer (cls.Q, cls.c) to a trained classifier: runs the exact model over
 * `docs` once (pooled features + logits of all labels), then trains the scorer to reproduce that
 * ranking (listwise distillation). Use the training pool's documents (unlabelled is fine).
 * Returns the two parameters, to merge into the classifier's.
 */
export async function fitShortlist(config: ClassifierConfig, params: Params, docs: readonly ArrayLike<number>[], o: FitShortlistOptions = {}): Promise<Pick<Params, 'cls.Q' | 'cls.c'>> {
  const d = config.encoder.dim;
  const L = config.labels;
  const pred = await createPredictor({ config, params }, { threads: o.threads, maxLen: o.maxLen });
  const { pooled, logits } = await pred.features(docs).finally(() => pred.dispose());
  const n = docs.length;
  const trainer = await createTrainer({
    model: { kind: 'shortlist', config: { dim: d, labels: L, tau: o.tau } },
    optimizer: { lr: o.lr ?? 3e-3 },
    seed: o.seed ?? 0,
    threads: o.threads,
    params: params['cls.Q'] && params['cls.c'] ? { 'cls.Q': params['cls.Q'], 'cls.c': params['cls.c'] } : undefined,
  });
  try {
    const rng = new Rng(o.seed ?? 0);
    const bs = o.batchSize ?? 256;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let e = 0; e < (o.epochs ?? 20); e++) {
      rng.shuffle(order);
      let sum = 0;
      let steps = 0;
      for (let i = 0; i < n; i += bs) {
        const idx = order.slice(i, i + bs);
        const pb = new Float32Array(idx.length * 2 * d);
        const tb = new Float32Array(idx.length * L);
        idx.forEach((di, b) => {
          pb.set(pooled.subarray(di * 2 * d, (di + 1) * 2 * d), b * 2 * d);
          tb.set(logits.subarray(di * L, (di + 1) * L), b * L);
        });
        sum += (await trainer.step({ pooled: { data: pb, dims: [idx.length, 2 * d] }, teacher: { data: tb, dims: [idx.length, L] } })).loss;
        steps += 1;
      }
      o.onEpoch?.(e, sum / steps);
    }
    const p = trainer.getParams();
    return { 'cls.Q': p['cls.Q'], 'cls.c': p['cls.c'] };
  } finally {
    await trainer.dispose();
  }
}
