// `npx tsx bench/experiments/head-one-vs-rest.ts --size 45000 --heads 50,100,200`: the label tree for every label plus
// one-vs-rest models (all documents as negatives) for the H most frequent labels, merged; P@1 / P@5 of
// the merged order against the tree alone (docs/benchmarks.md, "Lexical ranker": not kept).
import { loadavg } from 'node:os';
import { PlantSettings } from '../../src/shared/contract';
import { LexicalScorer } from '../../src/main/lexical/model';
import { postScore, rankLabels } from '../../src/main/lexical/ranker';
import { spawnTsxLexicalWorker } from '../../src/main/lexical/testing/tsx-worker';
import { trainLexical, makeRunner } from '../../src/main/lexical/train-lexical';
import { trainRanker, DEFAULT_RANKER_OPTIONS } from '../../src/main/lexical/train-ranker';
import { rankerOptions } from '../../src/main/plant/pipeline/lexical-stage';
import { buildEncodedCorpus } from '../../src/main/plant/pipeline/tokenize-stage';
import { loadEurlex } from '../datasets';
import { SUBSET_SEED } from '../quality-plan';

const arg = (n: string, d: string): string => { const i = process.argv.indexOf(`--${n}`); return i >= 0 ? process.argv[i + 1]! : d; };
const size = Number(arg('size', '5000'));
const Hs = arg('heads', '100,200,400').split(',').map(Number);
const corpus = await loadEurlex(size, SUBSET_SEED);
const s = PlantSettings.parse({ threads: 2, lexical: { structure: arg('structure', 'tree') } });
const enc = buildEncodedCorpus(corpus, s);
const trainLabels = corpus.train.map((d) => d.labels);
const t0 = performance.now();
const r = await trainLexical({ vocab: enc.vocab, train: enc.train, trainLabels, unlabelled: [], labels: corpus.labels }, rankerOptions(s), { threads: 2, spawnWorker: spawnTsxLexicalWorker });
console.log('tree s', ((performance.now() - t0) / 1000).toFixed(1), 'work', r.stats.solverWork.toExponential(2), 'entries', r.stats.entries);
const freq = new Int32Array(corpus.labels.length);
for (const ls of trainLabels) for (const l of new Set(ls)) freq[l]!++;
const byFreq = Array.from(freq.keys()).sort((a, b) => freq[b]! - freq[a]!);
const scorer = new LexicalScorer(r.model, corpus.labels.length);
const evalX = enc.evaluation.map((ids) => scorer.vectorize(ids));
const o = { ...DEFAULT_RANKER_OPTIONS, ...rankerOptions(s).ranker, structure: 'flat' as const };
const maxH = Math.max(...Hs);
const heads = byFreq.slice(0, maxH);
const headSet = new Set(heads);
console.log('head freq at', Hs.map((h) => `${h}:${freq[byFreq[h - 1]!]}`).join(' '), 'positives covered', Hs.map((h) => { let c = 0, t = 0; for (const ls of trainLabels) for (const l of ls) { t++; if (byFreq.indexOf(l) < h) c++; } return (c / t).toFixed(2); }).join(' '));
const headLabels = trainLabels.map((ls) => Array.from(ls).filter((l) => headSet.has(l)));
const t1 = performance.now();
const runner = makeRunner(r.X, o, { threads: 2, spawnWorker: spawnTsxLexicalWorker });
const flat = await trainRanker(r.X, headLabels, corpus.labels.length, o, { runner, threads: 2 });
await runner.dispose();
console.log('flat heads s', ((performance.now() - t1) / 1000).toFixed(1), 'work', flat.stats.solverWork.toExponential(2), 'entries', flat.stats.entries);
const rank = new Int32Array(corpus.labels.length).fill(1e9);
byFreq.forEach((l, i) => (rank[l] = i));
for (const H of Hs) {
  for (const gamma of [1, 2, 3]) {
    let p5 = 0, p1 = 0, n = 0;
    evalX.forEach((x, d) => {
      const gold = new Set(corpus.evaluation[d]!.labels);
      if (!gold.size) return;
      const c = scorer.candidates(x, { beam: 20, shortlist: 100, zeroShot: 0 });
      const f = rankLabels(flat.ranker, x, { beam: 1, topK: maxH });
      const m = new Map<number, number>();
      c.labels.forEach((l, i) => { if (rank[l]! >= H) m.set(l, c.lexScore[i]!); });
      f.labels.forEach((l, i) => { if (rank[l]! < H) m.set(l, postScore(o.loss, f.raw[i]!) ** gamma); });
      const top = [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map((e) => e[0]);
      p1 += gold.has(top[0]!) ? 1 : 0;
      p5 += top.filter((l) => gold.has(l)).length / 5;
      n++;
    });
    console.log(`H ${H} gamma ${gamma}: P@1 ${(100 * p1 / n).toFixed(1)} P@5 ${(100 * p5 / n).toFixed(1)}`);
  }
}
let p5 = 0, n = 0;
evalX.forEach((x, d) => { const gold = new Set(corpus.evaluation[d]!.labels); if (!gold.size) return; const c = scorer.candidates(x, { beam: 20, shortlist: 5, zeroShot: 0 }); p5 += Array.from(c.labels).filter((l) => gold.has(l)).length / 5; n++; });
console.log('tree alone P@5', (100 * p5 / n).toFixed(1), 'load', loadavg());
process.exit(0);
