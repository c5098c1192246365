// `npx tsx bench/lexical-scale.ts [--size 45000] [--structure auto|flat|tree]`: the lexical ranker
// alone on an EURLEX57K cell of the quality bench (same subsample, same evaluation half), with the
// pipeline's default settings: time for the features and the linear models, lexical.bin's size,
// peak memory, and ranking quality (P@1, P@5 of the ranker's own order; no fusion, no threshold).
// Issue #13's targets at 45,000 documents: ≤ 5 min, lexical.bin ≤ 300 MB, P@5 within 1 point of
// TF-IDF + LinearSVC (71.0). Writes bench/results/lexical-scale-<size>.json.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { PlantSettings } from '../src/shared/contract';
import { encodeLexicalModel } from '../src/main/lexical/format';
import { LexicalScorer } from '../src/main/lexical/model';
import { spawnTsxLexicalWorker } from '../src/main/lexical/testing/tsx-worker';
import { trainLexical } from '../src/main/lexical/train-lexical';
import { rankerOptions } from '../src/main/plant/pipeline/lexical-stage';
import { buildEncodedCorpus } from '../src/main/plant/pipeline/tokenize-stage';
import { loadEurlex } from './datasets';
import { SUBSET_SEED } from './quality-plan';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const size = Number(arg('size', '45000'));
const structure = arg('structure', 'auto');
const THREADS = 2;
const ROOT = resolve(import.meta.dirname, '..');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const load0 = loadavg();
const corpus = await loadEurlex(size, SUBSET_SEED);
const s = PlantSettings.parse({ threads: THREADS, ...(structure === 'auto' ? {} : { lexical: { structure } }) });
const t0 = performance.now();
const encoded = buildEncodedCorpus(corpus, s);
const tokenizeS = (performance.now() - t0) / 1000;
const t1 = performance.now();
const r = await trainLexical(
  { vocab: encoded.vocab, train: encoded.train, trainLabels: corpus.train.map((d) => d.labels), unlabelled: encoded.unlabelled, labels: corpus.labels },
  rankerOptions(s),
  { threads: THREADS, spawnWorker: spawnTsxLexicalWorker, onProgress: (phase, d, t) => process.stderr.write(`\r${phase} ${d}/${t}   `) },
);
const trainS = (performance.now() - t1) / 1000;
process.stderr.write('\n');
const bytes = encodeLexicalModel(r.model).length;
const scorer = new LexicalScorer(r.model, corpus.labels.length);
const t2 = performance.now();
let p1 = 0;
let p5 = 0;
let n = 0;
for (let d = 0; d < encoded.evaluation.length; d++) {
  const gold = new Set(corpus.evaluation[d]!.labels);
  if (!gold.size) continue;
  const c = scorer.candidates(scorer.vectorize(encoded.evaluation[d]!), { beam: s.lexical.beam, shortlist: 5, zeroShot: 0 });
  const top = Array.from(c.labels.subarray(0, 5));
  p1 += top.length && gold.has(top[0]!) ? 1 : 0;
  p5 += top.filter((l) => gold.has(l)).length / 5;
  n++;
}
const inferMs = (performance.now() - t2) / encoded.evaluation.length;
clearInterval(sampler);
const out = {
  cell: `eurlex57k-${size}`,
  structure: r.stats.structure,
  features: r.stats.features,
  nnz: r.stats.nnz,
  tokenize_s: +tokenizeS.toFixed(1),
  feature_s: +r.stats.featureSeconds.toFixed(1),
  ranker_s: +r.stats.rankerSeconds.toFixed(1),
  lexical_s: +trainS.toFixed(1),
  lexical_bin_mb: +(bytes / 2 ** 20).toFixed(1),
  peak_rss_mb: Math.round(peakRss / 2 ** 20),
  evaluation_docs: n,
  p_at_1: +(100 * (p1 / n)).toFixed(1),
  p_at_5: +(100 * (p5 / n)).toFixed(1),
  rank_ms_per_doc: +inferMs.toFixed(2),
  stats: r.stats,
  machine: `${cpus()[0]?.model.trim()}, ${cpus().length} cores`,
  load_avg_start: load0.map((x) => +x.toFixed(2)),
  load_avg_end: loadavg().map((x) => +x.toFixed(2)),
  finished_at: new Date().toISOString(),
};
console.log(JSON.stringify({ ...out, stats: undefined }, null, 1));
writeFileSync(resolve(ROOT, `bench/results/lexical-scale-${size}.json`), JSON.stringify(out, null, 1) + '\n');
process.exit(0);
