// Renders the "## Quality" section of docs/benchmarks.md from the result files in bench/results,
// and checks that rendered tables are well formed (the CI smoke run asserts that, never a score).
import type { MetricSet } from '../src/shared/contract';
import { SYSTEM_TITLES, SYSTEMS, type CellResult, type SystemName } from './quality-plan';

export interface RunRecord {
  command: string;
  started_at: string;
  wall_s: number;
  /** "dataset-size/system" of every system trained by the invocation. */
  trained: string[];
  machine: string;
  /** Set when the invocation stopped with an error after training the systems listed. */
  failed?: string;
}

type Column = { title: string; get: (r: NonNullable<CellResult['systems'][SystemName]>) => number | null; kind: 'metric' | 'seconds' };

const metric = (key: keyof MetricSet) => (r: NonNullable<CellResult['systems'][SystemName]>) => r.metrics[key];
const COLUMNS: Column[] = [
  { title: 'P@1', get: metric('p@1'), kind: 'metric' },
  { title: 'P@3', get: metric('p@3'), kind: 'metric' },
  { title: 'P@5', get: metric('p@5'), kind: 'metric' },
  { title: 'nDCG@5', get: metric('ndcg@5'), kind: 'metric' },
  { title: 'PSP@5', get: metric('psp@5'), kind: 'metric' },
  { title: 'micro-F1', get: metric('micro_f1'), kind: 'metric' },
  { title: 'macro-F1', get: metric('macro_f1'), kind: 'metric' },
  { title: 'few macro-F1', get: (r) => r.metrics.buckets.few.macro_f1, kind: 'metric' },
  { title: 'few P@5', get: (r) => r.metrics.buckets.few['p@5'], kind: 'metric' },
  { title: 'train s', get: (r) => r.train_s, kind: 'seconds' },
  { title: 'infer s', get: (r) => r.infer_s, kind: 'seconds' },
  { title: 'search s', get: (r) => r.search_s, kind: 'seconds' },
  { title: 'peak MB', get: (r) => r.peak_rss_mb ?? null, kind: 'seconds' },
];

const DATASET_TITLES: Record<string, string> = {
  codiesp: 'CodiEsp-D (diagnosis codes, English text)',
  eurlex57k: 'EURLEX57K',
  'codiesp-demo': 'CodiEsp-D, bundled demo copy (smoke subset)',
};

const int = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number | null): string => (x === null ? '–' : (100 * x).toFixed(1));
const secs = (s: number | null): string => (s === null ? '–' : s >= 100 ? s.toFixed(0) : s.toFixed(1));

export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds - 3600 * h) / 60);
  return h > 0 ? `${h} h ${m} min` : `${Math.max(1, m)} min`;
}

function configLine(name: SystemName, r: NonNullable<CellResult['systems'][SystemName]>): string {
  const c = r.config;
  if (name === 'fasttext') return `fastText: epoch ${String(c.epoch)}, lr ${String(c.lr)}, wordNgrams ${String(c.wordNgrams)} (chosen among ${r.search?.length ?? 1} by tuning P@5)`;
  if (name === 'tfidf_linear') return `TF-IDF: C ${String(c.C)}, ${int(Number(c.features))} features, ${int(Number(c.trained_labels))} labels fitted (C chosen among ${r.search?.length ?? 1} by tuning P@5)`;
  const ndcg = (r.extra?.l2r_ndcg10 as (number | null)[] | undefined) ?? [];
  const stages = r.extra?.stage_s as Record<string, number> | undefined;
  const stageText = stages ? Object.entries(stages).filter(([k]) => k !== 'evaluate').map(([k, v]) => `${k} ${secs(v)}`).join(', ') : '';
  const recall = (r.extra?.shortlist_recall as { evaluation?: number | null } | undefined)?.evaluation;
  const ece = r.extra?.ece as number | null | undefined;
  const first = r.extra?.first_model_s as number | null | undefined;
  const ranker = r.extra?.ranker as { structure?: string; levels?: number[]; entries?: number } | undefined;
  const parts = [
    `stages ${stageText} s`,
    ...(ndcg.length ? [`L2R held-out NDCG@10 ${ndcg.map((v) => (v === null ? '–' : v.toFixed(3))).join(' → ')}`] : []),
    ...(recall !== undefined && recall !== null ? [`shortlist recall ${pct(recall)} %`] : []),
    ...(ece !== undefined && ece !== null ? [`ECE ${ece.toFixed(3)}`] : []),
    ...(first ? [`first (lexical) model after ${secs(first)} s`] : []),
    ...(ranker?.structure ? [`${ranker.structure === 'flat' ? 'one-vs-rest' : `tree ${ranker.levels?.join(' → ')}`}, ${int(ranker.entries ?? 0)} weights${r.extra?.lexical_bin_mb !== undefined ? `, lexical.bin ${String(r.extra.lexical_bin_mb)} MB` : ''}`] : []),
  ];
  return `${SYSTEM_TITLES[name].replace(/\*\*/g, '')}: ${parts.join('; ')}`;
}

