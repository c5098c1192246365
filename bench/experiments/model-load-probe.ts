// `npx tsx bench/experiments/model-load-probe.ts <model folder>`: each step of loading a model in the host, with its
// wall time and the longest event-loop gap it caused (issue #15: the host must not stall).
import { readModelDir } from '../../src/main/plant/pipeline/model-files';
import { predictorParts, TextPredictor } from '../../src/main/plant/pipeline/predict';
import { Vocabulary } from '../../src/main/plant/text/vocabulary';
import { LexicalScorer } from '../../src/main/lexical/model';
const dir = process.argv[2]!;
let last = performance.now();
let gap = 0;
const tick = setInterval(() => { const now = performance.now(); gap = Math.max(gap, now - last - 5); last = now; }, 5);
const step = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
  gap = 0; last = performance.now();
  const t = performance.now();
  const v = await fn();
  await new Promise((r) => setTimeout(r, 20));
  console.log(`${name}: ${(performance.now() - t - 20).toFixed(0)} ms, longest gap ${gap.toFixed(0)} ms`);
  return v;
};
const model = await step('readModelDir', () => readModelDir(dir));
const vocab = await step('Vocabulary.fromJSON', () => Vocabulary.fromJSON(model.vocabulary));
await step('LexicalScorer', () => new LexicalScorer(model.lexical!, model.labels.length));
await step('TextPredictor.create', () => TextPredictor.create(predictorParts(model, vocab)));
clearInterval(tick);
process.exit(0);
