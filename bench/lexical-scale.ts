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
import { loadCodiesp, loadEurlex } from './datasets';
import { SUBSET_SEED } from './quality-plan';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const size = Number(arg('size', '45000'));
// Stricter pruning thresholds to try on the trained model (weights below each set to 0 in place,
// ascending, so each row is the model pruned at that threshold): size against P@5.
const prunes = arg('prunes', '').split(',').filter(Boolean).map(Number).sort((a, b) => a - b);
const structure = arg('structure', 'auto');
const THREADS = 2;
const ROOT = resolve(import.meta.dirname, '..');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const load0 = loadavg();
// --idf labelled: document frequencies from the labelled training documents only (same
// vocabulary), to measure what the unlabelled pool does to the ranker.
const idfFrom = arg('idf', 'pool');
const dataset = arg('dataset', 'eurlex57k');
const loaded = dataset === 'codiesp' ? await loadCodiesp({ pool: true }) : await loadEurlex(size, SUBSET_SEED);
const corpus = loaded;
const s = PlantSettings.parse({ threads: THREADS, ...(structure === 'auto' ? {} : { lexical: { structure } }) });
const t0 = performance.now();
const encoded = buildEncodedCorpus(corpus, s);
const tokenizeS = (performance.now() - t0) / 1000;
const t1 = performance.now();
const r = await trainLexical(
  { vocab: encoded.vocab, train: encoded.train, trainLabels: corpus.train.map((d) => d.labels), unlabelled: idfFrom === 'labelled' ? [] : encoded.unlabelled, labels: corpus.labels },
  rankerOptions(s),
  { threads: THREADS, spawnWorker: spawnTsxLexicalWorker, onProgress: (phase, d, t) => process.stderr.write(`\r${phase} ${d}/${t}   `) },
);
const trainS = (performance.now() - t1) / 1000;
process.stderr.write('\n');
const bytes = encodeLexicalModel(r.model).length;
const scorer = new LexicalScorer(r.model, corpus.labels.length);
const evaluation = encoded.evaluation.map((ids) => scorer.vectorize(ids));
function rankingQuality(): { p1: number; p5: number; n: number } {
  let p1 = 0;
  let p5 = 0;
  let n = 0;
  evaluation.forEach((x, d) => {
    const gold = new Set(corpus.evaluation[d]!.labels);
    if (!gold.size) return;
    const top = Array.from(scorer.candidates(x, { beam: s.lexical.beam, shortlist: 5, zeroShot: 0 }).labels.subarray(0, 5));
    p1 += top.length && gold.has(top[0]!) ? 1 : 0;
    p5 += top.filter((l) => gold.has(l)).length / 5;
    n++;
  });
  return { p1, p5, n };
}
const t2 = performance.now();
const { p1, p5, n } = rankingQuality();
const inferMs = (performance.now() - t2) / encoded.evaluation.length;
const pruned = prunes.map((t) => {
  let kept = 0;
  for (const level of r.model.ranker.levels) {
    const w = level.weight;
    for (let i = 0; i < w.length; i++) {
      if (Math.abs(w[i]!) < t) w[i] = 0;
      else kept++;
    }
  }
  const q = rankingQuality();
  return { prune: t, entries: kept, approx_mb: +((kept * 8) / 2 ** 20).toFixed(1), p_at_1: +(100 * (q.p1 / q.n)).toFixed(1), p_at_5: +(100 * (q.p5 / q.n)).toFixed(1) };
});
clearInterval(sampler);
const out = {
  cell: dataset === 'codiesp' ? `codiesp-${corpus.train.length}` : `eurlex57k-${size}`,
  idf_from: idfFrom,
  idf_docs: corpus.train.length + (idfFrom === 'labelled' ? 0 : corpus.unlabelled.length),
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
  pruned,
  stats: r.stats,
  machine: `${cpus()[0]?.model.trim()}, ${cpus().length} cores`,
  load_avg_start: load0.map((x) => +x.toFixed(2)),
  load_avg_end: loadavg().map((x) => +x.toFixed(2)),
  finished_at: new Date().toISOString(),
};
console.log(JSON.stringify({ ...out, stats: undefined }, null, 1));
writeFileSync(resolve(ROOT, `bench/results/lexical-scale-${out.cell}${idfFrom === 'labelled' ? '-labelled-idf' : ''}.json`), JSON.stringify(out, null, 1) + '\n');
process.exit(0);
