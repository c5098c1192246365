// Suspicious labels (issue #17): how well the label-errors audit finds injected label noise.
//   npx tsx bench/label-noise.ts [--docs N] [--seeds K] [--seed S]   (defaults: all 500 demo training documents, seeds 1–3;
//   --seed S runs that one seed only, e.g. the tuning seed 7, and writes no results)
//
// Data: the demo's training documents (resources/demo/codiesp-train.jsonl.gz: CodiEsp, English
// text, ICD-10-CM diagnosis codes), labels as imported.
// Noise model (per seed): 5 % of the (document, label) assignments, chosen uniformly at random
// without replacement, have their label replaced by a label drawn uniformly from the labels seen
// in training, other than any label the document has (before or after noise). Each replacement
// makes one wrong gold pair (document, new label) and drops one true pair (document, old label).
// Detector: src/main/label-errors/audit.ts exactly as the queue runs it (5-fold out-of-fold lexical
// ranker, confident-learning thresholds, the gold pairs' suspicion = score × title × rank witnesses),
// with the fold seed = the noise seed. Ablations re-rank the same out-of-fold scores with fewer
// witnesses ("before" is the first version: prior 2, the score alone).
// Scored: the first 100 flagged pairs — a hit is a flagged wrong gold pair ("gold but scored low")
// or a flagged dropped pair ("predicted, not in gold"); the first 100 flagged documents — a hit is
// a document with any replacement. Baselines: the same counts in a seeded random order of the gold
// pairs (of the documents), and their expectations (the noise share).
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { Rng } from '../src/main/engine/rng';
import { auditLabels } from '../src/main/label-errors/audit';
import { flagPairs, labelThresholds, rankDocuments, type Flag, type FlagOptions } from '../src/main/label-errors/suspicion';
import { loadDemoCodiesp } from './datasets';

const arg = (name: string): number | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const NOISE = 0.05;
const TOP = 100;
const seeds = arg('seed') !== undefined ? [arg('seed')!] : [1, 2, 3].slice(0, arg('seeds') ?? 3);
const load = (): string => execSync('uptime').toString().trim();
const loadStart = load();

const corpus = await loadDemoCodiesp({ poolSize: 0, devSize: 0, ...(arg('docs') ? { trainSize: arg('docs') } : {}) });
const train = corpus.train;
const seen = [...new Set(train.flatMap((d) => d.labels))].sort((a, b) => a - b);
const pairKey = (doc: number, label: number): number => doc * 100_000 + label;

interface Noisy {
  labels: number[][];
  wrong: Set<number>;
  dropped: Set<number>;
  noisyDocs: Set<number>;
}

function injectNoise(seed: number): Noisy {
  const rng = new Rng(seed);
  const labels = train.map((d) => [...new Set(d.labels)]);
  const pairs: [number, number][] = [];
  labels.forEach((ls, doc) => ls.forEach((_, i) => pairs.push([doc, i])));
  const order = Array.from({ length: pairs.length }, (_, i) => i);
  rng.shuffle(order);
  const n = Math.round(NOISE * pairs.length);
  const wrong = new Set<number>();
  const dropped = new Set<number>();
  const noisyDocs = new Set<number>();
  for (const p of order.slice(0, n)) {
    const [doc, i] = pairs[p]!;
    const original = new Set(train[doc]!.labels);
    let replacement: number;
    do replacement = seen[rng.int(seen.length)]!;
    while (original.has(replacement) || labels[doc]!.includes(replacement));
    dropped.add(pairKey(doc, labels[doc]![i]!));
    labels[doc]![i] = replacement;
    wrong.add(pairKey(doc, replacement));
    noisyDocs.add(doc);
  }
  return { labels, wrong, dropped, noisyDocs };
}

function randomPrecision<T>(items: readonly T[], hit: (x: T) => boolean, seed: number): number {
  const order = Array.from({ length: items.length }, (_, i) => i);
  new Rng(seed ^ 0x5bd1e995).shuffle(order);
  const top = order.slice(0, TOP);
  return top.filter((i) => hit(items[i]!)).length / top.length;
}

