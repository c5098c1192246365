/**
 * `npm run bench:scale` — Planter at hospital scale (issues #7, #15): 250,000 generated clinical
 * documents coded against the full ICD-10-CM 2018 catalogue (94k codes, ../shared/data/icd-codes),
 * driven over HTTP through `planter serve` exactly as the UI drives it, with a stall probe
 * (`app.info` every 50 ms from a worker thread, bench/scale-probe.ts) watching the host. It times:
 *
 * 1. building the project: `planter init`, the catalogue through the CLI, then the corpus uploaded
 *    and imported through the host (`uploads.*`, `imports.corpus`) under the stall probe;
 * 2. opening it (first `projects.stats`), `labels.catalogue` (the renderer's search index);
 * 3. the UI's interactions, each many times (p50/p95/max): label search per typed prefix, document
 *    list pages (first, deep by cursor and by offset, filtered, full-text), queue pages per strategy
 *    (the first page of each order apart from the pages after it), opening a document, annotation
 *    writes and undo, `projects.stats`;
 * 4. a small model's training, then suggestions and evidence per document, the model-based queue
 *    orders, and `evaluation.report` over the dev split with the host's RSS sampled throughout;
 * 5. exporting every document as CSV, and importing a ~150 MB Label Studio export (a few MB of
 *    .gz) into a second project, both under the stall probe;
 * and the serve process's memory after each phase. Ends with `scale-summary {…}` and writes every
 * number, with a `summary` object, to `--out` (default bench/results/scale-<N/1000>k.json).
 *
 * Flags: --docs N (250000), --home DIR (reuse a data folder built before), --data DIR (keep or reuse
 * the generated files there), --keep (keep the temp folder), --out FILE, --no-train,
 * --label-studio-mb N (150).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, ensureBuilt, ROOT, startServiceProcess, waitJob, type ServiceProcess } from '../src/main/testing/reliability/service-process';
import { billableCodes, ICD10CM, writeCorpus, writeLabelStudio } from './scale-data';
import { StallProbe, type StallWindow } from './scale-probe';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const DOCS = Number(flag('docs') ?? 250_000);
const LABEL_STUDIO_MB = Number(flag('label-studio-mb') ?? 150);
const PROJECT = 'scale';
const UI_BUDGET_MS = 100;
const PAGE = 20;
const log = (msg: string): void => void process.stderr.write(`[bench:scale] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);

// ---------- measuring ----------

interface Stat {
  n: number;
  p50: number;
  p95: number;
  max: number;
  error?: string;
}
const stats: Record<string, Stat> = {};
const memory: Record<string, { rssMb: number; peakMb: number }> = {};
const timings: Record<string, number> = {};
const stalls: Record<string, StallWindow> = {};
const errors: Record<string, string> = {};
const loads: { at: string; load1m: number }[] = [];
let stageSeconds: Record<string, number> = {};

const round1 = (x: number): number => Math.round(x * 10) / 10;

function summarise(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => round1(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
  return { n: s.length, p50: at(50), p95: at(95), max: round1(s[s.length - 1]!) };
}

function noteLoad(at: string): void {
  loads.push({ at, load1m: round1(loadavg()[0]!) });
}

/** Times each call; a failing call is recorded (the old code throws at this scale) and ends the series. */
async function measure(name: string, proc: ServiceProcess, calls: [string, unknown][]): Promise<unknown[]> {
  const xs: number[] = [];
  const values: unknown[] = [];
  for (const [method, input] of calls) {
    const t0 = performance.now();
    try {
      values.push(await proc.ok(method, input, 600_000));
    } catch (e) {
      errors[name] = (e as Error).message.slice(0, 300);
      log(`${name}: FAILED ${errors[name]}`);
      break;
    }
    xs.push(performance.now() - t0);
  }
  if (xs.length) {
    stats[name] = summarise(xs);
    log(`${name}: p50 ${stats[name].p50} ms, p95 ${stats[name].p95} ms, max ${stats[name].max} ms (${xs.length} calls)`);
  }
  return values;
}

async function once<T>(name: string, f: () => Promise<T>): Promise<T | undefined> {
  const t0 = performance.now();
  try {
    const v = await f();
    timings[name] = Math.round(performance.now() - t0);
    log(`${name}: ${timings[name]} ms`);
    return v;
  } catch (e) {
    errors[name] = (e as Error).message.slice(0, 300);
    log(`${name}: FAILED ${errors[name]}`);
    return undefined;
  }
}

