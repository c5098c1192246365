// Issue #17 1(c): do coders' evidence spans help as a Stage A' relevance signal (spanRelevance)?
//   node scripts/build-demo.mjs --language es && npm run build
//   nice -n 19 npx tsx bench/span-signal.ts [--seeds 1,2] [--project DIR]
// Data: the Spanish demo (resources/demo-es: CodiEsp train 500 as training, dev 250 as dev, the
// 2,751 pool documents unlabelled, ICD-10-CM), with CodiEsp-X's gold evidence spans imported for
// train AND dev — training reads only the training documents' spans (training-corpus-repo.ts);
// the dev spans are what evidence agreement is measured against.
// Arms: resources/demo/quick-settings.json with spanRelevance false / true, same seeds, trained
// one after the other through the built CLI (`planter train --settings F --seed N --json`).
// Reported per model: the served (fused) model's and the attention model's dev-evaluation-half
// P@5, micro-F1 and few-shot (1–5 training documents) macro-F1, and the Evaluate view's evidence
// agreement (`planter eval --agreement`: spans.agreement on the dev split, k = 5, evidence k = 5).
import { execFileSync, execSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import type { EvalReport } from '../src/shared/contract';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seeds = (arg('seeds') ?? '1,2').split(',').map(Number);
const project = resolve(arg('project') ?? join(tmpdir(), 'planter-span-signal'));
const demo = resolve('resources/demo-es');
if (!existsSync(join(demo, 'manifest.json'))) throw new Error('build the Spanish demo first: node scripts/build-demo.mjs --language es');
const planter = (...args: string[]): string => execFileSync('node', ['bin/planter.mjs', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const load = (): string => execSync('uptime').toString().trim();

const ready = join(project, '.span-signal-ready');
if (!existsSync(ready)) {
  rmSync(project, { recursive: true, force: true });
  planter('init', '--project', project, '--name', 'span signal (Spanish demo)');
  planter('labels', '--project', project, join(demo, 'icd10cm_2018.tsv.gz'));
  for (const split of ['train', 'dev']) planter('import', '--project', project, join(demo, `codiesp-${split}.jsonl.gz`), '--id-field', 'id', '--labels-field', 'labels', '--split', split);
  planter('import', '--project', project, join(demo, 'codiesp-pool.jsonl.gz'), '--id-field', 'id', '--split', 'pool');
  for (const split of ['train', 'dev']) process.stdout.write(planter('import-spans', '--project', project, join(demo, `codiesp-${split}X.tsv.gz`)).split('\n')[0] + '\n');
  writeFileSync(ready, '');
}

const quick = JSON.parse(readFileSync('resources/demo/quick-settings.json', 'utf8')) as Record<string, unknown>;
const settingsFile = (on: boolean): string => {
  const f = join(tmpdir(), `planter-span-signal-${on ? 'on' : 'off'}.json`);
  writeFileSync(f, JSON.stringify({ ...quick, spanRelevance: on }));
  return f;
};

interface Row {
  arm: 'off' | 'on';
  seed: number;
  modelId: number;
  seconds: number;
  fused: Pick<EvalReport, 'p@5' | 'micro_f1'> & { few_macro_f1: number | null };
  attention: (Pick<EvalReport, 'p@5' | 'micro_f1'> & { few_macro_f1: number | null }) | null;
  agreement: number | null;
  cases: number;
  loadBefore: string;
}
const pick = (r: EvalReport | null | undefined): Row['fused'] | null => (r ? { 'p@5': r['p@5'], micro_f1: r.micro_f1, few_macro_f1: r.buckets.few.macro_f1 } : null);

// Each finished model's row is appended to bench/results/span-signal.tmp (ignored by git); a
// second run with the same --project picks up the (arm, seed) pairs already measured there.
const partial = 'bench/results/span-signal.tmp';
const rows: Row[] = existsSync(partial) ? (readFileSync(partial, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row).filter((r) => seeds.includes(r.seed))) : [];
{
  for (const seed of seeds) {
    for (const arm of ['off', 'on'] as const) {
      if (rows.some((r) => r.arm === arm && r.seed === seed)) continue;
      const loadBefore = load();
      const out = planter('train', '--project', project, '--settings', settingsFile(arm === 'on'), '--seed', String(seed), '--json');
      const result = JSON.parse(out.split('\n').filter((l) => l.trim().startsWith('{')).at(-1)!) as { modelId: number; seconds: number; metrics: EvalReport };
      // The attention model's own metrics are in the model card (the train result carries the served model's).
      const dir = readdirSync(join(project, 'models')).filter((d) => /^model-run-\d+$/.test(d)).sort().at(-1)!;
      const card = JSON.parse(readFileSync(join(project, 'models', dir, 'model.json'), 'utf8')) as { settings: { spanRelevance?: boolean; seed: number }; components?: { attention?: EvalReport | null } };
      if ((card.settings.spanRelevance ?? false) !== (arm === 'on') || card.settings.seed !== seed) throw new Error(`models/${dir} is not the model just trained`);
      const ag = JSON.parse(planter('eval', '--project', project, '--model', String(result.modelId), '--agreement', '--json').trim().split('\n').at(-1)!) as { agreement: number | null; cases: number };
      const row: Row = { arm, seed, modelId: result.modelId, seconds: result.seconds, fused: pick(result.metrics)!, attention: pick(card.components?.attention), agreement: ag.agreement, cases: ag.cases, loadBefore };
      rows.push(row);
      process.stdout.write(JSON.stringify(row) + '\n');
      appendFileSync(partial, JSON.stringify(row) + '\n');
    }
  }
}

const stat = (xs: (number | null)[]): string => {
  const v = xs.filter((x): x is number => x !== null).map((x) => 100 * x);
  if (!v.length) return '—';
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return `${mean.toFixed(1)} ± ${((Math.max(...v) - Math.min(...v)) / 2).toFixed(1)}`;
};
rows.sort((a, b) => a.seed - b.seed || a.arm.localeCompare(b.arm));
const lines = ['arm | fused P@5 | fused micro-F1 | fused few macro-F1 | attention P@5 | attention micro-F1 | attention few macro-F1 | evidence agreement'];
for (const arm of ['off', 'on'] as const) {
  const r = rows.filter((x) => x.arm === arm);
  lines.push(
    [arm, stat(r.map((x) => x.fused['p@5'])), stat(r.map((x) => x.fused.micro_f1)), stat(r.map((x) => x.fused.few_macro_f1)), stat(r.map((x) => x.attention?.['p@5'] ?? null)), stat(r.map((x) => x.attention?.micro_f1 ?? null)), stat(r.map((x) => x.attention?.few_macro_f1 ?? null)), stat(r.map((x) => x.agreement))].join(' | '),
  );
}
const summary = lines.join('\n');
process.stdout.write(`${summary}\n(mean ± half the range over seeds ${seeds.join(', ')}; load at the end: ${load()})\n`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/span-signal.json', JSON.stringify({ seeds, rows, summary, loadEnd: load() }, null, 2) + '\n');