/** One markdown table (rows = systems) for one dataset and train size. */
export function renderCell(cell: CellResult, skipped: Partial<Record<SystemName, string>> = {}): string {
  const out: string[] = [];
  const title = DATASET_TITLES[cell.dataset] ?? cell.dataset;
  out.push(`### ${title}, ${int(cell.train_size)} training documents`, '');
  const c = cell.corpus;
  const few = Object.values(cell.systems)[0]?.metrics.buckets.few.labels;
  out.push(
    `Train ${int(c.train)} documents (+ ${int(c.unlabelled)} unlabelled for Planter's Stage 0), dev ${int(c.tuning)} tuning + ${int(c.evaluation)} evaluation documents, ${int(c.labels)} labels (train ∪ dev)` +
      (few !== undefined ? `; ${int(few)} few-shot labels (1–5 training documents) occur in the evaluation half.` : '.'),
    '',
  );
  out.push(`| system | ${COLUMNS.map((col) => col.title).join(' | ')} |`);
  out.push(`|---|${COLUMNS.map(() => '---:').join('|')}|`);
  const best = COLUMNS.map((col) => {
    if (col.kind !== 'metric') return null;
    const values = SYSTEMS.map((s) => (cell.systems[s] ? col.get(cell.systems[s]) : null)).filter((v): v is number => v !== null);
    return values.length > 1 ? Math.max(...values) : null;
  });
  for (const s of SYSTEMS) {
    const r = cell.systems[s];
    if (!r) {
      out.push(`| ${SYSTEM_TITLES[s]} | ${COLUMNS.map(() => '–').join(' | ')} |`);
      continue;
    }
    const cells = COLUMNS.map((col, i) => {
      const v = col.get(r);
      const text = col.kind === 'metric' ? pct(v) : secs(v);
      return v !== null && best[i] !== null && v === best[i] ? `**${text}**` : text;
    });
    out.push(`| ${SYSTEM_TITLES[s]} | ${cells.join(' | ')} |`);
  }
  out.push('');
  const notes = SYSTEMS.filter((s) => cell.systems[s]).map((s) => `- ${configLine(s, cell.systems[s]!)}`);
  for (const [s, why] of Object.entries(skipped)) notes.push(`- ${SYSTEM_TITLES[s as SystemName]}: skipped — ${why}`);
  out.push(...notes, '');
  return out.join('\n');
}

export interface SectionInput {
  cells: CellResult[];
  runs: RunRecord[];
  notes: string;
  command: string;
  plot: string | null;
  skipped?: Record<string, Partial<Record<SystemName, string>>>;
}

