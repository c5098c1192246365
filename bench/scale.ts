/**
 * `npm run bench:scale` — Planter at scale (issue #7): a generated project of 100,000 documents and
 * 30,000 labels (Zipf-distributed, most of them rare), driven over HTTP through `planter serve`
 * exactly as the UI drives it. It times:
 *
 * 1. building the project through the CLI (catalogue, then corpus: the transactional import path);
 * 2. opening it (first `projects.stats`), `labels.catalogue` (the renderer's search index);
 * 3. the UI's interactions, each many times (p50/p95/max): label search per typed prefix, document
 *    list pages (shallow, deep, filtered, full-text), queue pages per strategy, opening a document,
 *    annotation writes and undo;
 * 4. a small model's training, then suggestions and evidence per document, the model-based queue
 *    orders, and inference throughput (`evaluation.report` over the dev split);
 * and the serve process's memory (RSS now, and peak) after each phase. Interactions whose p95 is over
 * 100 ms are listed. Ends with `scale-summary {…}`; `--out FILE` writes every number as JSON.
 *
 * Flags: --docs N (100000), --labels N (30000), --home DIR (reuse a data folder built before),
 * --keep (keep the temp folder), --out FILE, --no-train.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLI, ensureBuilt, ROOT, startServiceProcess, waitJob, type ServiceProcess } from '../src/main/testing/reliability/service-process';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const DOCS = Number(flag('docs') ?? 100_000);
const LABELS = Number(flag('labels') ?? 30_000);
const PROJECT = 'scale';
const UI_BUDGET_MS = 100;
const log = (msg: string): void => void process.stderr.write(`[bench:scale] ${msg}\n`);

// ---------- data ----------

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['car', 'dio', 'neu', 'ro', 'gas', 'tro', 'hep', 'ato', 'pul', 'mon', 'ren', 'al', 'os', 'teo', 'my', 'elo', 'derm', 'itis', 'oma', 'path', 'plas', 'ia', 'sis', 'lith', 'cyst', 'angi', 'fib', 'scler', 'ost', 'chon', 'lip', 'glyc', 'emia', 'uria', 'algia', 'tens', 'hypo', 'hyper', 'endo', 'peri'];
/** A pseudo-medical word per index: distinct, pronounceable, stable. */
function word(i: number): string {
  let w = '';
  let n = i + 1;
  while (n > 0) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return w;
}
const COMMON = ['patient', 'with', 'history', 'of', 'and', 'the', 'presented', 'pain', 'left', 'right', 'acute', 'chronic', 'without', 'complication', 'due', 'to', 'unspecified', 'severe', 'mild', 'episode', 'initial', 'encounter', 'type', 'stage', 'bilateral'];

