// Where in the rare end does a setting help? Trains PLANT (or LANT) on EURLEX57K and prints macro-AUC
// and mean F1 per exact training frequency group (0, 1, 2–5, 6–50, > 50) on the evaluation half of a
// dev sample, beside the usual bucket metrics. Runs sharing SIZE reuse finished stages.
//   SIZE=5000 npx tsx bench/rare-split.ts <tag> [--no-plant] [key=value settings…]
// (docs/method.md: the plantedMaxDocs measurement.)
import { writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainPlant } from '../src/main/plant/pipeline/train-plant';
import { loadEurlex } from './datasets';

const [tag = 'run', ...rest] = process.argv.slice(2);
const settings: Record<string, unknown> = { threads: 2 };
for (const a of rest) {
  if (a === '--no-plant') settings.plant = false;
  else {
    const [k, v] = a.split('=');
    settings[k!] = v === 'true' ? true : v === 'false' ? false : Number(v);
  }
}
const size = Number(process.env.SIZE ?? 5000);
const corpus = await loadEurlex(size, 13, { devSize: 2000 });
const t0 = performance.now();
const r = await trainPlant(corpus, settings, {
  workDir: join(tmpdir(), `planter-rare-split-${size}`),
  onProgress: (p) => {
    if (p.unit === 'epoch') console.log(tag, p.stage, p.done, p.total, p.metric ?? '', p.message ?? '');
  },
});
const rows = r.evaluation.detailed!.perLabel;
const group = (inGroup: (n: number) => boolean): { labels: number; auc: number; f1: number } => {
  const rs = rows.filter((x) => inGroup(x.trainFreq) && x.support > 0);
  const withAuc = rs.filter((x) => x.auc !== null);
  return { labels: rs.length, auc: +(withAuc.reduce((a, x) => a + x.auc!, 0) / withAuc.length).toFixed(4), f1: +(rs.reduce((a, x) => a + (x.f1 ?? 0), 0) / rs.length).toFixed(4) };
};
const m = r.model.metrics!;
const out = {
  tag,
  settings,
  seconds: +((performance.now() - t0) / 1000).toFixed(0),
  p1: m['p@1'],
  p5: m['p@5'],
  micro_f1: m.micro_f1,
  macro_f1: m.macro_f1,
  few: { p5: m.buckets.few['p@5'], auc: m.buckets.few.macro_auc, f1: m.buckets.few.macro_f1 },
  n0: group((n) => n === 0),
  n1: group((n) => n === 1),
  n2_5: group((n) => n >= 2 && n <= 5),
  n6_50: group((n) => n >= 6 && n <= 50),
  head: group((n) => n > 50),
};
console.log('RESULT', JSON.stringify(out));
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/rare-split-${size}-${tag}.json`, JSON.stringify(out, null, 1) + '\n');