function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}
function rss(name: string, pid: number): void {
  memory[name] = rssOf(pid);
}

/** The highest RSS of the process while `work` runs (sampled every 250 ms; VmHWM would include earlier phases). */
async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = rssOf(pid).rssMb;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid).rssMb);
    } catch {
      /* the process ended */
    }
  }, 250);
  try {
    return { value: await work(), peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

function cli(argv: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`planter ${argv.join(' ')}: ${r.stderr}`);
  return Math.round(performance.now() - t0);
}

/** Uploads a file through `uploads.*` in 4 MiB chunks (the UI's path); older builds take no projectId. */
async function uploadFile(proc: ServiceProcess, projectId: string, file: string): Promise<string> {
  const bytes = readFileSync(file);
  const begin = { fileName: basename(file), sizeBytes: bytes.length };
  let uploadId: string;
  try {
    uploadId = (await proc.ok<{ uploadId: string }>('uploads.begin', { ...begin, projectId })).uploadId;
  } catch (e) {
    if (!/projectId|Unrecognized key/i.test((e as Error).message)) throw e;
    uploadId = (await proc.ok<{ uploadId: string }>('uploads.begin', begin)).uploadId;
  }
  const chunk = 4 * 1024 * 1024;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    await proc.ok('uploads.append', { uploadId, offset, dataBase64: bytes.subarray(offset, offset + chunk).toString('base64') });
  }
  await proc.ok('uploads.finish', { uploadId });
  return uploadId;
}

async function runJob(proc: ServiceProcess, method: string, input: unknown): Promise<unknown> {
  const { jobId } = await proc.ok<{ jobId: string }>(method, input);
  const done = await waitJob(proc, jobId, 7_200_000, 250);
  if (done.outcome !== 'done') throw new Error(`${method} ${done.outcome}: ${JSON.stringify(done.error)}`);
  return done.result;
}

// ---------- the run ----------

async function generateData(dir: string): Promise<{ corpus: string; labelStudio: string }> {
  const corpus = join(dir, `corpus-${DOCS}.jsonl`);
  const labelStudio = join(dir, `label-studio-${LABEL_STUDIO_MB}mb.json.gz`);
  if (existsSync(corpus) && existsSync(labelStudio)) return { corpus, labelStudio };
  const t0 = performance.now();
  const codes = billableCodes();
  log(`generating ${DOCS.toLocaleString('en')} documents over ${codes.length.toLocaleString('en')} billable codes`);
  const written = await writeCorpus(dir, DOCS, codes);
  spawnSync('mv', [written, corpus]);
  const ls = await writeLabelStudio(dir, LABEL_STUDIO_MB, codes);
  spawnSync('mv', [ls.file, labelStudio]);
  timings.generate = Math.round(performance.now() - t0);
  log(`label studio: ${ls.tasks} tasks, ${(ls.bytes / 2 ** 20).toFixed(0)} MB as JSON, ${(statSync(labelStudio).size / 2 ** 20).toFixed(1)} MB as .gz`);
  return { corpus, labelStudio };
}

