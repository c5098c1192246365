// The peers of the quality benchmark, run as real programs on files this module writes:
// fastText 0.9.2 (Debian's `fasttext` binary) and scikit-learn 1.2 (Debian's /usr/bin/python3,
// bench/peers/tfidf_linear.py). Their per-label scores are read back and scored by quality-eval.ts.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { PlantCorpus } from '../src/main/plant/pipeline/corpus';
import { evaluateScores, tuningP5 } from './quality-eval';
import type { SystemResult } from './quality-plan';

export const FASTTEXT = process.env.PLANTER_FASTTEXT ?? 'fasttext';
/** Debian's Python: the `python3` on PATH may be another build without scikit-learn. */
export const PYTHON = process.env.PLANTER_PYTHON ?? '/usr/bin/python3';
const PEERS_DIR = resolve(import.meta.dirname, 'peers');
/** From this many training documents the peers search a narrowed grid (see each grid). */
const LARGE_TRAIN = 20_000;

/** Why a peer cannot run here (null when it can). */
export function peerMissing(peer: 'fasttext' | 'tfidf_linear'): string | null {
  if (peer === 'fasttext') {
    const r = spawnSync(FASTTEXT, [], { encoding: 'utf8' });
    if (r.error) return `${FASTTEXT} not found (install it with bench/peers/setup.sh: apt-get install -y fasttext)`;
    return null;
  }
  const r = spawnSync(PYTHON, ['-c', 'import sklearn, numpy, scipy; print(sklearn.__version__)'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found (bench/peers/setup.sh installs Debian's python3-sklearn)`;
  if (r.status !== 0) return `${PYTHON} has no scikit-learn (install it with bench/peers/setup.sh: apt-get install -y python3-sklearn)`;
  return null;
}

/** Versions of the peers, for the machine line of the report. */
export function peerVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  const ft = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'fasttext'], { encoding: 'utf8' });
  if (ft.status === 0) out.fasttext = ft.stdout.trim();
  const sk = spawnSync(PYTHON, ['-c', 'import sklearn, sys; print(sklearn.__version__, sys.version.split()[0])'], { encoding: 'utf8' });
  if (sk.status === 0) {
    const [sklearn, python] = sk.stdout.trim().split(' ');
    out.sklearn = sklearn!;
    out.python = python!;
  }
  return out;
}

