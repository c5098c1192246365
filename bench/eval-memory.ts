// `node --expose-gc --import tsx bench/eval-memory.ts`: the memory a split's evaluation holds
// (issue #15: "streamed top-k, memory bounded by a constant independent of N"), with the whole
// ICD-10-CM label space (94,203 labels). Documents are synthetic rows shaped like the fused
// model's output (120 candidates with probabilities, 1–6 gold labels, most of them among the
// candidates), scored in batches of 256 as the evaluation handler does. Measured: the heap the
// evaluation retains after all documents are added (after a forced GC), for the streamed
// evaluation at growing N, and for the old path (a dense [N × L] matrix) where it fits.
// Writes bench/results/eval-memory.json and prints a table for docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { EvaluationStream } from '../src/main/eval/streaming';
import type { SparseScores } from '../src/main/eval/scores';

const L = 94_203;
const CANDIDATES = 120;
const BATCH = 256;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx bench/eval-memory.ts');

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

// Label popularity is Zipf-like, as in ICD-10 coding: a few thousand codes carry most assignments.
const r = rng(11);
const zipf = () => Math.min(L - 1, Math.floor(Math.exp(r() * Math.log(L)) - 1));
const trainFreq = Int32Array.from({ length: L }, (_, l) => Math.max(0, Math.round(2000 / (l + 1)) - 1));

function batch(n: number): { rows: SparseScores[]; gold: number[][] } {
  const rows: SparseScores[] = [];
  const gold: number[][] = [];
  for (let i = 0; i < n; i++) {
    const g = [...new Set(Array.from({ length: 1 + Math.floor(r() * 6) }, zipf))];
    const labels = new Set<number>(g.filter(() => r() < 0.8));
    while (labels.size < CANDIDATES) labels.add(zipf());
    const ls = Int32Array.from(labels);
    rows.push({ labels: ls, scores: Float32Array.from(ls, (l) => (g.includes(l) ? 0.3 + 0.7 * r() : 0.4 * r() * r())) });
    gold.push(g);
  }
  return { rows, gold };
}

// Typed arrays live outside the V8 heap: count them too. Each case runs in its own process, so
// one case's freed buffers (released lazily) cannot blur the next one's baseline.
const retainedMb = () => {
  gc!();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

interface Row {
  path: string;
  documents: number;
  retained_mb: number;
  seconds: number | null;
  aucExact: boolean | null;
}

function streamedCase(n: number): Row {
  const before = retainedMb();
  const t0 = performance.now();
  const stream = new EvaluationStream({ numLabels: L, trainFreq, numTrainDocs: 2000, thresholds: { global: 0.5 } });
  let peak = 0;
  for (let done = 0; done < n; done += BATCH) {
    const b = batch(Math.min(BATCH, n - done));
    stream.add(b.rows, b.gold);
    if ((done / BATCH) % 20 === 0) peak = Math.max(peak, retainedMb() - before);
  }
  peak = Math.max(peak, retainedMb() - before);
  const result = stream.finish();
  return { path: 'streamed (EvaluationStream)', documents: n, retained_mb: +peak.toFixed(1), seconds: +((performance.now() - t0) / 1000).toFixed(1), aucExact: result.aucExact };
}

/** The old path: one dense Float32Array [L] per document, held until the evaluation ran. */
function denseCase(n: number): Row {
  const before = retainedMb();
  const dense: Float32Array[] = [];
  for (let done = 0; done < n; done += BATCH) {
    for (const row of batch(Math.min(BATCH, n - done)).rows) {
      const d = new Float32Array(L);
      for (let i = 0; i < row.labels.length; i++) d[row.labels[i]!] = row.scores[i]!;
      dense.push(d);
    }
  }
  const held = retainedMb() - before;
  return { path: 'dense score matrix (before)', documents: dense.length, retained_mb: +held.toFixed(1), seconds: null, aucExact: null };
}

const [mode, count] = process.argv.slice(2);
if (mode) {
  const n = Number(count);
  console.log(JSON.stringify(mode === 'dense' ? denseCase(n) : streamedCase(n)));
} else {
  const { execFileSync } = await import('node:child_process');
  const rows: Row[] = [];
  const cases: [string, number][] = [['streamed', 1_000], ['streamed', 10_000], ['streamed', 75_000], ['dense', 1_000], ['dense', 2_000]];
  const loadStart = loadavg();
  for (const [m, n] of cases) {
    const line = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', import.meta.filename, m, String(n)], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
    rows.push(JSON.parse(line) as Row);
    console.log(line);
  }
  const out = { machine: `${cpus()[0]?.model.trim()}, ${cpus().length} cores`, load_avg_start: loadStart, load_avg_end: loadavg(), labels: L, candidates: CANDIDATES, rows };
  writeFileSync(resolve(import.meta.dirname, 'results/eval-memory.json'), JSON.stringify(out, null, 1) + '\n');
  console.log('\n| path | documents | memory held (MB) | s |\n|---|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.path} | ${row.documents.toLocaleString('en')} | ${row.retained_mb} | ${row.seconds ?? '–'} |`);
}
