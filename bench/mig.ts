/**
 * Timings of the text → MIG → grades pipeline and of evaluation on the real training sets.
 * Usage: npx tsx bench/mig.ts [eurlex|codiesp|eval|all]   (default all)
 * Results are written up in docs/mig.md. Training splits only (PLANT.md §2 Stage A).
 */
import { readFileSync } from 'node:fs';
import { DATA_DIR } from './datasets';
import { gunzipSync } from 'node:zlib';
import { evaluate, ScoreMatrix, tuneThresholds } from '../src/main/eval/index';
import {
  buildGradeTable,
  buildTokenPresence,
  computeMig,
  MigIndex,
  refreshGradeTable,
} from '../src/main/plant/mig/index';
import type { LabelDescription } from '../src/main/plant/mig/index';
import { buildVocabulary, chunkCorpus, DEFAULT_TOKENIZER_SETTINGS, encodeTokens, tokenize } from '../src/main/plant/text/index';

const DATA = DATA_DIR;

function readJsonl(path: string): Record<string, unknown>[] {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function time<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  console.log(`  ${label.padEnd(44)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms`);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Corpus {
  name: string;
  texts: string[];
  labels: string[][];
  /** Label codes of the dev split: they only extend the label space (zero-shot labels), their documents are never read by MIG. */
  devCodes: string[];
  descriptions: Map<string, LabelDescription>;
}

function runCorpus(c: Corpus): void {
  console.log(`\n${c.name}: ${c.texts.length} training documents`);
  let numTokens = 0;
  // Streamed twice (count, then encode) instead of keeping 25M token strings alive (≈2 GB).
  const vocab = time('tokenise + build vocabulary (minCount 3 docs)', () =>
    buildVocabulary(
      (function* () {
        for (const t of c.texts) {
          const tokens = tokenize(t);
          numTokens += tokens.length;
          yield tokens;
        }
      })(),
      DEFAULT_TOKENIZER_SETTINGS,
      { minCount: 3, maxSize: 50_000 },
    ),
  );
  const ids = time('tokenise + encode', () => c.texts.map((t) => encodeTokens(tokenize(t), vocab)));
  time('tokenise only (throughput check)', () => c.texts.forEach((t) => tokenize(t)));
  const labelIndex = new Map<string, number>();
  const docLabels = c.labels.map((ls) =>
    ls.map((code) => {
      let id = labelIndex.get(code);
      if (id === undefined) labelIndex.set(code, (id = labelIndex.size));
      return id;
    }),
  );
  const numTrainLabels = labelIndex.size;
  for (const code of c.devCodes) if (!labelIndex.has(code)) labelIndex.set(code, labelIndex.size);
  const numLabels = labelIndex.size;
  console.log(`  label space: ${numTrainLabels} train labels + ${numLabels - numTrainLabels} dev-only (zero-shot) labels`);
  console.log(`  tokens ${numTokens}, V = ${vocab.size}, L = ${numLabels}, label pairs ${docLabels.reduce((a, l) => a + l.length, 0)}`);
  const presence = time('token presence sets', () => buildTokenPresence(ids, vocab.size));
  const presenceIds = presence.reduce((a, p) => a + p.length, 0);
  console.log(`  presence: ${presenceIds} (doc, token) ids = ${((presenceIds * 4) / 1e6).toFixed(0)} MB; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
  const migTimes: number[] = [];
  let mig = computeMig({ presence, docLabels, vocabSize: vocab.size, numLabels });
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    mig = computeMig({ presence, docLabels, vocabSize: vocab.size, numLabels });
    migTimes.push(performance.now() - t0);
  }
  const pairs = mig.labels.reduce((a, l) => a + l.tokens.length, 0);
  console.log(`  ${'MIG, all labels (median of 3)'.padEnd(44)} ${median(migTimes).toFixed(0).padStart(7)} ms   (${pairs} positive pairs)`);
  time('grades (Stage A\'), MIG only', () => buildGradeTable(mig));
  const labelCodes = [...labelIndex.keys()];
  // CodiEsp truncates some codes with X placeholders (T81.4XX): fall back to the longest known prefix.
  const describe = (code: string): LabelDescription | undefined => {
    for (let p = code; p.length > 0; p = p.slice(0, -1).replace(/\.$/, '')) {
      const d = c.descriptions.get(p);
      if (d !== undefined) return d;
    }
    return undefined;
  };
  const descriptions = labelCodes.map(describe);
  console.log(`  descriptions found for ${descriptions.filter((d) => d !== undefined).length} of ${numLabels} labels`);
  const table = time('grades with descriptions (zero/few blend)', () => buildGradeTable(mig, { vocab, descriptions }));
  const sources = new Map<string, number>();
  for (let l = 0; l < numLabels; l++) sources.set(table.source(l), (sources.get(table.source(l)) ?? 0) + 1);
  console.log(`  grade sources: ${[...sources].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  // Sanity samples: the most frequent label's top MIG tokens, and one zero-shot label's grades.
  let head = 0;
  for (let l = 1; l < numLabels; l++) if (mig.labelDocFreq[l]! > mig.labelDocFreq[head]!) head = l;
  const top = Array.from(mig.labels[head]!.tokens.slice(0, 8), (t, i) => `${vocab.tokens[t]} ${mig.labels[head]!.scores[i]!.toFixed(3)}`);
  console.log(`  sample: ${labelCodes[head]} "${descriptions[head]?.title}" (${mig.labelDocFreq[head]} docs) top J: ${top.join(', ')}`);
  const zero = labelCodes.findIndex((_, l) => table.source(l) === 'description');
  if (zero >= 0) {
    const g = table.label(zero);
    const graded = Array.from(g.tokens, (t, i) => [vocab.tokens[t], g.grades[i]] as const).sort((a, b) => b[1]! - a[1]!);
    console.log(`  sample: zero-shot ${labelCodes[zero]} "${descriptions[zero]?.title}" grades: ${graded.map(([w, x]) => `${w} ${x}`).join(', ')}`);
  }
  const none = labelCodes.filter((_, l) => table.source(l) === 'none' && mig.labelDocFreq[l] === 0);
  if (none.length > 0) console.log(`  zero-shot labels without usable description tokens: ${none.slice(0, 6).map((c) => `${c} "${describe(c)?.title}"`).join('; ')}`);

  const chunks = chunkCorpus(ids.slice(0, 2000), { windowTokens: 512 });
  const batch = chunks.chunks.slice(0, 32);
  const labels = Array.from({ length: 64 }, (_, j) => (j * 7919) % numLabels);
  const fillTimes: number[] = [];
  for (let rep = 0; rep < 20; rep++) {
    const t0 = performance.now();
    table.fillGrades(labels, batch, 512);
    fillTimes.push(performance.now() - t0);
  }
  console.log(`  ${'fillGrades B=32 T=512 Ls=64 (median of 20)'.padEnd(44)} ${median(fillTimes).toFixed(2).padStart(7)} ms`);

  const index = time('MigIndex build (presence + all labels)', () =>
    new MigIndex({ docTokens: ids, docLabels, vocabSize: vocab.size, numLabels }),
  );
  for (let i = 0; i < 10; i++) {
    const d = (i * 97) % docLabels.length;
    index.setDocLabels(d, [...docLabels[d]!, (i * 13) % numLabels]);
  }
  const touched = time('incremental refresh after editing 10 docs', () => index.refresh());
  time(`re-grade the ${touched.length} touched labels`, () => refreshGradeTable(table, index.result(), touched, { vocab, descriptions }));
}

function eurlex(): Corpus {
  const docs = readJsonl(`${DATA}/eurlex57k/train.jsonl.gz`);
  const concepts = JSON.parse(readFileSync(`${DATA}/eurlex57k/eurovoc_concepts_EURLEX57K.json`, 'utf8')) as Record<
    string,
    { label: string; alt_labels: string[]; parents: string[] }
  >;
  const descriptions = new Map<string, LabelDescription>();
  for (const [id, c] of Object.entries(concepts)) {
    descriptions.set(id, {
      code: id,
      title: c.label,
      synonyms: c.alt_labels,
      parentTitles: c.parents.map((p) => concepts[p]?.label).filter((t): t is string => t !== undefined),
    });
  }
  return {
    name: 'EURLEX57K train (header + recitals + main_body, labels = concepts)',
    texts: docs.map((d) => [d.header as string, d.recitals as string, ...(d.main_body as string[])].join('\n')),
    labels: docs.map((d) => d.concepts as string[]),
    devCodes: readJsonl(`${DATA}/eurlex57k/dev.jsonl.gz`).flatMap((d) => d.concepts as string[]),
    descriptions,
  };
}

function codiesp(): Corpus {
  const docs = readJsonl(`${DATA}/codiesp/train.jsonl.gz`);
  const rows = gunzipSync(readFileSync(`${DATA}/icd-codes/icd10cm_2018.tsv.gz`)).toString('utf8').split('\n');
  const header = rows[0]!.split('\t');
  const col = (name: string) => header.indexOf(name);
  const descriptions = new Map<string, LabelDescription>();
  for (const row of rows.slice(1)) {
    const f = row.split('\t');
    if (f.length < header.length) continue;
    descriptions.set(f[col('code_dotted')]!, {
      code: f[col('code_dotted')]!,
      title: f[col('long_desc')]!,
      synonyms: [f[col('short_desc')]!],
      parentTitles: [f[col('major')]!],
    });
  }
  return {
    name: 'CodiEsp train (text_en, labels = labels_diagnosis)',
    texts: docs.map((d) => d.text_en as string),
    labels: docs.map((d) => d.labels_diagnosis as string[]),
    devCodes: readJsonl(`${DATA}/codiesp/dev.jsonl.gz`).flatMap((d) => d.labels_diagnosis as string[]),
    descriptions,
  };
}

function evalBench(): void {
  const numDocs = 6000;
  const numLabels = 4271;
  console.log(`\nevaluate: ${numDocs} docs × ${numLabels} labels, synthetic dense scores`);
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const trainFreq = Int32Array.from({ length: numLabels }, (_, l) => Math.floor(3000 / (l + 1)));
  const split = () => {
    const gold: number[][] = [];
    const scores: Float32Array[] = [];
    for (let d = 0; d < numDocs; d++) {
      const g = new Set<number>();
      while (g.size < 5) g.add(Math.floor(Math.pow(rand(), 2) * numLabels));
      const row = new Float32Array(numLabels);
      for (let l = 0; l < numLabels; l++) row[l] = rand() - 0.5;
      for (const l of g) row[l]! += rand(); // l < numLabels = row.length
      gold.push([...g]);
      scores.push(row);
    }
    return { gold, scores };
  };
  const tuning = split();
  const test = split();
  const thresholds = time('tuneThresholds (global)', () => tuneThresholds(new ScoreMatrix(tuning.scores, numLabels), tuning.gold));
  const perLabel = time('tuneThresholds (global + per label, support ≥ 5)', () =>
    tuneThresholds(new ScoreMatrix(tuning.scores, numLabels), tuning.gold, { perLabel: true }),
  );
  const report = time('evaluate (all metrics, 4 buckets)', () =>
    evaluate({ scores: test.scores, gold: test.gold, numLabels, trainFreq, numTrainDocs: 45_000, thresholds }),
  );
  console.log(`  global τ = ${thresholds.global.toFixed(4)}, per-label tuned ${perLabel.tunedLabels!.length}, p@5 = ${report['p@5']!.toFixed(3)}, micro_f1 = ${report.micro_f1!.toFixed(3)}`);
}

const which = process.argv[2] ?? 'all';
console.log(`node ${process.version}, ${new Date().toISOString()}`);
if (which === 'eurlex' || which === 'all') runCorpus(eurlex());
if (which === 'codiesp' || which === 'all') runCorpus(codiesp());
if (which === 'eval' || which === 'all') evalBench();
