// `npx tsx bench/lexical-vs-sklearn.ts [--size 1000] [--tol 1e-4,0.1]`: Planter's linear solver
// against scikit-learn's LinearSVC on the SAME features (Planter's TF-IDF of an EURLEX57K cell,
// written as svmlight), the same C and the same one-vs-rest over labels with a training positive.
// Both rank the evaluation half by raw decision values; P@1/P@5 and fit time are compared in one
// run (a ratio, on a shared machine). Writes bench/results/lexical-vs-sklearn-<size>.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PlantSettings } from '../src/shared/contract';
import { workerRunner } from '../src/main/lexical/group-runner';
import { rankLabels } from '../src/main/lexical/ranker';
import { fitTfidf, TfidfVectorizer } from '../src/main/lexical/tfidf';
import { spawnTsxLexicalWorker } from '../src/main/lexical/testing/tsx-worker';
import { DEFAULT_RANKER_OPTIONS, groupOptions, trainRanker } from '../src/main/lexical/train-ranker';
import { buildEncodedCorpus } from '../src/main/plant/pipeline/tokenize-stage';
import { loadEurlex } from './datasets';
import { SUBSET_SEED } from './quality-plan';
import { PYTHON } from './quality-peers';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const size = Number(arg('size', '1000'));
const tols = arg('tol', '1e-4,0.1').split(',').map(Number);
const C = Number(arg('C', '1'));
const THREADS = 2;
const ROOT = resolve(import.meta.dirname, '..');

const corpus = await loadEurlex(size, SUBSET_SEED);
const s = PlantSettings.parse({ threads: THREADS });
const encoded = buildEncodedCorpus(corpus, s);
const { model } = fitTfidf([...encoded.train, ...encoded.unlabelled], encoded.vocab.size);
const vec = new TfidfVectorizer(model);
const X = vec.transformAll(encoded.train, true);
const L = corpus.labels.length;
const evalRows = encoded.evaluation.map((ids) => vec.transform(ids));

const pAt = (ranked: number[][], k: number): number => {
  let sum = 0;
  let n = 0;
  ranked.forEach((top, d) => {
    const g = new Set(corpus.evaluation[d]!.labels);
    if (!g.size) return;
    sum += top.slice(0, k).filter((l) => g.has(l)).length / k;
    n++;
  });
  return sum / n;
};

const rows: Record<string, unknown>[] = [];
console.log(`EURLEX57K ${size}: ${X.rows} documents, ${X.cols} features, ${X.indptr[X.rows]} nnz; load ${loadavg()[0]!.toFixed(1)}`);

// Planter: exact one-vs-rest (no tree), its default tolerance, 2 worker threads
const o = { ...DEFAULT_RANKER_OPTIONS, structure: 'flat' as const, C, threshold: 0 };
const runner = workerRunner(X, groupOptions(o), spawnTsxLexicalWorker, THREADS);
const t0 = performance.now();
const { ranker } = await trainRanker(X, corpus.train.map((d) => d.labels), L, o, { runner, threads: THREADS });
const planterS = (performance.now() - t0) / 1000;
await runner.dispose();
const mine = evalRows.map((x) => Array.from(rankLabels(ranker, x, { beam: 1, topK: 5 }).labels));
rows.push({ system: `Planter DCD (eps ${o.eps}, shrinking, no pruning)`, p1: pAt(mine, 1), p5: pAt(mine, 5), fit_s: planterS });

// scikit-learn on the same rows
const dir = mkdtempSync(join(tmpdir(), 'lex-vs-sk-'));
const svm = (rowsOf: { indices: ArrayLike<number>; values: ArrayLike<number> }[], labels: number[][]): string =>
  rowsOf.map((r, i) => `${labels[i]!.join(',')} ${Array.from(r.indices, (f, j) => `${f}:${r.values[j]!.toPrecision(7)}`).join(' ')}`).join('\n') + '\n';
writeFileSync(join(dir, 'train.svm'), svm(Array.from({ length: X.rows }, (_, i) => ({ indices: X.indices.subarray(X.indptr[i]!, X.indptr[i + 1]!), values: X.data.subarray(X.indptr[i]!, X.indptr[i + 1]!) })), corpus.train.map((d) => d.labels)));
writeFileSync(join(dir, 'evaluation.svm'), svm(evalRows, corpus.evaluation.map((d) => d.labels)));
for (const tol of tols) {
  const r = spawnSync(PYTHON, [join(ROOT, 'bench/peers/linearsvc_same_features.py'), '--dir', dir, '--labels', String(L), '--features', String(X.cols), '--C', String(C), '--tol', String(tol), '--jobs', String(THREADS)], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`linearsvc_same_features.py failed (${r.status})`);
  const t = JSON.parse(readFileSync(join(dir, 'timings.json'), 'utf8')) as { fit_s: number };
  const scores = new Float32Array(readFileSync(join(dir, 'evaluation.f32')).buffer.slice(0));
  const ranked = evalRows.map((_, d) => {
    const row = scores.subarray(d * L, (d + 1) * L);
    return Array.from(row.keys()).sort((a, b) => row[b]! - row[a]! || a - b).slice(0, 5);
  });
  rows.push({ system: `scikit-learn LinearSVC (tol ${tol})`, p1: pAt(ranked, 1), p5: pAt(ranked, 5), fit_s: t.fit_s });
}
rmSync(dir, { recursive: true, force: true });
for (const r of rows) console.log(`${String(r.system).padEnd(48)} P@1 ${(100 * (r.p1 as number)).toFixed(1)}  P@5 ${(100 * (r.p5 as number)).toFixed(1)}  fit ${(r.fit_s as number).toFixed(1)} s`);
const out = { cell: `eurlex57k-${size}`, C, features: X.cols, nnz: X.indptr[X.rows], machine: `${cpus()[0]?.model.trim()}, ${cpus().length} cores`, load_avg_end: +loadavg()[0]!.toFixed(2), rows, finished_at: new Date().toISOString() };
writeFileSync(resolve(ROOT, `bench/results/lexical-vs-sklearn-${size}.json`), JSON.stringify(out, null, 1) + '\n');
