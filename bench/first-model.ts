// How long the first Train click takes to serve suggestions on a quality-benchmark cell: the full
// pipeline with default settings (2 threads) until it hands over its first (lexical) model, then
// cancelled — the attention stages that follow run in the background in the app.
//   npx tsx bench/first-model.ts [codiesp|eurlex57k:45000] [--tag T]
// Writes bench/results/first-model-<cell>[-T].json: seconds to the first model, the stage
// timings until then and the machine's load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { trainPlant } from '../src/main/plant/pipeline/train-plant';
import { PipelineCancelled } from '../src/main/plant/pipeline/progress';
import { spawnTsxLexicalWorker } from '../src/main/lexical/testing/tsx-worker';
import { cellKey, FULL_CELLS, loadCell } from './quality-plan';

const argv = process.argv.slice(2);
const cellArg = argv.find((a) => !a.startsWith('--') && argv[argv.indexOf(a) - 1] !== '--tag') ?? 'eurlex57k:45000';
const tag = argv.includes('--tag') ? argv[argv.indexOf('--tag') + 1]! : null;
const [dataset, size] = cellArg.split(':');
const cell = FULL_CELLS.find((c) => c.dataset === dataset && (size === undefined || c.trainSize === Number(size)));
if (!cell) throw new Error(`unknown cell ${cellArg} (expected one of ${FULL_CELLS.map((c) => `${c.dataset}:${c.trainSize}`).join(', ')})`);
const log = (s: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

const load = [loadavg()[0]!];
const corpus = await loadCell(cell);
log(`${cellKey(cell)}: ${corpus.train.length} train, ${corpus.tuning.length} + ${corpus.evaluation.length} dev, ${corpus.labels.length} labels; load ${load[0]!.toFixed(1)}`);
const workDir = mkdtempSync(join(tmpdir(), 'first-model-'));
const abort = new AbortController();
const stages: { stage: string; at_s: number }[] = [];
let firstModelS: number | null = null;
let servedMetrics: unknown = null;
const t0 = performance.now();
const sec = (): number => +((performance.now() - t0) / 1000).toFixed(1);
try {
  await trainPlant(corpus, { threads: 2 }, {
    workDir,
    signal: abort.signal,
    spawnLexicalWorker: spawnTsxLexicalWorker,
    onProgress: (p) => {
      if (stages.at(-1)?.stage !== p.stage) {
        stages.push({ stage: p.stage, at_s: sec() });
        log(`${p.stage} at ${sec()} s`);
      }
    },
    onModel: (m) => {
      firstModelS = sec();
      servedMetrics = m.metrics ?? null;
      load.push(loadavg()[0]!);
      log(`first model (${m.serves}) at ${firstModelS} s`);
      abort.abort();
    },
  });
} catch (e) {
  if (!(e instanceof PipelineCancelled)) throw e;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
if (firstModelS === null) throw new Error('the pipeline never handed over a first model');
const git = (...a: string[]): string => execFileSync('git', a, { encoding: 'utf8' }).trim();
const out = {
  cell: cellKey(cell),
  commit: git('rev-parse', '--short', 'HEAD'),
  src_changed: git('status', '--porcelain', '--', 'src').length > 0,
  machine: `${cpus()[0]?.model ?? '?'}, ${cpus().length} cores`,
  load_start_end: load.map((x) => +x.toFixed(2)),
  first_model_s: firstModelS,
  stages_until_then: stages,
  served_metrics: servedMetrics,
  finished_at: new Date().toISOString(),
};
const dir = resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `first-model-${cellKey(cell)}${tag ? `-${tag}` : ''}.json`);
writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
log(`wrote ${file}`);
process.exit(0);