/** labels.csv (code,title,parent,synonyms) and corpus.jsonl; label l's documents mention its keyword. */
async function generate(dir: string): Promise<{ labelsFile: string; corpusFile: string; seconds: number }> {
  const t0 = performance.now();
  const r = rng(7);
  const labelsFile = join(dir, 'labels.csv');
  const lines = ['code,title,parent,synonyms'];
  const groups = Math.ceil(LABELS / 100);
  for (let g = 0; g < groups; g++) lines.push(`G${String(g).padStart(4, '0')},${word(5000 + g)} disorders,,`);
  for (let l = 0; l < LABELS; l++) {
    const code = `C${String(l).padStart(5, '0')}`;
    const title = `${word(l)} ${COMMON[l % COMMON.length]} ${word((l * 7919) % 20000)}`;
    lines.push(`${code},${title},G${String(Math.floor(l / 100)).padStart(4, '0')},${word(l)}ic`);
  }
  writeFileSync(labelsFile, `${lines.join('\n')}\n`);
  // Zipf over labels (s = 1.1): a head of frequent codes and a long tail seen once or never.
  const weights = Array.from({ length: LABELS }, (_, i) => 1 / (i + 1) ** 1.1);
  const cdf = new Float64Array(LABELS);
  let acc = 0;
  weights.forEach((w, i) => (cdf[i] = acc += w));
  const sample = (): number => {
    const x = r() * acc;
    let lo = 0;
    let hi = LABELS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const corpusFile = join(dir, 'corpus.jsonl');
  const out = createWriteStream(corpusFile);
  for (let d = 0; d < DOCS; d++) {
    const split = d % 20 === 0 ? 'dev' : d % 4 === 0 ? 'train' : 'pool'; // 5 % dev, 20 % train, 75 % pool
    const labels = [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, sample))];
    const words: string[] = [];
    const length = 50 + Math.floor(r() * 100);
    for (let i = 0; i < length; i++) words.push(r() < 0.6 ? COMMON[Math.floor(r() * COMMON.length)]! : word(Math.floor(r() * 20000)));
    for (const l of labels) words.splice(Math.floor(r() * words.length), 0, word(l));
    const row = { id: `doc-${d}`, text: words.join(' '), labels: split === 'pool' ? [] : labels.map((l) => `C${String(l).padStart(5, '0')}`), split };
    if (!out.write(`${JSON.stringify(row)}\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise<void>((res) => out.end(res));
  return { labelsFile, corpusFile, seconds: (performance.now() - t0) / 1000 };
}

function cli(argv: string[]): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`planter ${argv.join(' ')}: ${r.stderr}`);
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout };
}

// ---------- measuring ----------

interface Stat {
  n: number;
  p50: number;
  p95: number;
  max: number;
}
const stats: Record<string, Stat> = {};
const memory: Record<string, { rssMb: number; peakMb: number }> = {};
const timings: Record<string, number> = {};
let stageSeconds: Record<string, number> = {};

function summarise(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
  return { n: s.length, p50: at(50), p95: at(95), max: Math.round(s[s.length - 1]! * 10) / 10 };
}

async function measure(name: string, proc: ServiceProcess, calls: [string, unknown][]): Promise<unknown[]> {
  const xs: number[] = [];
  const values: unknown[] = [];
  for (const [method, input] of calls) {
    const t0 = performance.now();
    values.push(await proc.ok(method, input, 600_000));
    xs.push(performance.now() - t0);
  }
  stats[name] = summarise(xs);
  log(`${name}: p50 ${stats[name].p50} ms, p95 ${stats[name].p95} ms, max ${stats[name].max} ms (${xs.length} calls)`);
  return values;
}

async function once(name: string, f: () => Promise<unknown>): Promise<unknown> {
  const t0 = performance.now();
  const v = await f();
  timings[name] = Math.round(performance.now() - t0);
  log(`${name}: ${timings[name]} ms`);
  return v;
}

function rss(name: string, pid: number): void {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  memory[name] = { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

// ---------- the run ----------

async function main(): Promise<void> {
  ensureBuilt(log);
  const home = flag('home') ?? mkdtempSync(join(tmpdir(), 'planter-scale-'));
  const projectDir = join(home, 'projects', PROJECT);
  if (!existsSync(join(projectDir, 'project.sqlite'))) {
    mkdirSync(home, { recursive: true });
    const data = mkdtempSync(join(tmpdir(), 'planter-scale-data-'));
    log(`generating ${DOCS.toLocaleString('en')} documents and ${LABELS.toLocaleString('en')} labels`);
    const g = await generate(data);
    timings.generate = Math.round(g.seconds * 1000);
    timings.init = Math.round(cli(['init', '--project', projectDir, '--name', 'Scale']).seconds * 1000);
    timings.import_catalogue = Math.round(cli(['labels', '--project', projectDir, g.labelsFile, '--format', 'labels-csv']).seconds * 1000);
    log(`catalogue imported in ${timings.import_catalogue} ms`);
    timings.import_corpus = Math.round(cli(['import', '--project', projectDir, g.corpusFile, '--id-field', 'id', '--labels-field', 'labels', '--split-field', 'split']).seconds * 1000);
    log(`corpus imported in ${timings.import_corpus} ms`);
    rmSync(data, { recursive: true, force: true });
  }

  let proc = await startServiceProcess({ dataDir: home, readyTimeoutMs: 60_000 });
  try {
    rss('started', proc.pid);
    await once('open_project_stats', () => proc.ok('projects.stats', { projectId: PROJECT }, 600_000));
    await once('projects_list', () => proc.ok('projects.list', {}));
    const catalogue = (await once('labels_catalogue', () => proc.ok<{ rows: string; count: number }>('labels.catalogue', { projectId: PROJECT }))) as { rows: string; count: number };
    await once('labels_catalogue_cached', () => proc.ok('labels.catalogue', { projectId: PROJECT }));
    rss('opened', proc.pid);

    // Label search as typed: every prefix of realistic queries.
    const queries = [word(3), word(1234), word(29_000), 'C0012', 'c299', `${word(10)} ${COMMON[10]}`, 'unspecified', word(5001), 'xyzzy', word(77)];
    const prefixes = queries.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
    await measure('labels.search (per typed prefix)', proc, prefixes.map((query) => ['labels.search', { projectId: PROJECT, query, limit: 50 }]));

    const pages = (offsets: number[], extra: object): [string, unknown][] => offsets.map((offset) => ['documents.list', { projectId: PROJECT, offset, limit: 50, ...extra }]);
    await measure('documents.list (first pages)', proc, pages([0, 50, 100, 150, 200, 250, 300, 350, 400, 450], {}));
    await measure('documents.list (deep pages)', proc, pages([10_000, 25_000, 50_000, 75_000, DOCS - 50], {}));
    await measure('documents.list (split=pool, pages)', proc, pages([0, 50, 5000, 50_000], { split: 'pool' }));
    await measure('documents.list (full-text query)', proc, ['patient', word(5), `${word(3)} ${COMMON[3]}`, 'acute chronic', 'zzzz'].map((query) => ['documents.list', { projectId: PROJECT, query, limit: 50 }]));

    const queue = (strategy: string, offsets: number[], extra: object = {}): [string, unknown][] => offsets.map((offset) => ['queue.next', { projectId: PROJECT, strategy, offset, limit: 20, ...extra }]);
    await measure('queue.next sequential', proc, queue('sequential', [0, 20, 40, 1000, 20_000]));
    await measure('queue.next random', proc, queue('random', [0, 20, 40, 1000]));
    await measure('queue.next search', proc, queue('search', [0, 20], { query: word(12) }));
    await measure('queue.next rare-first (no model)', proc, queue('rare-first', [0, 20, 40]));
    rss('queue', proc.pid);

    const docs = ((await proc.ok<{ items: { id: number }[] }>('documents.list', { projectId: PROJECT, split: 'pool', offset: 1000, limit: 300 })).items).map((d) => d.id);
    const labelIds = catalogue.rows.split('\n').slice(0, 5000).map((row) => Number(row.split('\t')[0]));
    await measure('documents.get', proc, docs.slice(0, 100).map((docId) => ['documents.get', { projectId: PROJECT, docId }]));
    await measure('annotations.apply', proc, docs.slice(0, 200).map((docId, i) => ['annotations.apply', { projectId: PROJECT, docId, labelId: labelIds[(i * 37) % labelIds.length], action: i % 3 ? 'add' : 'reject' }]));
    await measure('annotations.setStatus', proc, docs.slice(0, 100).map((docId) => ['annotations.setStatus', { projectId: PROJECT, docId, status: 'done' }]));
    await measure('annotations.undo', proc, Array.from({ length: 30 }, () => ['annotations.undo', { projectId: PROJECT }] as [string, unknown]));
    await measure('projects.stats (after writes)', proc, Array.from({ length: 5 }, () => ['projects.stats', { projectId: PROJECT }] as [string, unknown]));
    rss('annotated', proc.pid);

    if (!args.includes('--no-train')) {
      const settings = { pretrain: false, dim: 32, maxLen: 64, batchSize: 32, sampledLabels: 256, vocabMaxSize: 20_000, maxFinetuneSteps: 400, epochs: { pretrain: 0, l2r: 1, finetune: 1 }, threads: Math.max(1, cpus().length) };
      const trained = (await once('train_small_model', async () => {
        const { jobId } = await proc.ok<{ jobId: string }>('training.start', { projectId: PROJECT, mode: 'full', settings });
        let peak = 0;
        const poll = setInterval(() => {
          try {
            rss('training', proc.pid);
            peak = Math.max(peak, memory.training!.peakMb);
          } catch {
            /* the process ended */
          }
        }, 2000);
        try {
          return await waitJob(proc, jobId, 3_600_000, 500);
        } finally {
          clearInterval(poll);
        }
      })) as { outcome: string; error?: unknown; result?: { stageTimings: { stage: string; seconds: number }[]; modelId: number } };
      if (trained.outcome !== 'done') throw new Error(`training ${trained.outcome}: ${JSON.stringify(trained.error)}`);
      stageSeconds = Object.fromEntries(trained.result!.stageTimings.map((t) => [t.stage, Math.round(t.seconds * 10) / 10]));
      rss('trained', proc.pid);
      await once('suggestions.get (first: loads the model)', () => proc.ok('suggestions.get', { projectId: PROJECT, docId: docs[0], top: 15 }));
      await measure('suggestions.get', proc, docs.slice(1, 201).map((docId) => ['suggestions.get', { projectId: PROJECT, docId, top: 15 }]));
      const sugg = (await proc.ok<{ labels: { labelId: number }[] }>('suggestions.get', { projectId: PROJECT, docId: docs[0], top: 5 })).labels.map((l) => l.labelId);
      await measure('evidence.get (5 labels)', proc, docs.slice(1, 51).map((docId) => ['evidence.get', { projectId: PROJECT, docId, labelIds: sugg, k: 8 }]));
      await measure('queue.next rare-first (with model)', proc, queue('rare-first', [0, 20, 40]));
      await measure('queue.next uncertainty', proc, queue('uncertainty', [0, 20, 40]));
      await measure('queue.next similar', proc, queue('similar', [0, 20], { docId: docs[0] }));
      rss('suggesting', proc.pid);
      const devDocs = Math.floor(DOCS / 20);
      const evalMs = Number(await once('evaluation.report dev (inference over the split)', async () => {
        const t0 = performance.now();
        await proc.ok('evaluation.report', { projectId: PROJECT, split: 'dev' }, 3_600_000);
        return performance.now() - t0;
      }));
      timings.inference_docs_per_second = Math.round((devDocs / 2 / evalMs) * 1000); // the evaluation half of dev
      rss('evaluated', proc.pid);
    }
    await proc.stop();
    // A cold start on the big project: the first stats after a restart.
    proc = await startServiceProcess({ dataDir: home, readyTimeoutMs: 60_000 });
    await once('reopen_project_stats (cold)', () => proc.ok('projects.stats', { projectId: PROJECT }, 600_000));
    await measure('labels.search (cold process)', proc, prefixes.slice(0, 20).map((query) => ['labels.search', { projectId: PROJECT, query, limit: 50 }]));
  } finally {
    await proc.stop();
    if (!flag('home') && !args.includes('--keep')) rmSync(home, { recursive: true, force: true });
    else log(`data folder kept: ${home}`);
  }

  const slow = Object.entries(stats)
    .filter(([name, s]) => s.p95 > UI_BUDGET_MS && !/evaluation|train/.test(name))
    .map(([name, s]) => `${name} (p95 ${s.p95} ms)`);
  const result = {
    // Other work on the machine skews every number: the 1-minute load average at the end says how much.
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: Math.round(loadavg()[0]! * 10) / 10 },
    documents: DOCS,
    labels: LABELS,
    timings,
    trainingStageSeconds: stageSeconds,
    interactions: stats,
    memory,
    overBudget: slow,
  };
  const out = flag('out');
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(result, null, 1));
  }
  process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  process.stdout.write(
    `scale-summary ${JSON.stringify({
      documents: DOCS,
      labels: LABELS,
      import_corpus_s: timings.import_corpus ? timings.import_corpus / 1000 : null,
      open_ms: timings.open_project_stats,
      label_search_p95_ms: stats['labels.search (per typed prefix)']?.p95,
      documents_list_p95_ms: stats['documents.list (deep pages)']?.p95,
      annotate_p95_ms: stats['annotations.apply']?.p95,
      suggestions_p95_ms: stats['suggestions.get']?.p95 ?? null,
      inference_docs_per_s: timings.inference_docs_per_second ?? null,
      peak_rss_mb: Math.max(...Object.values(memory).map((m) => m.peakMb)),
      over_100ms: slow.length,
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench:scale] failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