/** The whole "## Quality" section. */
export function renderQualitySection(input: SectionInput): string {
  const out: string[] = ['## Quality', ''];
  out.push(
    'Is Planter\'s model better than fastText or a linear TF-IDF model, and does planting help on rare labels (issue #5)? ' +
      'Every system below is trained on the same training documents, tuned on the same tuning half of dev and scored on the same evaluation half ' +
      'by the same code (`src/main/eval`: one decision threshold per training-frequency bucket from `bucketThresholds` on the tuning half — Planter\'s own rule, applied to every system — then `evaluateDetailed`). ' +
      'Dev is split by `isTuningDoc` (SHA-256 of the document id). The label space is the labels of train ∪ dev. The official test splits are never read.',
    '',
  );
  out.push('```sh', 'bash bench/peers/setup.sh      # once: apt-get install -y fasttext python3-sklearn python3-matplotlib', input.command, '```', '');
  out.push(
    '- **Planter** (the default model): `trainPlant` with default `PlantSettings` (seed 13; only `threads: 2` set): the lexical ranker (word 1–2-gram TF-IDF, L2-regularised squared-hinge linear models by dual coordinate descent, one-vs-rest or a label tree), PLANT\'s attention fine-tuned with the ranker\'s hard negatives and scoring its shortlist, and a logistic fusion fitted on the tuning half. The same training gives the **lexical ranker alone** (its model served first, with a fusion of its own scores) and the **PLANT attention alone** (every label scored, as before the ranker). **Fused with LANT** / **LANT alone**: the identical training with `plant: false` (random U, no MIG/L2R).',
    '- **fastText** 0.9.2 (Debian `fasttext`): `supervised -loss ova -dim 100`, text lower-cased with punctuation split off; epoch ∈ {10, 25, 50, 100} ({5, 10, 25, 50} from 5,000 training documents), lr ∈ {0.1, 0.25, 0.5, 1}, wordNgrams ∈ {1, 2, 3} by one coordinate pass from (25, 0.5, 2), keeping the best tuning-half P@5 (from 20,000 documents only epoch ∈ {10, 25} at lr 1, wordNgrams 2: one configuration costs 10–20 min there). Scores: `predict-prob` probabilities of every label.',
    '- **TF-IDF + LinearSVC** (scikit-learn 1.2, Debian `python3-sklearn`): `TfidfVectorizer` (word 1–2-grams, sublinear tf, min_df 2, ≤ 500k features, fitted on train) + `OneVsRestClassifier(LinearSVC)`, C ∈ {0.1, 0.3, 1, 3, 10, 30} by tuning-half P@5 ({1, 3, 10} from 5,000 training documents, where one C takes 4–6 min on 2 cores; {3} from 20,000; C 3 won every smaller cell). Scores: decision values; labels without a training positive score −∞.',
    '- Metrics in %, on the evaluation half. "few" = the bucket of labels with 1–5 training documents (P@5 ranks only that bucket\'s labels against the document\'s gold labels of that bucket; macro-F1 over its labels with support). Best per column in bold.',
    '- **train s**: wall-clock fit of the final model (Planter: every stage it needs before evaluation, incl. Stage 0 pretraining on unlabelled text that the peers do not use; the lexical ranker: tokenize, lexical, its fusion). **infer s**: scoring all dev documents (both halves). **search s**: the whole hyper-parameter search on the tuning half (= train s for Planter, which uses its defaults). **peak MB**: the largest resident memory of the benchmark process during the training (Planter\'s rows of one training share it; not measured for the peers, which run as other programs).',
    '',
  );
  out.push(...machineLines(input.cells, input.runs));
  if (input.runs.length) {
    const total = input.runs.reduce((a, r) => a + r.wall_s, 0);
    out.push(`Wall time of the recorded runs: ${formatDuration(total)} in ${input.runs.length} invocation(s) (${input.runs.map((r) => `${r.started_at.slice(0, 16).replace('T', ' ')} ${formatDuration(r.wall_s)}: ${r.trained.length} systems${r.failed ? ', then stopped by an error' : ''}`).join('; ')}).`, '');
  }
  for (const cell of input.cells) out.push(renderCell(cell, input.skipped?.[`${cell.dataset}-${cell.train_size}`]));
  if (input.plot) out.push('### Data efficiency (EURLEX57K)', '', `![P@5 and few-shot macro-F1 against training-set size on EURLEX57K, one line per system](${input.plot})`, '');
  out.push(
    '### Published anchors (test splits; not directly comparable)',
    '',
    'Ours are on the evaluation half of **dev**, with 2-core CPU models; these were measured on the official **test** splits with far larger models or extra resources.',
    '',
    '| dataset | system | numbers |',
    '|---|---|---|',
    '| EURLEX57K test | BERT-base (Chalkidis et al. 2019) | micro-F1 73.2, P@5 68.7, nDCG@5 82.3 |',
    '| CodiEsp-D test | best team, IAM (CLEF eHealth 2020) | P / R / F1 0.817 / 0.592 / 0.687 (official metric MAP; Spanish text plus dictionaries) |',
    '',
  );
  if (input.notes.trim()) out.push(input.notes.trim(), '');
  return out.join('\n');
}

