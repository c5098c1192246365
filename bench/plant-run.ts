// Trains PLANT or LANT on a shared dataset and prints the metric table: the quick experiment loop.
// Usage: tsx bench/plant-run.ts codiesp|eurlex:<N> [--no-plant] [--no-pretrain] [key=value settings…]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainPlant } from '../src/main/plant/pipeline/train-plant';
import { loadCodiesp, loadEurlex } from './datasets';

const [dataset = 'codiesp', ...rest] = process.argv.slice(2);
const settings: Record<string, unknown> = { epochs: {} };
let saveTo: string | null = null;
let workDir: string | null = null;
for (const a of rest) {
  if (a.startsWith('--save=')) saveTo = a.slice(7);
  else if (a.startsWith('--work=')) workDir = a.slice(7);
  else if (a === '--no-plant') settings.plant = false;
  else if (a === '--no-pretrain') settings.pretrain = false;
  else {
    const [k, v] = a.split('=');
    if (k!.startsWith('epochs.')) (settings.epochs as Record<string, number>)[k!.slice(7)] = Number(v);
    else settings[k!] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  }
}
const t0 = performance.now();
const corpus = dataset.startsWith('eurlex') ? await loadEurlex(Number(dataset.split(':')[1] ?? 1000), 13, { devSize: 1000 }) : await loadCodiesp();
console.log(`loaded ${dataset}: ${corpus.train.length} train, ${corpus.unlabelled.length} unlabelled, ${corpus.tuning.length}+${corpus.evaluation.length} dev, ${corpus.labels.length} labels in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
let last = '';
const { model } = await trainPlant(corpus, settings, {
  // --work=DIR reuses finished stages across runs whose settings only differ in later stages.
  workDir: workDir ?? mkdtempSync(join(tmpdir(), 'plant-run-')),
  onProgress: (p) => {
    const line = `${p.stage} ${p.done}/${p.total} ${p.unit}${p.loss !== undefined ? ` loss ${p.loss.toFixed(4)}` : ''}${p.metric !== undefined ? ` ${p.metricName} ${p.metric.toFixed(4)}` : ''}${p.message ? ` ${p.message}` : ''}`;
    if (p.unit !== 'step' || p.done === p.total || p.done % 50 === 0) {
      if (line !== last) console.log(line);
      last = line;
    }
  },
});
console.log('timings', JSON.stringify(model.stageTimings.map((t) => [t.stage, +t.seconds.toFixed(1)])));
console.log('l2r ndcg', JSON.stringify(model.l2rNdcg));
console.log('metrics', JSON.stringify(model.metrics));
if (saveTo) {
  const { writeModelDir } = await import('../src/main/plant/pipeline/model-files');
  console.log('saved', await writeModelDir(saveTo, `model-${Date.now()}`, model));
}