function run(cmd: string, args: string[], log: (s: string) => void): Promise<number> {
  const t0 = performance.now();
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      const text = b.toString().trim();
      if (text) log(text);
    });
    child.stderr.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-4000);
    });
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res((performance.now() - t0) / 1000) : rej(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`))));
  });
}

/** One line per document, whitespace collapsed (every peer reads the same text as Planter). */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim() || '_empty_';

/**
 * fastText's tokeniser only splits on whitespace, so its own tutorial lower-cases and pads
 * punctuation with spaces; we do the same (and nothing else).
 */
export const fastTextText = (text: string): string => oneLine(text.toLowerCase().replace(/([.!?,;:'"()[\]/])/g, ' $1 '));

// ---------------------------------------------------------------------------------------------
// fastText

export interface FastTextConfig {
  epoch: number;
  lr: number;
  wordNgrams: number;
}

export interface PeerOptions {
  workDir: string;
  threads: number;
  log: (s: string) => void;
  /** Smoke runs try a single configuration. */
  tiny?: boolean;
}

/** Dense [L] probabilities per line of a `predict-prob` output (labels fastText never saw stay −∞). */
async function readPredictions(file: string, numLabels: number): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    const row = new Float32Array(numLabels).fill(Number.NEGATIVE_INFINITY);
    const f = line.split(' ');
    for (let i = 0; i + 1 < f.length; i += 2) row[Number(f[i]!.slice('__label__L'.length))] = Number(f[i + 1]);
    rows.push(row);
  }
  return rows;
}

/**
 * fastText supervised with one-vs-all loss: coordinate search over epoch, lr and wordNgrams (in
 * that order, one pass each, starting from epoch 25 / lr 0.5 / wordNgrams 2), keeping the setting
 * with the best P@5 on the tuning half; the best model then scores all dev documents (every label).
 */
export async function runFastText(corpus: PlantCorpus, o: PeerOptions): Promise<SystemResult> {
  const L = corpus.labels.length;
  const dir = o.workDir;
  const write = (name: string, docs: PlantCorpus['train'], withLabels: boolean): string => {
    const file = join(dir, name);
    writeFileSync(file, docs.map((d) => (withLabels ? d.labels.map((l) => `__label__L${l} `).join('') : '') + fastTextText(d.text)).join('\n') + '\n');
    return file;
  };
  const trainFile = write('ft-train.txt', corpus.train.filter((d) => d.labels.length > 0), true);
  const tuningFile = write('ft-tuning.txt', corpus.tuning, false);
  const evalFile = write('ft-evaluation.txt', corpus.evaluation, false);
  const search: NonNullable<SystemResult['search']> = [];
  const tried = new Map<string, { p5: number; train_s: number }>();
  const key = (c: FastTextConfig): string => `e${c.epoch}-lr${c.lr}-n${c.wordNgrams}`;
  const modelOf = (c: FastTextConfig): string => join(dir, `ft-${key(c)}`);
  let best: FastTextConfig | null = null;
  let bestP5 = -1;
  const searchT0 = performance.now();
  const attempt = async (c: FastTextConfig): Promise<number> => {
    const k = key(c);
    const seen = tried.get(k);
    if (seen) return seen.p5;
    const args = ['supervised', '-input', trainFile, '-output', modelOf(c), '-loss', 'ova', '-epoch', String(c.epoch), '-lr', String(c.lr), '-wordNgrams', String(c.wordNgrams), '-dim', '100', '-minCount', '1', '-thread', String(o.threads), '-seed', '13', '-verbose', '0'];
    let trainS: number;
    try {
      trainS = await run(FASTTEXT, args, o.log);
    } catch (e) {
      // fastText aborts on NaN when a large lr diverges: that configuration scores nothing (tuning P@5 null).
      if (!/NaN/.test(String(e))) throw e;
      tried.set(k, { p5: -1, train_s: 0 });
      search.push({ config: { ...c, diverged: true }, tuning_p5: null, train_s: 0 });
      o.log(`fasttext ${k}: diverged (NaN), skipped`);
      rmSync(`${modelOf(c)}.bin`, { force: true });
      return -1;
    }
    const out = join(dir, 'ft-tuning-top.txt');
    await run('sh', ['-c', `"${FASTTEXT}" predict-prob "${modelOf(c)}.bin" "${tuningFile}" 5 > "${out}"`], o.log);
    const p5 = tuningP5(corpus, await readPredictions(out, L)) ?? 0;
    tried.set(k, { p5, train_s: trainS });
    search.push({ config: { ...c }, tuning_p5: p5, train_s: trainS });
    o.log(`fasttext ${k}: tuning P@5 ${p5.toFixed(4)} (${trainS.toFixed(1)} s)`);
    if (p5 > bestP5) {
      if (best) rmSync(`${modelOf(best)}.bin`, { force: true });
      best = { ...c };
      bestP5 = p5;
    } else rmSync(`${modelOf(c)}.bin`, { force: true });
    rmSync(`${modelOf(c)}.vec`, { force: true });
    return p5;
  };
  const n = corpus.train.length;
  const grid: { [K in keyof FastTextConfig]: number[] } = o.tiny
    ? { epoch: [5], lr: [0.5], wordNgrams: [2] }
    : n >= LARGE_TRAIN
      ? // One configuration at 45k documents costs 10–20 min on 2 cores: search only the passes,
        // at the 5,000-document winner's lr 1 and wordNgrams 2.
        { epoch: [10, 25], lr: [1.0], wordNgrams: [2] }
      : // Larger training sets need fewer passes (and one pass over 45k documents costs as much as 180 over 250).
        { epoch: n >= 5000 ? [5, 10, 25, 50] : [10, 25, 50, 100], lr: [0.1, 0.25, 0.5, 1.0], wordNgrams: [1, 2, 3] };
  let current: FastTextConfig = o.tiny ? { epoch: 5, lr: 0.5, wordNgrams: 2 } : n >= LARGE_TRAIN ? { epoch: 25, lr: 1.0, wordNgrams: 2 } : { epoch: 25, lr: 0.5, wordNgrams: 2 };
  for (const param of ['epoch', 'lr', 'wordNgrams'] as const) {
    let bestHere = current;
    let bestHereP5 = -1;
    for (const v of grid[param]) {
      const c = { ...current, [param]: v };
      const p5 = await attempt(c);
      if (p5 > bestHereP5) {
        bestHereP5 = p5;
        bestHere = c;
      }
    }
    current = bestHere;
  }
  const searchS = (performance.now() - searchT0) / 1000;
  const chosen = best as FastTextConfig | null;
  if (!chosen) throw new Error('fasttext: no configuration trained');
  const model = `${modelOf(chosen)}.bin`;
  const t0 = performance.now();
  await run('sh', ['-c', `"${FASTTEXT}" predict-prob "${model}" "${tuningFile}" ${L} 0 > "${join(dir, 'ft-tuning-all.txt')}"`], o.log);
  await run('sh', ['-c', `"${FASTTEXT}" predict-prob "${model}" "${evalFile}" ${L} 0 > "${join(dir, 'ft-evaluation-all.txt')}"`], o.log);
  const inferS = (performance.now() - t0) / 1000;
  const tuning = await readPredictions(join(dir, 'ft-tuning-all.txt'), L);
  const evaluation = await readPredictions(join(dir, 'ft-evaluation-all.txt'), L);
  rmSync(model, { force: true });
  const scored = evaluateScores(corpus, tuning, evaluation);
  return {
    metrics: scored.report,
    train_s: tried.get(key(chosen))!.train_s,
    infer_s: inferS,
    search_s: searchS,
    threshold: scored.threshold,
    config: { ...chosen, loss: 'ova', dim: 100, minCount: 1, thread: o.threads, text: 'lower-cased, punctuation split' },
    search,
    finished_at: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// TF-IDF + one-vs-rest linear model (scikit-learn)

interface TfidfTimings {
  vectorize_s: number;
  transform_s: number;
  per_c: Record<string, { fit_s: number; predict_s: number }>;
  features: number;
  trained_labels: number;
  sklearn: string;
}

function readMatrix(file: string, rows: number, numLabels: number): Float32Array[] {
  const buf = readFileSync(file);
  if (buf.byteLength !== rows * numLabels * 4) throw new Error(`${file}: ${buf.byteLength} bytes, expected ${rows}×${numLabels} float32`);
  const all = new Float32Array(buf.buffer, buf.byteOffset, rows * numLabels);
  return Array.from({ length: rows }, (_, d) => all.slice(d * numLabels, (d + 1) * numLabels));
}

/**
 * TF-IDF (word 1–2-grams, sublinear tf, fitted on train) + OneVsRestClassifier(LinearSVC) for
 * every label with a training positive (others score −∞: the model knows nothing of them), C
 * chosen by P@5 on the tuning half among bench/peers/tfidf_linear.py's grid.
 */
export async function runTfidfLinear(corpus: PlantCorpus, o: PeerOptions): Promise<SystemResult> {
  const L = corpus.labels.length;
  const dir = o.workDir;
  // C = 3 won every cell up to 1,000 documents (1 and 10 within 0.01 P@5). One C costs 4–6 min at
  // 5,000 EURLEX57K documents on 2 cores and several times that at 45,000, so larger cells search
  // around that winner only.
  const n = corpus.train.length;
  const cs = o.tiny ? [1] : n >= LARGE_TRAIN ? [3] : n >= 5000 ? [1, 3, 10] : [0.1, 0.3, 1, 3, 10, 30];
  writeFileSync(join(dir, 'train.txt'), corpus.train.map((d) => oneLine(d.text)).join('\n') + '\n');
  writeFileSync(join(dir, 'train.labels'), corpus.train.map((d) => d.labels.join(' ')).join('\n') + '\n');
  writeFileSync(join(dir, 'tuning.txt'), corpus.tuning.map((d) => oneLine(d.text)).join('\n') + '\n');
  writeFileSync(join(dir, 'evaluation.txt'), corpus.evaluation.map((d) => oneLine(d.text)).join('\n') + '\n');
  await run(PYTHON, [join(PEERS_DIR, 'tfidf_linear.py'), '--dir', dir, '--labels', String(L), '--C', cs.join(','), '--jobs', String(o.threads)], o.log);
  const timings = JSON.parse(readFileSync(join(dir, 'tfidf-timings.json'), 'utf8')) as TfidfTimings;
  const search: NonNullable<SystemResult['search']> = [];
  let best = { c: cs[0]!, p5: -1 };
  for (const c of cs) {
    const tuning = readMatrix(join(dir, `tfidf-C${c}-tuning.f32`), corpus.tuning.length, L);
    const p5 = tuningP5(corpus, tuning) ?? 0;
    const t = timings.per_c[String(c)]!;
    search.push({ config: { C: c }, tuning_p5: p5, train_s: timings.vectorize_s + t.fit_s });
    o.log(`tfidf_linear C=${c}: tuning P@5 ${p5.toFixed(4)} (fit ${t.fit_s.toFixed(1)} s)`);
    if (p5 > best.p5) best = { c, p5 };
  }
  const tuning = readMatrix(join(dir, `tfidf-C${best.c}-tuning.f32`), corpus.tuning.length, L);
  const evaluation = readMatrix(join(dir, `tfidf-C${best.c}-evaluation.f32`), corpus.evaluation.length, L);
  const scored = evaluateScores(corpus, tuning, evaluation);
  const fitAll = Object.values(timings.per_c).reduce((a, t) => a + t.fit_s + t.predict_s, 0);
  return {
    metrics: scored.report,
    train_s: timings.vectorize_s + timings.per_c[String(best.c)]!.fit_s,
    infer_s: timings.transform_s + timings.per_c[String(best.c)]!.predict_s,
    search_s: timings.vectorize_s + timings.transform_s + fitAll,
    threshold: scored.threshold,
    config: { C: best.c, model: 'LinearSVC (squared hinge, l2)', tfidf: 'word 1-2-grams, sublinear tf, min_df 2, max_features 500k', features: timings.features, trained_labels: timings.trained_labels, n_jobs: o.threads, sklearn: timings.sklearn },
    search,
    finished_at: new Date().toISOString(),
  };
}
