import type { ClassifierConfig } from '../models/classifier';
import type { Params } from '../models/params';
import { Rng } from '../rng';
import { createTrainer } from '../runtime/trainer';
import { createPredictor } from './predictor';
import { POOLED_FACTOR } from '../models/encoder';
import { shortlistParams } from '../models/shortlist';

export interface FitShortlistOptions {
  epochs?: number;
  lr?: number;
  batchSize?: number;
  seed?: number;
  threads?: number;
  maxLen?: number;
  /** Hidden width of the scorer (default 1024; 0 = linear). */
  hidden?: number;
  /** Teacher top-k the scorer learns to rank first (default 10). */
  topK?: number;
  /** Called after each epoch with the mean distillation loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Fits the shortlist scorer (cls.Q, cls.c) to a trained classifier: runs the exact model over
 * `docs` once (pooled features + logits of all labels), then trains the scorer to reproduce that
 * ranking (listwise distillation). Use the training pool's documents (unlabelled is fine).
 * Returns the scorer's parameters (cls.Q1, cls.q1, cls.Q, cls.c), to merge into the classifier's;
 * the classifier config must then have `shortlist: true` and the same `shortlistHidden`.
 */
export async function fitShortlist(config: ClassifierConfig, params: Params, docs: readonly ArrayLike<number>[], o: FitShortlistOptions = {}): Promise<Params> {
  const f = POOLED_FACTOR * config.encoder.dim;
  const L = config.labels;
  const pred = await createPredictor({ config, params }, { threads: o.threads, maxLen: o.maxLen });
  const { pooled, logits } = await pred.features(docs).finally(() => pred.dispose());
  const n = docs.length;
  const sc = { dim: config.encoder.dim, labels: L, hidden: o.hidden ?? config.shortlistHidden, topK: o.topK };
  const names = shortlistParams(sc).map((s) => s.name);
  const warm = names.every((n) => params[n]) ? Object.fromEntries(names.map((n) => [n, params[n]])) : undefined;
  const trainer = await createTrainer({ model: { kind: 'shortlist', config: sc }, optimizer: { lr: o.lr ?? 3e-3 }, seed: o.seed ?? 0, threads: o.threads, params: warm });
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
        const pb = new Float32Array(idx.length * f);
        const tb = new Float32Array(idx.length * L);
        idx.forEach((di, b) => {
          pb.set(pooled.subarray(di * f, (di + 1) * f), b * f);
          tb.set(logits.subarray(di * L, (di + 1) * L), b * L);
        });
        sum += (await trainer.step({ pooled: { data: pb, dims: [idx.length, f] }, teacher: { data: tb, dims: [idx.length, L] } })).loss;
        steps += 1;
      }
      o.onEpoch?.(e, sum / steps);
    }
    return trainer.getParams();
  } finally {
    await trainer.dispose();
  }
}