async function main(): Promise<void> {
  ensureBuilt(log);
  noteLoad('start');
  const home = flag('home') ?? mkdtempSync(join(tmpdir(), 'planter-scale-'));
  const dataDir = flag('data') ?? mkdtempSync(join(tmpdir(), 'planter-scale-data-'));
  mkdirSync(dataDir, { recursive: true });
  const files = await generateData(dataDir);
  const projectDir = join(home, 'projects', PROJECT);
  const fresh = !existsSync(join(projectDir, 'project.sqlite'));
  if (fresh) {
    mkdirSync(home, { recursive: true });
    timings.init = cli(['init', '--project', projectDir, '--name', 'Scale']);
    timings.import_catalogue = cli(['labels', '--project', projectDir, ICD10CM, '--format', 'icd10cm-tsv']);
    log(`ICD-10-CM catalogue imported in ${timings.import_catalogue} ms`);
  }

  let proc = await startServiceProcess({ dataDir: home, readyTimeoutMs: 120_000 });
  let probe = new StallProbe(proc.port, proc.token);
  let evalPeakMb: number | null = null;
  let firstRareMs: number | null = null;
  let labelCount: number | null = null;
  let coldNote: string | null = null;
  const pagesAfterFirst: number[] = [];
  try {
    rss('started', proc.pid);
    if (fresh) {
      const imported = await probe.during(() =>
        once('import_corpus', async () => runJob(proc, 'imports.corpus', { projectId: PROJECT, source: { uploadId: await uploadFile(proc, PROJECT, files.corpus) }, format: 'jsonl', mapping: { textField: 'text', idField: 'id', labelsField: 'labels', splitField: 'split' } })),
      );
      stalls.import_corpus = imported.stall;
      log(`import stall: ${JSON.stringify(imported.stall)}`);
      rss('imported', proc.pid);
    }
    noteLoad('imported');
    const opened = await once('open_project_stats', () => proc.ok<{ labels: { total: number } }>('projects.stats', { projectId: PROJECT }, 600_000));
    labelCount = opened?.labels.total ?? null;
    const catalogue = await once('labels_catalogue', () => proc.ok<{ rows: string; count: number }>('labels.catalogue', { projectId: PROJECT }));
    await once('labels_catalogue_cached', () => proc.ok('labels.catalogue', { projectId: PROJECT }));
    rss('opened', proc.pid);

    // Label search as typed: every prefix of realistic queries.
    const queries = ['diabetes', 'E11.9', 'fracture of femur', 'brucel', 'heart failure', 'S72', 'unspecified', 'xyzzy'];
    const prefixes = queries.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
    await measure('labels.search (per typed prefix)', proc, prefixes.map((query) => ['labels.search', { projectId: PROJECT, query, limit: 50 }]));

    const depths = [10_000, 50_000, 100_000, 175_000, DOCS - 50];
    const pages = (extra: object[]): [string, unknown][] => extra.map((x) => ['documents.list', { projectId: PROJECT, limit: 50, ...x }]);
    await measure('documents.list (first pages)', proc, pages([0, 50, 100, 150, 200].map((offset) => ({ offset }))));
    await measure('documents.list (deep pages, by offset)', proc, pages(depths.map((offset) => ({ offset }))));
    // Scrolling on: the next page after the last id seen (document ids are 1…N here).
    const cursor = await proc.call('documents.list', { projectId: PROJECT, limit: 50, after: 10_000 });
    if (cursor.ok) await measure('documents.list (deep pages, by cursor)', proc, pages(depths.map((after) => ({ after }))));
    await measure('documents.list (split=pool, pages)', proc, pages([0, 50, 5000, 100_000].map((offset) => ({ offset, split: 'pool' }))));
    await measure('documents.list (full-text query)', proc, ['patient', 'fracture', 'diabetes mellitus', 'acute chronic', 'zzzz'].map((query) => ['documents.list', { projectId: PROJECT, query, limit: 50 }]));

    // The queue: each order's first page (it ranks), then the pages after it (they should page a cached order).
    const queue = (strategy: string, offsets: number[], extra: object = {}): [string, unknown][] => offsets.map((offset) => ['queue.next', { projectId: PROJECT, strategy, offset, limit: PAGE, ...extra }]);
    const later = [20, 40, 60, 1000, 20_000];
    const queueOrder = async (name: string, strategy: string, extra: object = {}): Promise<void> => {
      const asked = performance.now();
      const first = await once(`queue.next ${name}: first page`, () => proc.ok<{ reranking?: boolean }>('queue.next', { projectId: PROJECT, strategy, offset: 0, limit: PAGE, ...extra }, 600_000));
      if (first === undefined) return;
      await measure(`queue.next ${name}: pages after the first`, proc, queue(strategy, later, extra));
      const s = stats[`queue.next ${name}: pages after the first`];
      if (s) pagesAfterFirst.push(s.p95);
      if (!first.reranking) return;
      // The first page came from the order kept so far while a better one ranked: when did that one arrive?
      let page = first;
      while (page.reranking && performance.now() - asked < 600_000) {
        await sleep(250);
        page = await proc.ok<{ reranking?: boolean }>('queue.next', { projectId: PROJECT, strategy, offset: 0, limit: PAGE, ...extra }, 600_000);
      }
      timings[`queue.next ${name}: re-ranked order in (background, from the first request)`] = Math.round(performance.now() - asked);
      log(`queue.next ${name}: re-ranked order in ${timings[`queue.next ${name}: re-ranked order in (background, from the first request)`]} ms`);
    };
    await queueOrder('rare-first (no model)', 'rare-first');
    firstRareMs = timings['queue.next rare-first (no model): first page'] ?? null;
    await queueOrder('sequential', 'sequential');
    await queueOrder('random', 'random');
    await queueOrder('search', 'search', { query: 'fracture' });
    rss('queue', proc.pid);

    const docs = ((await proc.ok<{ items: { id: number }[] }>('documents.list', { projectId: PROJECT, split: 'pool', offset: 1000, limit: 300 })).items).map((d) => d.id);
    const labelIds = (catalogue?.rows ?? '').split('\n').filter((row) => row.split('\t')[3] === 'c').slice(0, 5000).map((row) => Number(row.split('\t')[0]));
    await measure('documents.get', proc, docs.slice(0, 100).map((docId) => ['documents.get', { projectId: PROJECT, docId }]));
    await measure('annotations.apply', proc, docs.slice(0, 200).map((docId, i) => ['annotations.apply', { projectId: PROJECT, docId, labelId: labelIds[(i * 37) % labelIds.length], action: i % 3 ? 'add' : 'reject' }]));
    await measure('annotations.setStatus', proc, docs.slice(0, 100).map((docId) => ['annotations.setStatus', { projectId: PROJECT, docId, status: 'done' }]));
    await measure('annotations.undo', proc, Array.from({ length: 30 }, () => ['annotations.undo', { projectId: PROJECT }] as [string, unknown]));
    // After writes the cached rankings are invalidated incrementally: the next pages must stay fast.
    await measure('queue.next rare-first (after annotating): pages', proc, queue('rare-first', [0, 20, 40, 1000]));
    await measure('projects.stats (after writes)', proc, Array.from({ length: 5 }, () => ['projects.stats', { projectId: PROJECT }] as [string, unknown]));
    rss('annotated', proc.pid);
    noteLoad('annotated');

    if (!args.includes('--no-train')) {
      const settings = { pretrain: false, dim: 32, maxLen: 64, batchSize: 32, sampledLabels: 256, vocabMaxSize: 20_000, maxFinetuneSteps: 400, epochs: { pretrain: 0, l2r: 1, finetune: 1 }, threads: Math.max(1, cpus().length) };
      const trained = (await once('train_small_model', async () => {
        const { jobId } = await proc.ok<{ jobId: string }>('training.start', { projectId: PROJECT, mode: 'full', settings });
        return waitJob(proc, jobId, 7_200_000, 500);
      })) as { outcome: string; error?: unknown; result?: { stageTimings: { stage: string; seconds: number }[] } } | undefined;
      if (trained?.outcome !== 'done') throw new Error(`training ${trained?.outcome}: ${JSON.stringify(trained?.error)}`);
      stageSeconds = Object.fromEntries(trained.result!.stageTimings.map((t) => [t.stage, round1(t.seconds)]));
      rss('trained', proc.pid);
      noteLoad('trained');
      await once('suggestions.get (first: loads the model)', () => proc.ok('suggestions.get', { projectId: PROJECT, docId: docs[0], top: 15 }));
      await measure('suggestions.get', proc, docs.slice(1, 201).map((docId) => ['suggestions.get', { projectId: PROJECT, docId, top: 15 }]));
      const sugg = (await proc.ok<{ labels: { labelId: number }[] }>('suggestions.get', { projectId: PROJECT, docId: docs[0], top: 5 })).labels.map((l) => l.labelId);
      await measure('evidence.get (5 labels)', proc, docs.slice(1, 51).map((docId) => ['evidence.get', { projectId: PROJECT, docId, labelIds: sugg, k: 8 }]));
      await queueOrder('rare-first (with model)', 'rare-first');
      await queueOrder('uncertainty', 'uncertainty');
      await queueOrder('similar', 'similar', { docId: docs[0] });
      rss('suggesting', proc.pid);
      const evaluated = await peakRssDuring(proc.pid, () => once('evaluation.report dev (inference over the split)', () => proc.ok('evaluation.report', { projectId: PROJECT, split: 'dev' }, 7_200_000)));
      evalPeakMb = evaluated.peakMb;
      if (timings['evaluation.report dev (inference over the split)']) timings.inference_docs_per_second = Math.round((DOCS / 20 / 2 / timings['evaluation.report dev (inference over the split)']!) * 1000); // the evaluation half of dev
      rss('evaluated', proc.pid);
    }

    const exported = await probe.during(() => once('export_annotations_csv (every document)', () => runJob(proc, 'exports.annotations', { projectId: PROJECT, format: 'csv', destination: { name: 'scale-all.csv' } })));
    stalls.export_csv = exported.stall;
    log(`export stall: ${JSON.stringify(exported.stall)}`);
    rmSync(join(projectDir, 'exports', 'scale-all.csv'), { force: true });

    await proc.call('projects.create', { id: 'label-studio', name: 'Label Studio import' });
    const ls = await peakRssDuring(proc.pid, () =>
      probe.during(() => once('import_label_studio', async () => runJob(proc, 'imports.corpus', { projectId: 'label-studio', source: { uploadId: await uploadFile(proc, 'label-studio', files.labelStudio) }, format: 'label-studio', mapping: { textField: 'text' } }))),
    );
    stalls.import_label_studio = ls.value.stall;
    timings.label_studio_import_peak_rss_mb = ls.peakMb;
    log(`label studio stall: ${JSON.stringify(ls.value.stall)}, peak RSS ${ls.peakMb} MB`);
    rss('exported', proc.pid);
    noteLoad('exported');

    await probe.stop();
    await proc.stop();
    // A cold start on the big project: the queue's first page before anything else has warmed the
    // keyword index (the overview starts it in the background), then the first stats.
    proc = await startServiceProcess({ dataDir: home, readyTimeoutMs: 120_000 });
    probe = new StallProbe(proc.port, proc.token);
    const cold = await probe.during(() => once('queue.next rare-first (cold process): first page', () => proc.ok<{ items: unknown[]; note: string | null; indexing: unknown }>('queue.next', { projectId: PROJECT, strategy: 'rare-first', offset: 0, limit: PAGE }, 600_000)));
    coldNote = cold.value?.note ?? null;
    stalls.cold_first_page = cold.stall;
    await measure('queue.next rare-first (cold process, index building): pages after the first', proc, queue('rare-first', [20, 40, 60, 1000]));
    await once('reopen_project_stats (cold)', () => proc.ok('projects.stats', { projectId: PROJECT }, 600_000));
  } finally {
    await probe.stop().catch(() => undefined);
    await proc.stop();
    if (!flag('home') && !args.includes('--keep')) rmSync(home, { recursive: true, force: true });
    else log(`data folder kept: ${home}`);
    if (!flag('data') && !args.includes('--keep')) rmSync(dataDir, { recursive: true, force: true });
  }
  noteLoad('end');

  const slow = Object.entries(stats)
    .filter(([name, s]) => s.p95 > UI_BUDGET_MS && !/evaluation|train/.test(name))
    .map(([name, s]) => `${name} (p95 ${s.p95} ms)`);
  const deep = stats['documents.list (deep pages, by cursor)'] ?? stats['documents.list (deep pages, by offset)'];
  const summary = {
    docs: DOCS,
    labels: labelCount,
    queue_next_p95_ms: pagesAfterFirst.length ? Math.max(...pagesAfterFirst) : null,
    queue_first_page_ms: timings['queue.next rare-first (cold process): first page'] ?? firstRareMs,
    queue_first_page_in_session_ms: firstRareMs,
    queue_first_page_cold_note: coldNote,
    documents_list_deep_p95_ms: deep?.p95 ?? null,
    documents_list_offset_p95_ms: stats['documents.list (deep pages, by offset)']?.p95 ?? null,
    full_text_p95_ms: stats['documents.list (full-text query)']?.p95 ?? null,
    stats_p95_ms: stats['projects.stats (after writes)']?.p95 ?? null,
    suggestions_p95_ms: stats['suggestions.get']?.p95 ?? null,
    max_stall_ms: Object.values(stalls).length ? Math.max(...Object.values(stalls).map((s) => s.maxMs)) : null,
    eval_peak_rss_mb: evalPeakMb,
    load_average_1m_max: Math.max(...loads.map((l) => l.load1m)),
  };
  const result = {
    // The machine is shared with other developers' builds and tests: the load averages say how busy it was.
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverages1m: loads },
    summary,
    timings,
    stalls,
    trainingStageSeconds: stageSeconds,
    interactions: stats,
    memory,
    errors,
    overBudget: slow,
  };
  const out = flag('out') ?? join(ROOT, 'bench', 'results', `scale-${Math.round(DOCS / 1000)}k.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 1)}\nscale-summary ${JSON.stringify(summary)}\n`);
  log(`written ${out}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench:scale] failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
