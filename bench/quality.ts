// `npm run bench:quality`: Planter PLANT and LANT against fastText and TF-IDF + LinearSVC on
// CodiEsp-D and EURLEX57K (250 / 1,000 / 5,000 / 45,000 training documents), same splits, same
// metrics code (issue #5). Writes bench/results/<dataset>-<size>.json, the "## Quality" section of
// docs/benchmarks.md and docs/data-efficiency.png.
//
//   npm run bench:quality -- [--setup] [--only codiesp,eurlex57k:250,…] [--systems plant,lant,…] [--force] [--report]
//   npm run bench:quality:smoke        (CI: a tiny subset of the bundled demo, < 3 min, into a temp dir)
//
// Resumable: a system whose result is already in bench/results is skipped unless --force.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { CellResult, cellKey, FULL_CELLS, loadCell, PLANTER_RUNS, SMOKE_CELL, SYSTEMS, type Cell, type SystemName } from './quality-plan';
import { peerMissing, peerVersions, runFastText, runTfidfLinear, PYTHON } from './quality-peers';
import { runPlanter } from './quality-planter';
import { renderQualitySection, replaceSection, tableProblems, type RunRecord } from './quality-report';

const ROOT = resolve(import.meta.dirname, '..');
const THREADS = 2;

interface Args {
  setup: boolean;
  smoke: boolean;
  force: boolean;
  reportOnly: boolean;
  only: string[] | null;
  systems: SystemName[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { setup: false, smoke: false, force: false, reportOnly: false, only: null, systems: [...SYSTEMS] };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const value = (): string => {
      const v = x.includes('=') ? x.slice(x.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${x} needs a value`);
      return v;
    };
    if (x === '--setup') a.setup = true;
    else if (x === '--smoke') a.smoke = true;
    else if (x === '--force') a.force = true;
    else if (x === '--report') a.reportOnly = true;
    else if (x.startsWith('--only')) a.only = value().split(',');
    else if (x.startsWith('--systems')) {
      a.systems = value().split(',') as SystemName[];
      for (const s of a.systems) if (!SYSTEMS.includes(s)) throw new Error(`--systems: unknown system "${s}" (expected ${SYSTEMS.join(', ')})`);
    } else throw new Error(`unknown argument "${x}" (see the header of bench/quality.ts)`);
  }
  return a;
}

function machineLine(): string {
  const v = peerVersions();
  const cpu = cpus();
  const ort = JSON.parse(readFileSync(join(ROOT, 'node_modules/onnxruntime-node/package.json'), 'utf8')) as { version: string };
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; node ${process.versions.node}, onnxruntime-node ${ort.version} (CPU, ${THREADS} threads)` +
    `${v.fasttext ? `, fastText ${v.fasttext}` : ''}${v.sklearn ? `, scikit-learn ${v.sklearn} (Python ${v.python})` : ''}`;
}

/** The commit the run used, and the src/ files that differed from it (others edit the tree concurrently). */
function codeVersion(): { commit: string; src_changes: string[]; src_diff_sha256: string | null } {
  const git = (...a: string[]): string => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 }).stdout?.trim() ?? '';
  const changes = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).map((l) => l.slice(3));
  const diff = git('diff', 'HEAD', '--', 'src');
  return { commit: git('rev-parse', '--short', 'HEAD'), src_changes: changes, src_diff_sha256: changes.length ? createHash('sha256').update(diff).digest('hex').slice(0, 16) : null };
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 1) + '\n');
  renameSync(tmp, file);
}

function readCells(dir: string): CellResult[] {
  if (!existsSync(dir)) return [];
  const order = (c: CellResult): number => (c.dataset === 'codiesp' ? 0 : 1) * 1e9 + c.train_size;
  return readdirSync(dir)
    .filter((f) => /^(codiesp|codiesp-demo|eurlex57k)-\d+\.json$/.test(f))
    .map((f) => CellResult.parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))))
    .sort((a, b) => order(a) - order(b));
}