const runs = [];
const ablationRuns: Record<string, { pairs: number; docs: number }>[] = [];
for (const seed of seeds) {
  const noisy = injectNoise(seed);
  const t0 = performance.now();
  const audit = await auditLabels({ texts: train.map((d) => d.text), docLabels: noisy.labels, labels: corpus.labels }, { seed });
  const seconds = (performance.now() - t0) / 1000;
  const isHit = (f: { doc: number; label: number; kind: string }): boolean => (f.kind === 'gold-low' ? noisy.wrong : noisy.dropped).has(pairKey(f.doc, f.label));
  const precisions = (flags: Flag[]): { pairs: number; docs: number } => ({
    pairs: flags.slice(0, TOP).filter(isHit).length / Math.min(TOP, flags.length),
    docs: rankDocuments(flags).slice(0, TOP).filter((d) => noisy.noisyDocs.has(d.doc)).length / Math.min(TOP, rankDocuments(flags).length),
  });
  const ablate = (prior: number, o: FlagOptions): { pairs: number; docs: number } => precisions(flagPairs(audit.oof, labelThresholds(audit.oof, corpus.labels.length, prior), o));
  const ablations = {
    'before: score alone, prior 2': ablate(2, { rank: false }),
    'score alone, prior 4': ablate(4, { rank: false }),
    'score × rank, prior 4': ablate(4, {}),
    'score × title, prior 4': ablate(4, { titles: audit.titles, rank: false }),
    'score × title × rank, prior 4 (shipped)': precisions(audit.flags),
  };
  const topPairs = audit.flags.slice(0, TOP);
  const topDocs = audit.documents.slice(0, TOP);
  const goldPairs = noisy.labels.flatMap((ls, doc) => ls.map((label) => pairKey(doc, label)));
  const run = {
    seed,
    seconds: +seconds.toFixed(1),
    documents: train.length,
    goldPairs: goldPairs.length,
    injected: noisy.wrong.size,
    noisyDocuments: noisy.noisyDocs.size,
    flaggedPairs: audit.flags.length,
    flaggedDocuments: audit.documents.length,
    pairs: {
      precisionAt100: topPairs.filter(isHit).length / topPairs.length,
      goldLowInTop100: topPairs.filter((f) => f.kind === 'gold-low').length,
      goldLowPrecision: topPairs.filter((f) => f.kind === 'gold-low' && isHit(f)).length / Math.max(1, topPairs.filter((f) => f.kind === 'gold-low').length),
      missingPrecision: topPairs.filter((f) => f.kind === 'missing' && isHit(f)).length / Math.max(1, topPairs.filter((f) => f.kind === 'missing').length),
      /** Wrong gold pairs among the first 100 of a random order of the gold pairs. */
      randomPrecisionAt100: randomPrecision(goldPairs, (k) => noisy.wrong.has(k), seed),
      randomExpected: noisy.wrong.size / goldPairs.length,
      /** Share of the injected wrong pairs flagged anywhere (gold-low). */
      wrongRecallAll: audit.flags.filter((f) => f.kind === 'gold-low' && noisy.wrong.has(pairKey(f.doc, f.label))).length / noisy.wrong.size,
    },
    docs: {
      precisionAt100: topDocs.filter((d) => noisy.noisyDocs.has(d.doc)).length / topDocs.length,
      randomPrecisionAt100: randomPrecision(train.map((_, i) => i), (i) => noisy.noisyDocs.has(i), seed),
      randomExpected: noisy.noisyDocs.size / train.length,
    },
  };
  console.error(`seed ${seed}: ${seconds.toFixed(1)} s, pairs P@100 ${run.pairs.precisionAt100.toFixed(2)} (random ${run.pairs.randomPrecisionAt100.toFixed(2)}), docs P@100 ${run.docs.precisionAt100.toFixed(2)} (random ${run.docs.randomPrecisionAt100.toFixed(2)})`);
  runs.push({ ...run, ablations });
  ablationRuns.push(ablations);
}

const stat = (xs: number[]): { mean: number; sd: number; min: number; max: number } => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean: +mean.toFixed(4), sd: +sd.toFixed(4), min: Math.min(...xs), max: Math.max(...xs) };
};
const summary = {
  pairsPrecisionAt100: stat(runs.map((r) => r.pairs.precisionAt100)),
  pairsRandomAt100: stat(runs.map((r) => r.pairs.randomPrecisionAt100)),
  pairsRandomExpected: stat(runs.map((r) => r.pairs.randomExpected)),
  docsPrecisionAt100: stat(runs.map((r) => r.docs.precisionAt100)),
  docsRandomAt100: stat(runs.map((r) => r.docs.randomPrecisionAt100)),
  docsRandomExpected: stat(runs.map((r) => r.docs.randomExpected)),
  seconds: stat(runs.map((r) => r.seconds)),
  ablations: Object.fromEntries(Object.keys(ablationRuns[0]!).map((k) => [k, { pairs: stat(ablationRuns.map((r) => r[k]!.pairs)), docs: stat(ablationRuns.map((r) => r[k]!.docs)) }])),
};
const loadEnd = load();
const out = {
  bench: 'label-noise',
  issue: 17,
  date: new Date().toISOString(),
  machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), shared`,
  uptime: { start: loadStart, end: loadEnd },
  noise: `${NOISE * 100} % of (document, label) assignments replaced by a uniformly drawn other label seen in training`,
  detector: '5-fold out-of-fold lexical ranker, confident-learning per-label thresholds (prior 4), gold suspicion = below-threshold × title words unused × rank share (src/main/label-errors)',
  seeds,
  runs,
  summary,
};
if (!arg('docs') && arg('seed') === undefined) {
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(resolve(import.meta.dirname, 'results/label-noise.json'), `${JSON.stringify(out, null, 2)}\n`);
}
const pct = (s: { mean: number; sd: number; min: number; max: number }): string => `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)} (${(100 * s.min).toFixed(0)}–${(100 * s.max).toFixed(0)})`;
console.log(`| first ${TOP} flagged | audit (precision, %) | random order (%) | expected at random (%) |`);
console.log('|---|---|---|---|');
console.log(`| (document, label) pairs | ${pct(summary.pairsPrecisionAt100)} | ${pct(summary.pairsRandomAt100)} | ${(100 * summary.pairsRandomExpected.mean).toFixed(1)} |`);
console.log(`| documents | ${pct(summary.docsPrecisionAt100)} | ${pct(summary.docsRandomAt100)} | ${(100 * summary.docsRandomExpected.mean).toFixed(1)} |`);
console.log(`\n| detector (first ${TOP} flagged) | pairs (%) | documents (%) |\n|---|---|---|`);
for (const [k, v] of Object.entries(summary.ablations)) console.log(`| ${k} | ${pct(v.pairs)} | ${pct(v.docs)} |`);
console.log(`\n${runs[0]!.documents} training documents, ${runs[0]!.goldPairs} gold pairs, ${runs[0]!.injected} replaced per seed; seeds ${seeds.join(', ')}; audit ${summary.seconds.mean.toFixed(1)} s (${summary.seconds.min}–${summary.seconds.max}) per seed.`);
console.log(`uptime at start: ${loadStart}\nuptime at end: ${loadEnd}`);
