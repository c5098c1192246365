import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { calibration, CalibrationSums, suggestionCalibration } from './calibration';
import { attentionRanks, fusionFeatureNames, pairFeatures } from './features';
import { checkFusionModel, denseProbabilities, fitFusion, fuse, type ScoredCandidates } from './fusion';
import { fitLogistic, logisticObjective, solveSpd } from './logistic';

describe('logistic regression (Newton)', () => {
  it('with only an intercept, finds the log-odds of the base rate', () => {
    const y = Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0]);
    const fit = fitLogistic({ x: new Float64Array(8).fill(1), d: 1, y }, { lambda: 0 });
    expect(fit.theta[0]).toBeCloseTo(Math.log(2 / 6), 8);
  });

  it('the gradient vanishes at the solution (one feature, hand-checkable data)', () => {
    const xs = [-2, -1, 0, 1, 2, 3];
    const y = Uint8Array.from([0, 0, 1, 0, 1, 1]);
    const x = Float64Array.from(xs.flatMap((v) => [1, v]));
    const lambda = 0.5;
    const { theta } = fitLogistic({ x, d: 2, y }, { lambda, tol: 1e-12 });
    const g = [0, lambda * theta[1]!];
    xs.forEach((v, i) => {
      const p = 1 / (1 + Math.exp(-(theta[0]! + theta[1]! * v)));
      g[0]! += p - y[i]!;
      g[1]! += (p - y[i]!) * v;
    });
    expect(Math.abs(g[0]!)).toBeLessThan(1e-8);
    expect(Math.abs(g[1]!)).toBeLessThan(1e-8);
    // and it is a minimum: nudging any weight raises the objective
    const f = logisticObjective({ x, d: 2, y }, theta, lambda);
    for (const j of [0, 1]) for (const e of [-1e-3, 1e-3]) {
      const t = Float64Array.from(theta);
      t[j]! += e;
      expect(logisticObjective({ x, d: 2, y }, t, lambda)).toBeGreaterThan(f);
    }
  });

  it('solves a symmetric positive definite system', () => {
    const z = solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 5]), 2);
    // 4a + 2b = 2, 2a + 3b = 5 → a = −0.5, b = 2
    expect(z[0]).toBeCloseTo(-0.5, 10);
    expect(z[1]).toBeCloseTo(2, 10);
  });
});

describe('calibration', () => {
  it('computes ECE by hand: two bins, one off by 0.2', () => {
    // bin [0.2, 0.3): p 0.25 ×4, 1 correct → acc 0.25, conf 0.25; bin [0.8, 0.9): p 0.8 ×4, 4 correct → |1 − 0.8| = 0.2
    const c = calibration([0.25, 0.25, 0.25, 0.25, 0.8, 0.8, 0.8, 0.8], [1, 0, 0, 0, 1, 1, 1, 1]);
    expect(c.ece).toBeCloseTo(0.5 * 0 + 0.5 * 0.2, 10);
    expect(c.bins[2]!.count).toBe(4);
    expect(c.bins[8]!.accuracy).toBe(1);
    expect(c.bins[0]!.confidence).toBeNull();
  });

  it('suggestion calibration looks at each document\'s top k only', () => {
    const scores = [Float32Array.from([0.9, 0.1, 0.5, 0])];
    const c = suggestionCalibration(scores, [[0]], 2);
    expect(c.pairs).toBe(2); // 0.9 (correct) and 0.5 (wrong); 0.1 is third, 0 is no candidate
  });
});