function log(s: string): void {
  for (const line of s.split('\n')) if (line.trim()) console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** Renders docs (and, with matplotlib, the plot); returns the section text. */
function report(o: { resultsDir: string; docsFile: string; plotFile: string | null; runsFile: string | null; command: string; skipped: Record<string, Partial<Record<SystemName, string>>> }): string {
  const cells = readCells(o.resultsDir);
  let plot: string | null = null;
  if (o.plotFile && cells.some((c) => c.dataset === 'eurlex57k')) {
    const r = spawnSync(PYTHON, [join(ROOT, 'bench/peers/plot_efficiency.py'), '--results', o.resultsDir, '--out', o.plotFile], { encoding: 'utf8' });
    if (r.status === 0) plot = relative(resolve(o.docsFile, '..'), o.plotFile);
    else log(`plot skipped: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0]} (bench/peers/setup.sh installs python3-matplotlib)`);
  }
  const runs = o.runsFile && existsSync(o.runsFile) ? (JSON.parse(readFileSync(o.runsFile, 'utf8')) as RunRecord[]) : [];
  const notesFile = join(o.resultsDir, 'notes.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
  const section = renderQualitySection({ cells, runs, notes, command: o.command, plot, skipped: o.skipped });
  // Re-read just before writing: other sections of the file belong to other benchmarks.
  const doc = existsSync(o.docsFile) ? readFileSync(o.docsFile, 'utf8') : '';
  writeFileSync(o.docsFile, replaceSection(doc, section));
  log(`wrote ${relative(ROOT, o.docsFile)}${plot ? ` and ${relative(ROOT, o.plotFile!)}` : ''}`);
  return section;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.setup) {
    const r = spawnSync('bash', [join(ROOT, 'bench/peers/setup.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('bench/peers/setup.sh failed');
  }
  const started = new Date();
  const t0 = performance.now();
  const smokeDir = args.smoke ? mkdtempSync(join(tmpdir(), 'planter-quality-smoke-')) : null;
  const resultsDir = smokeDir ? join(smokeDir, 'results') : join(ROOT, 'bench/results');
  const docsFile = smokeDir ? join(smokeDir, 'benchmarks.md') : join(ROOT, 'docs/benchmarks.md');
  const plotFile = smokeDir ? join(smokeDir, 'data-efficiency.png') : join(ROOT, 'docs/data-efficiency.png');
  const runsFile = smokeDir ? null : join(resultsDir, 'runs.json');
  const workRoot = process.env.PLANTER_QUALITY_WORK ?? join(tmpdir(), 'planter-quality-work');
  mkdirSync(resultsDir, { recursive: true });
  const command = args.smoke ? 'npm run bench:quality:smoke' : 'npm run bench:quality';
  const machine = machineLine();
  // Modules are loaded by now: this is the code every system of this invocation runs.
  const code = codeVersion();
  log(`machine: ${machine}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

  const cells: Cell[] = args.smoke
    ? [SMOKE_CELL]
    : FULL_CELLS.filter((c) => !args.only || args.only.some((o) => o === c.dataset || o === `${c.dataset}:${c.trainSize}` || o === cellKey(c)));
  const skipped: Record<string, Partial<Record<SystemName, string>>> = {};
  const trained: string[] = [];
  const missing = { fasttext: peerMissing('fasttext'), tfidf_linear: peerMissing('tfidf_linear') };
  if (!args.smoke && !args.reportOnly) {
    for (const p of ['fasttext', 'tfidf_linear'] as const) {
      if (args.systems.includes(p) && missing[p]) throw new Error(`${p}: ${missing[p]} — run \`npm run bench:quality -- --setup\` once, or leave it out with --systems`);
    }
  }

  const recordRun = (failed: string | null): void => {
    if (!runsFile || trained.length === 0) return;
    const runs = existsSync(runsFile) ? (JSON.parse(readFileSync(runsFile, 'utf8')) as RunRecord[]) : [];
    const wall = +((performance.now() - t0) / 1000).toFixed(1);
    runs.push({ command: [command, ...process.argv.slice(2)].join(' '), started_at: started.toISOString(), wall_s: wall, trained, machine, ...(failed ? { failed } : {}) });
    writeJsonAtomic(runsFile, runs);
  };
  // A run that fails part-way keeps the results it wrote: its record says so instead of vanishing.
  try {
    for (const cell of args.reportOnly ? [] : cells) {
      const key = cellKey(cell);
      const file = join(resultsDir, `${key}.json`);
      const existing = existsSync(file) ? CellResult.parse(JSON.parse(readFileSync(file, 'utf8'))) : null;
      const todo = args.systems.filter((s) => args.force || !existing?.systems[s]);
      if (todo.length === 0) {
        log(`${key}: every system already has a result (--force to retrain)`);
        continue;
      }
      const l0 = performance.now();
      const corpus = await loadCell(cell);
      log(`${key}: ${corpus.train.length} train, ${corpus.unlabelled.length} unlabelled, ${corpus.tuning.length} tuning + ${corpus.evaluation.length} evaluation, ${corpus.labels.length} labels (loaded in ${((performance.now() - l0) / 1000).toFixed(1)} s)`);
      const result: CellResult = existing ?? {
        dataset: cell.dataset,
        train_size: cell.trainSize,
        corpus: { train: corpus.train.length, unlabelled: corpus.unlabelled.length, tuning: corpus.tuning.length, evaluation: corpus.evaluation.length, labels: corpus.labels.length },
        machine,
        command,
        systems: {},
      };
      // Planter's rows come in runs (PLANTER_RUNS): one training measures each of its rows.
      const jobs: { name: string; systems: readonly SystemName[] }[] = [];
      for (const [variant, rows] of Object.entries(PLANTER_RUNS)) if (rows.some((r) => todo.includes(r))) jobs.push({ name: variant, systems: rows });
      for (const peer of ['fasttext', 'tfidf_linear'] as const) if (todo.includes(peer)) jobs.push({ name: peer, systems: [peer] });
      for (const job of jobs) {
        const system = job.name;
        const workDir = join(workRoot, `${key}-${system}`);
        if (system === 'fasttext' || system === 'tfidf_linear') {
          const why = missing[system];
          if (why) {
            log(`${key} ${system}: skipped — ${why}`);
            (skipped[key] ??= {})[system] = why;
            continue;
          }
        }
        const load0 = loadavg()[0]!;
        log(`${key} ${system}: training (load average ${load0.toFixed(1)})`);
        rmSync(workDir, { recursive: true, force: true });
        mkdirSync(workDir, { recursive: true });
        const peer = { workDir, threads: THREADS, log: (s: string) => log(`${key} ${s}`), tiny: args.smoke };
        const rows: Partial<Record<SystemName, CellResult['systems'][SystemName]>> =
          system === 'fasttext'
            ? { fasttext: await runFastText(corpus, peer) }
            : system === 'tfidf_linear'
              ? { tfidf_linear: await runTfidfLinear(corpus, peer) }
              : await runPlanter(corpus, system as 'plant' | 'lant', { ...peer, ...(process.env.PLANTER_FUSION_DUMP ? { fusionDump: `${process.env.PLANTER_FUSION_DUMP}-${key.replace(/[^a-z0-9-]+/gi, '-')}` } : {}), ...(args.smoke ? { overrides: { dim: 32, maxLen: 128, epochs: { pretrain: 1, l2r: 1, finetune: 3 }, sampledLabels: 128 } } : {}) });
        rmSync(workDir, { recursive: true, force: true });
        const loadEnd = +loadavg()[0]!.toFixed(2);
        for (const [name, r] of Object.entries(rows) as [SystemName, NonNullable<CellResult['systems'][SystemName]>][]) {
          r.extra = { ...r.extra, code, load_avg: { start: +load0.toFixed(2), end: loadEnd } };
          result.systems[name] = r;
          trained.push(`${key}/${name}`);
          log(`${key} ${name}: P@5 ${r.metrics['p@5']?.toFixed(4)}, few macro-F1 ${r.metrics.buckets.few.macro_f1?.toFixed(4)}, micro-F1 ${r.metrics.micro_f1?.toFixed(4)} (train ${r.train_s.toFixed(1)} s, infer ${r.infer_s.toFixed(1)} s${r.peak_rss_mb !== undefined ? `, peak ${r.peak_rss_mb} MB` : ''})`);
        }
        result.machine = machine;
        writeJsonAtomic(file, CellResult.parse(result));
      }
    }

  } catch (e) {
    recordRun(String(e instanceof Error ? e.message : e).split('\n')[0]!.slice(0, 300));
    throw e;
  }
  const wallS = (performance.now() - t0) / 1000;
  recordRun(null);
  const section = report({ resultsDir, docsFile, plotFile, runsFile, command, skipped });
  log(`done in ${wallS.toFixed(0)} s (${trained.length} systems trained)`);

  if (smokeDir) {
    // CI: the harness ran end to end and the tables are well formed. No quality threshold.
    const cellsOut = readCells(resultsDir);
    const problems = tableProblems(section);
    if (cellsOut.length !== 1) problems.push(`expected 1 result file, found ${cellsOut.length}`);
    for (const s of SYSTEMS) {
      if (!cellsOut[0]?.systems[s] && !skipped[cellKey(SMOKE_CELL)]?.[s]) problems.push(`${s}: neither a result nor a skip reason`);
    }
    if (!/\| system \| P@1 \|/.test(section)) problems.push('no metric table in the section');
    console.log(section);
    rmSync(smokeDir, { recursive: true, force: true });
    if (problems.length) {
      console.error(`bench:quality:smoke: ${problems.length} problem(s):\n${problems.join('\n')}`);
      process.exit(1);
    }
    log('smoke: harness ran end to end; tables well formed');
  }
}

await main();
