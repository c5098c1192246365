// Would a second lexical ranker help the fusion? Trains the label tree of stage "lexical" again
// (deterministic: the same model the run's first stage served) and writes its path score for
// every candidate of a fusion dump, beside the dump (<dump>.tree.v8), for fusion-replay's
// "tree" variants (REPLAY_TREE=<file>). The dump's candidates come from the one-vs-rest ranker.
//   npx tsx bench/experiments/second-ranker.ts eurlex57k:45000 <dump.v8>
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { serialize } from 'node:v8';
import { PlantSettings } from '../../src/shared/contract';
import { LexicalScorer } from '../../src/main/lexical/model';
import { LabelPathScorer } from '../../src/main/lexical/label-scores';
import { spawnTsxLexicalWorker } from '../../src/main/lexical/testing/tsx-worker';
import { trainLexical } from '../../src/main/lexical/train-lexical';
import { rankerOptions } from '../../src/main/plant/pipeline/lexical-stage';
import { buildEncodedCorpus } from '../../src/main/plant/pipeline/tokenize-stage';
import { readFusionDump } from '../fusion-dump';
import { loadCell } from '../quality-plan';

const [cellArg, dumpFile] = process.argv.slice(2);
if (!cellArg || !dumpFile) throw new Error('usage: second-ranker.ts eurlex57k:<size> <dump.v8>');
const size = Number(cellArg.split(':')[1]);
const corpus = await loadCell({ dataset: 'eurlex57k', trainSize: size } as Parameters<typeof loadCell>[0]);
const dump = readFusionDump(dumpFile);
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
if (!corpus.tuning.every((d, i) => same(d.labels, dump.tuning.gold[i]!)) || !corpus.evaluation.every((d, i) => same(d.labels, dump.evaluation.gold[i]!))) throw new Error('the dump is not of this cell');
const s = PlantSettings.parse({ threads: 2, lexical: { structure: 'tree' } });
const enc = buildEncodedCorpus(corpus, s);
const t0 = performance.now();
const o = rankerOptions(s);
const r = await trainLexical({ vocab: enc.vocab, train: enc.train, trainLabels: corpus.train.map((d) => d.labels), unlabelled: [], labels: corpus.labels }, { ...o, neighbours: null }, { threads: 2, spawnWorker: spawnTsxLexicalWorker });
console.log(`tree trained in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${r.stats.entries} entries; load ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
const scorer = new LexicalScorer(r.model, corpus.labels.length);
const path = new LabelPathScorer(r.model.ranker, corpus.labels.length);
const half = (ids: Int32Array[], cands: typeof dump.tuning.candidates): Float32Array[] => ids.map((doc, i) => path.scores(scorer.vectorize(doc), cands[i]!.labels));
const out = { tuning: half(enc.tuning, dump.tuning.candidates), evaluation: half(enc.evaluation, dump.evaluation.candidates) };
writeFileSync(dumpFile.replace(/\.v8$/, '.tree.v8'), serialize(out));
console.log('written', dumpFile.replace(/\.v8$/, '.tree.v8'));
process.exit(0);