describe('fusion', () => {
  const candidates = (labels: number[], raw: number[], desc: number[]) => ({
    labels: Int32Array.from(labels),
    lexScore: Float32Array.from(raw, (r) => (Number.isNaN(r) ? 0 : Math.exp(-(Math.max(0, 1 - r) ** 3)))),
    lexRaw: Float32Array.from(raw),
    desc: Float32Array.from(desc),
  });

  it('names and fills every feature; zero-shot candidates have no ranker score', () => {
    const out = new Float64Array(fusionFeatureNames(true).length);
    pairFeatures({ lexRaw: Number.NaN, lexScore: 0, lexRank: -1, desc: 0.4, attention: 2, trainFreq: 0 }, true, out);
    const byName = Object.fromEntries(fusionFeatureNames(true).map((n, i) => [n, out[i]]));
    expect(byName).toMatchObject({ intercept: 1, lex_raw: 0, lex_ranked: 0, zero: 1, few: 0, 'zero×desc': 0.4, attention: 2, 'zero×attention': 2 });
  });

  it('learns calibrated probabilities when the truth is a logistic function of the ranker score', () => {
    const rng = new Rng(4);
    const docs = [];
    const gold: number[][] = [];
    for (let d = 0; d < 400; d++) {
      const raw = Array.from({ length: 20 }, () => 3 * rng.next() - 2);
      docs.push({ candidates: candidates(Array.from({ length: 20 }, (_, i) => i), raw, new Array(20).fill(0)) });
      gold.push(raw.flatMap((r, i) => (rng.next() < 1 / (1 + Math.exp(-(2 * r - 1))) ? [i] : [])));
    }
    const trainFreq = new Array(20).fill(100);
    const m = fitFusion(docs.slice(0, 300), gold.slice(0, 300), trainFreq, false);
    const probs: number[] = [];
    const hits: boolean[] = [];
    docs.slice(300).forEach((doc, i) => {
      fuse(m, doc, trainFreq).forEach((p, j) => {
        probs.push(p);
        hits.push(gold[300 + i]!.includes(j));
      });
    });
    expect(calibration(probs, hits).ece!).toBeLessThan(0.05);
    expect(m.theta[m.names.indexOf('lex_raw')]!).toBeGreaterThan(0.5);
  });

  it('reads the neighbours\' vote when asked: rare labels the ranker misses are found by it', () => {
    const out = new Float64Array(fusionFeatureNames(false, true).length);
    pairFeatures({ lexRaw: 0.5, lexScore: 0.9, lexRank: 0, desc: 0, trainFreq: 3, knn: 0.4 }, false, out, 0, true);
    const byName = Object.fromEntries(fusionFeatureNames(false, true).map((n, i) => [n, out[i]]));
    expect(byName).toMatchObject({ knn: 0.4, 'few×knn': 0.4, 'mid×knn': 0 });
    expect(byName['knn_log']).toBeCloseTo(Math.log(0.41), 12);
    expect(fusionFeatureNames(false)).not.toContain('knn');
    // gold labels are the ones with a neighbour vote, whatever the ranker says
    const rng = new Rng(9);
    const docs: ScoredCandidates[] = [];
    const gold: number[][] = [];
    for (let d = 0; d < 300; d++) {
      const raw = Array.from({ length: 10 }, () => 2 * rng.next() - 1);
      const knn = Array.from({ length: 10 }, () => (rng.next() < 0.2 ? 0.5 + 0.5 * rng.next() : 0));
      docs.push({ candidates: { ...candidates(Array.from({ length: 10 }, (_, i) => i), raw, new Array(10).fill(0)), knn: Float32Array.from(knn) } });
      gold.push(knn.flatMap((v, i) => (v > 0 ? [i] : [])));
    }
    const trainFreq = new Array(10).fill(3);
    const m = fitFusion(docs.slice(0, 200), gold.slice(0, 200), trainFreq, false, { withNeighbours: true });
    expect(m.withNeighbours).toBe(true);
    expect(checkFusionModel(JSON.parse(JSON.stringify(m)))).toMatchObject({ withNeighbours: true, names: fusionFeatureNames(false, true) });
    const without = fitFusion(docs.slice(0, 200), gold.slice(0, 200), trainFreq, false);
    const acc = (model: typeof m): number => {
      let right = 0;
      docs.slice(200).forEach((doc, i) => fuse(model, doc, trainFreq).forEach((p, j) => (right += Number(p >= 0.5 === gold[200 + i]!.includes(j)))));
      return right / 1000;
    };
    expect(acc(m)).toBeGreaterThan(0.97);
    expect(acc(without)).toBeLessThan(0.85);
  });

  it('ranks the attention logits of a document, highest first; untrained rows take no place', () => {
    expect([...attentionRanks([0.5, 2, -1, 2])]).toEqual([2, 0, 3, 1]); // the tie goes to the earlier candidate
    // Candidate 1 has no attention row: the others rank among themselves, and it gets 0 (features 0).
    expect([...attentionRanks([0.5, 9, -1, 2], (i) => i === 1)]).toEqual([1, 0, 2, 0]);
    expect([...attentionRanks([])]).toEqual([]);
  });

  it('writes the attention log rank per bucket only for models that have it', () => {
    const names = fusionFeatureNames(true, false, true);
    expect(names.slice(-4)).toEqual(['attention_log_rank', 'zero×attention_log_rank', 'few×attention_log_rank', 'mid×attention_log_rank']);
    expect(fusionFeatureNames(false, false, true)).toEqual(fusionFeatureNames(false));
    const out = new Float64Array(names.length);
    pairFeatures({ lexRaw: 0.5, lexScore: 0.9, lexRank: 0, desc: 0, attention: 1, trainFreq: 3, attentionRank: 4 }, true, out, 0, false, true);
    const byName = Object.fromEntries(names.map((n, i) => [n, out[i]]));
    expect(byName['attention_log_rank']).toBeCloseTo(Math.log(5), 12);
    expect(byName['few×attention_log_rank']).toBeCloseTo(Math.log(5), 12);
    expect(byName).toMatchObject({ 'zero×attention_log_rank': 0, 'mid×attention_log_rank': 0, attention: 1 });
  });

  it('learns from where a label\'s logit sits in its document when each label has its own logit scale', () => {
    // Label j's logits are offset by 3j: within a document the gold label has the highest logit
    // of its own scale, but a raw logit compares badly across labels; its rank does not.
    const rng = new Rng(21);
    const n = 8;
    const docs: ScoredCandidates[] = [];
    const gold: number[][] = [];
    for (let d = 0; d < 400; d++) {
      const g = Math.floor(rng.next() * n);
      const attention = Float32Array.from({ length: n }, (_, j) => (j === g ? 1.5 : rng.next()) + (3 * j) / n - 1.5);
      docs.push({ candidates: candidates(Array.from({ length: n }, (_, j) => j), new Array(n).fill(0), new Array(n).fill(0)), attention });
      gold.push([g]);
    }
    const trainFreq = new Array(n).fill(100);
    const withRank = fitFusion(docs.slice(0, 300), gold.slice(0, 300), trainFreq, true);
    const without = fitFusion(docs.slice(0, 300), gold.slice(0, 300), trainFreq, true, { withAttentionRank: false });
    expect(withRank.withAttentionRank).toBe(true);
    expect(without.withAttentionRank).toBeUndefined();
    expect(without.names).toEqual(fusionFeatureNames(true));
    const logLoss = (m: typeof withRank): number => {
      let loss = 0;
      docs.slice(300).forEach((doc, i) => fuse(m, doc, trainFreq).forEach((p, j) => (loss -= Math.log(gold[300 + i]!.includes(j) ? p : 1 - p))));
      return loss;
    };
    expect(logLoss(withRank)).toBeLessThan(logLoss(without));
    // A stored model keeps its features: one without the flag loads and fuses as before.
    expect(checkFusionModel(JSON.parse(JSON.stringify(without))).names).toEqual(fusionFeatureNames(true));
    expect(checkFusionModel(JSON.parse(JSON.stringify(withRank)))).toMatchObject({ withAttentionRank: true, names: fusionFeatureNames(true, false, true) });
    expect(() => checkFusionModel({ ...withRank, withAttentionRank: undefined })).toThrow(/finite weights/);
  });

  it('puts probabilities into a dense [L] row with 0 elsewhere, and checks stored models', () => {
    expect([...denseProbabilities(4, [2, 0], [0.5, 0.25])]).toEqual([0.25, 0, 0.5, 0]);
    const m = fitFusion([{ candidates: candidates([0, 1], [1, -1], [0, 0]) }], [[0]], [10, 10], false);
    expect(checkFusionModel(JSON.parse(JSON.stringify(m)))).toMatchObject({ withAttention: false });
    expect(() => checkFusionModel({ ...m, theta: [1] })).toThrow(/finite weights/);
  });
});

describe('CalibrationSums.addDocument', () => {
  it('reads a sparse row as the same dense row (top k of the positive probabilities)', () => {
    const dense = [0, 0.9, 0.2, 0, 0.6, 0.6];
    const sparse = { labels: [5, 1, 4, 2], scores: [0.6, 0.9, 0.6, 0.2] };
    const a = new CalibrationSums();
    const b = new CalibrationSums();
    a.addDocument(dense, new Set([4]), 2);
    b.addDocument(sparse, new Set([4]), 2);
    // Top 2: label 1 (0.9, wrong) and label 4 (0.6, right; before 5 on the tie).
    expect(b.result()).toEqual(a.result());
    expect(b.result().pairs).toBe(2);
    expect(b.result().bins[6]).toMatchObject({ count: 1, accuracy: 1 });
    expect(b.result().bins[9]).toMatchObject({ count: 1, accuracy: 0 });
  });
});