/**
 * Where the rows were measured. The run records say which invocation (and so which machine) trained
 * each row last; where rows come from more than one machine, each machine is named with its rows,
 * since timings compare only within one machine. Cells without run records fall back to their own
 * machine field.
 */
export function machineLines(cells: readonly Pick<CellResult, 'dataset' | 'train_size' | 'machine' | 'systems'>[], runs: readonly RunRecord[]): string[] {
  const lastMachine = new Map<string, string>();
  for (const r of runs) for (const key of r.trained) lastMachine.set(key, r.machine);
  const rowsOn = new Map<string, string[]>();
  for (const c of cells) {
    const cellKey = `${c.dataset}-${c.train_size}`;
    const bySystem = new Map<string, string[]>();
    for (const s of SYSTEMS) {
      if (!c.systems[s]) continue;
      const m = lastMachine.get(`${cellKey}/${s}`) ?? c.machine;
      if (m) bySystem.set(m, [...(bySystem.get(m) ?? []), s]);
    }
    const present = SYSTEMS.filter((s) => c.systems[s]).length;
    for (const [m, systems] of bySystem) rowsOn.set(m, [...(rowsOn.get(m) ?? []), systems.length === present ? cellKey : `${cellKey} (${systems.join(', ')})`]);
  }
  if (rowsOn.size === 0) return [];
  if (rowsOn.size === 1) return [`Machine: ${[...rowsOn.keys()][0]!}.`, ''];
  return ['Machines (the rows were measured on more than one; timings compare only within one machine):', '', ...[...rowsOn].map(([m, keys]) => `- ${m}: ${keys.join(', ')}`), ''];
}

/** Replaces the "## Quality" section of a markdown document (up to the next "## " heading), or appends it. */
export function replaceSection(doc: string, section: string, heading = '## Quality'): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  const body = section.trimEnd().split('\n');
  if (start < 0) {
    const base = doc.trimEnd();
    return (base ? `${base}\n\n` : '# Benchmarks\n\n') + body.join('\n') + '\n';
  }
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  // Only the section changes; blank lines at its end are replaced by exactly one.
  while (end > start + 1 && lines[end - 1]!.trim() === '') end--;
  const after = lines.slice(end).join('\n').replace(/^\n+/, '');
  return [...lines.slice(0, start), ...body].join('\n') + '\n' + (after ? `\n${after}` : '');
}

/** Problems of the rendered tables: ragged rows, missing values where a system ran, NaN or undefined. */
export function tableProblems(markdown: string): string[] {
  const problems: string[] = [];
  let width = -1;
  markdown.split('\n').forEach((line, i) => {
    if (!line.startsWith('|')) {
      width = -1;
      return;
    }
    const cols = line.split('|').length;
    if (width < 0) width = cols;
    else if (cols !== width) problems.push(`line ${i + 1}: ${cols - 2} columns, expected ${width - 2}`);
    if (/NaN|undefined|Infinity/.test(line)) problems.push(`line ${i + 1}: ${line}`);
  });
  return problems;
}
