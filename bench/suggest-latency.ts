// `npx tsx bench/suggest-latency.ts`: how long one document's suggestions take with the whole
// ICD-10-CM catalogue (94,000+ codes) as the label space (issue #13: ≤ 20 ms p95). The demo's
// documents train the lexical ranker; every other code of the catalogue is a zero-shot label,
// ranked by its title. The attention part has the default shapes (d 128, windows of 512 tokens)
// over all labels, with initialised (untrained) weights: its cost does not depend on their values.
// Measured: the fused model (shortlist + attention on it + fusion), the lexical ranker alone, and
// scoring every label with attention (the path of models without the ranker).
// Writes bench/results/suggest-latency.json and prints a table for docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { PlantSettings } from '../src/shared/contract';
import { classifierParams } from '../src/main/engine/models/classifier';
import { initParams } from '../src/main/engine/models/params';
import { fitFusion } from '../src/main/fusion/fusion';
import { fusionFeatureNames } from '../src/main/fusion/features';
import { trainLexical } from '../src/main/lexical/train-lexical';
import { LexicalScorer } from '../src/main/lexical/model';
import { spawnTsxLexicalWorker } from '../src/main/lexical/testing/tsx-worker';
import { trainFrequencies } from '../src/main/plant/pipeline/corpus';
import { classifierConfig } from '../src/main/plant/pipeline/model-config';
import { shortlistOf, TextPredictor } from '../src/main/plant/pipeline/predict';
import { buildEncodedCorpus } from '../src/main/plant/pipeline/tokenize-stage';
import { loadDemoCodiesp } from './datasets';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const THREADS = 2;

async function catalogue(): Promise<{ code: string; title: string; synonyms: string[] }[]> {
  const lines = createInterface({ input: createReadStream(resolve(ROOT, 'resources/demo/icd10cm_2018.tsv.gz')).pipe(createGunzip()), crlfDelay: Infinity });
  let header: string[] | null = null;
  const out: { code: string; title: string; synonyms: string[] }[] = [];
  for await (const line of lines) {
    const f = line.split('\t');
    if (!header) {
      header = f;
      continue;
    }
    out.push({ code: f[header.indexOf('code_dotted')]!, title: f[header.indexOf('long_desc')]!, synonyms: [] });
  }
  return out;
}

const pctile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

async function time(name: string, texts: string[], f: (t: string) => Promise<unknown>): Promise<{ name: string; p50_ms: number; p95_ms: number; max_ms: number; docs: number }> {
  for (const t of texts.slice(0, 5)) await f(t); // warm-up: sessions, JIT
  const ms: number[] = [];
  for (const t of texts) {
    const t0 = performance.now();
    await f(t);
    ms.push(performance.now() - t0);
  }
  const r = { name, p50_ms: +pctile(ms, 0.5).toFixed(2), p95_ms: +pctile(ms, 0.95).toFixed(2), max_ms: +Math.max(...ms).toFixed(2), docs: texts.length };
  console.log(`${name}: p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms, max ${r.max_ms} ms (${texts.length} documents)`);
  return r;
}

const demo = await loadDemoCodiesp();
const all = await catalogue();
// label space: the whole catalogue, the demo's codes first (the order does not matter)
const index = new Map(demo.labels.map((l, i) => [l.code, i]));
const labels = [...demo.labels.map((l) => ({ code: l.code, title: l.title, synonyms: [...l.synonyms] })), ...all.filter((c) => !index.has(c.code))];
const corpus = { ...demo, labels };
const s = PlantSettings.parse({ threads: THREADS });
const encoded = buildEncodedCorpus(corpus, s);
const L = labels.length;
console.log(`machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${L} labels, ${corpus.train.length} training documents`);
const lex = await trainLexical(
  { vocab: encoded.vocab, train: encoded.train, trainLabels: corpus.train.map((d) => d.labels), unlabelled: encoded.unlabelled, labels },
  { ranker: { seed: s.seed } },
  { threads: THREADS, spawnWorker: spawnTsxLexicalWorker },
);
const trainFreq = trainFrequencies(corpus.train, L);
const scorer = new LexicalScorer(lex.model, L);
const shortlist = shortlistOf(s);
const tuningCands = encoded.tuning.map((ids) => scorer.candidates(scorer.vectorize(ids), shortlist));
const lexicalFusion = fitFusion(tuningCands.map((c) => ({ candidates: c })), corpus.tuning.map((d) => d.labels), trainFreq, false);
// the fused model's fusion: the lexical weights, and a weight on the attention logit
const names = fusionFeatureNames(true);
const fusedFusion = { ...lexicalFusion, withAttention: true, names, theta: [...lexicalFusion.theta, 0.5, 0, 0, 0] };
const config = classifierConfig(s, encoded.vocab.size, L);
const params = initParams(classifierParams(config), s.seed);
const texts = corpus.evaluation.map((d) => d.text);
const base = { vocab: encoded.vocab, maxLen: s.maxLen, numLabels: L, threads: THREADS };
const fused = await TextPredictor.create({ ...base, attention: { config, params }, lexical: { model: lex.model, fusion: fusedFusion, shortlist, trainFreq } });
const lexical = await TextPredictor.create({ ...base, lexical: { model: lex.model, fusion: lexicalFusion, shortlist, trainFreq } });
const attention = await TextPredictor.create({ ...base, attention: { config, params } });
const rows = [
  await time('fused (lexical shortlist + attention on it + fusion), top 15', texts, (t) => fused.top(t, 15)),
  await time('lexical ranker alone, top 15', texts, (t) => lexical.top(t, 15)),
  await time(`attention over all ${L} labels, top 15 (models without the ranker)`, texts.slice(0, 20), (t) => attention.top(t, 15)),
];
await Promise.all([fused.dispose(), lexical.dispose(), attention.dispose()]);
const out = { machine: `${cpus()[0]?.model.trim()}, ${cpus().length} cores`, load_avg: loadavg().map((x) => +x.toFixed(2)), labels: L, trained_labels: lex.model.ranker.tree.labels.length, shortlist, threads: THREADS, rows, finished_at: new Date().toISOString() };
writeFileSync(resolve(ROOT, 'bench/results/suggest-latency.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote bench/results/suggest-latency.json`);
