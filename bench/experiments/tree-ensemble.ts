// `npx tsx bench/experiments/tree-ensemble.ts --size 5000 --trees 3`: 1–3 label trees on different clusterings
// (seeds), path scores averaged over the union of their beams (docs/benchmarks.md, "Lexical ranker": not kept).
import { loadavg } from 'node:os';
import { PlantSettings } from '../../src/shared/contract';
import { LexicalScorer } from '../../src/main/lexical/model';
import { spawnTsxLexicalWorker } from '../../src/main/lexical/testing/tsx-worker';
import { trainLexical } from '../../src/main/lexical/train-lexical';
import { LabelPathScorer } from '../../src/main/lexical/label-scores';
import { rankerOptions } from '../../src/main/plant/pipeline/lexical-stage';
import { buildEncodedCorpus } from '../../src/main/plant/pipeline/tokenize-stage';
import { loadEurlex } from '../datasets';
import { SUBSET_SEED } from '../quality-plan';

const arg = (n: string, d: string): string => { const i = process.argv.indexOf(`--${n}`); return i >= 0 ? process.argv[i + 1]! : d; };
const size = Number(arg('size', '5000'));
const T = Number(arg('trees', '2'));
const prune = Number(arg('prune', '0.03'));
const corpus = await loadEurlex(size, SUBSET_SEED);
const s = PlantSettings.parse({ threads: 2, lexical: { structure: 'tree', prune } });
const enc = buildEncodedCorpus(corpus, s);
const trainLabels = corpus.train.map((d) => d.labels);
const scorers: LexicalScorer[] = [];
const paths: LabelPathScorer[] = [];
for (let t = 0; t < T; t++) {
  const t0 = performance.now();
  const o = rankerOptions(s);
  const r = await trainLexical({ vocab: enc.vocab, train: enc.train, trainLabels, unlabelled: [], labels: corpus.labels }, { ...o, ranker: { ...o.ranker, seed: 1 + t * 7919 } }, { threads: 2, spawnWorker: spawnTsxLexicalWorker });
  console.log(`tree ${t} s`, ((performance.now() - t0) / 1000).toFixed(1), 'work', r.stats.solverWork.toExponential(2), 'entries', r.stats.entries);
  scorers.push(new LexicalScorer(r.model, corpus.labels.length));
  paths.push(new LabelPathScorer(r.model.ranker, corpus.labels.length));
}
const evalX = enc.evaluation.map((ids) => scorers[0]!.vectorize(ids));
for (let k = 1; k <= T; k++) {
  for (const mode of ['mean', 'beam-union-exact']) {
    let p5 = 0, p1 = 0, n = 0;
    evalX.forEach((x, d) => {
      const gold = new Set(corpus.evaluation[d]!.labels);
      if (!gold.size) return;
      const m = new Map<number, number>();
      const cands = scorers.slice(0, k).map((sc) => sc.candidates(x, { beam: 20, shortlist: 100, zeroShot: 0 }));
      if (mode === 'mean') {
        for (const c of cands) c.labels.forEach((l, i) => m.set(l, (m.get(l) ?? 0) + c.lexScore[i]! / k));
      } else {
        const union = Int32Array.from(new Set(cands.flatMap((c) => Array.from(c.labels))));
        const acc = new Float64Array(union.length);
        for (const p of paths.slice(0, k)) p.scores(x, union).forEach((v, i) => (acc[i]! += v / k));
        union.forEach((l, i) => m.set(l, acc[i]!));
      }
      const top = [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map((e) => e[0]);
      p1 += gold.has(top[0]!) ? 1 : 0;
      p5 += top.filter((l) => gold.has(l)).length / 5;
      n++;
    });
    console.log(`trees ${k} ${mode}: P@1 ${(100 * p1 / n).toFixed(1)} P@5 ${(100 * p5 / n).toFixed(1)}`);
  }
}
console.log('load', loadavg());
process.exit(0);
