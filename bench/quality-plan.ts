// What `npm run bench:quality` measures: the systems, the dataset/train-size cells, and the shape of
// one result file (bench/results/<dataset>-<train size>.json). Issue #5.
import { z } from 'zod';
import { EvalReport } from '../src/shared/contract';
import { loadCodiesp, loadDemoCodiesp, loadEurlex } from './datasets';

export const SYSTEMS = ['planter', 'planter_lant', 'lexical', 'plant', 'lant', 'fasttext', 'tfidf_linear'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export const SYSTEM_TITLES: Record<SystemName, string> = {
  planter: '**Planter** (lexical ranker + PLANT, fused)',
  planter_lant: 'Planter fused with LANT (`--no-plant`)',
  lexical: 'Planter lexical ranker alone',
  plant: 'Planter PLANT attention alone',
  lant: 'Planter LANT attention alone',
  fasttext: 'fastText 0.9.2 (`-loss ova`)',
  tfidf_linear: 'TF-IDF + one-vs-rest LinearSVC (scikit-learn)',
};

/**
 * Planter's rows come from two trainings per cell: the default model (its lexical ranker and its
 * PLANT attention part are measured alone from the same run) and the same run with `plant: false`.
 */
export const PLANTER_RUNS = { plant: ['planter', 'lexical', 'plant'], lant: ['planter_lant', 'lant'] } as const satisfies Record<string, readonly SystemName[]>;

/** One system's outcome on one cell: metrics exactly as `planter eval --json` prints them. */
export const SystemResult = z.object({
  metrics: EvalReport,
  /** Wall-clock seconds to fit the final model (for Planter: every stage before evaluation). */
  train_s: z.number().min(0),
  /** Wall-clock seconds to score every dev document (tuning + evaluation halves) with the final model. */
  infer_s: z.number().min(0),
  /** Wall-clock seconds of the whole hyper-parameter search on the tuning half, final fit included (= train_s without a search). */
  search_s: z.number().min(0),
  /** The global decision threshold tuned on the tuning half (micro-F1-optimal, `tuneThresholds`). */
  threshold: z.number(),
  /** The configuration that produced the numbers (settings or the chosen hyper-parameters). */
  config: z.record(z.string(), z.unknown()),
  /** Search trace: each tried configuration and its tuning-half P@5. */
  search: z.array(z.object({ config: z.record(z.string(), z.unknown()), tuning_p5: z.number().nullable(), train_s: z.number() })).optional(),
  /** Largest resident memory of the process during training, MB (absent where not measured). */
  peak_rss_mb: z.number().min(0).optional(),
  /** Extra diagnostics (Planter: stage timings, L2R NDCG, fine-tuning curve). */
  extra: z.record(z.string(), z.unknown()).optional(),
  finished_at: z.string(),
});
export type SystemResult = z.infer<typeof SystemResult>;

export const CellResult = z.object({
  dataset: z.string(),
  train_size: z.number().int().min(1),
  /** Documents and labels the cell used (label space = labels of train ∪ dev). */
  corpus: z.object({ train: z.number().int(), unlabelled: z.number().int(), tuning: z.number().int(), evaluation: z.number().int(), labels: z.number().int() }),
  machine: z.string(),
  command: z.string(),
  systems: z.object({ planter: SystemResult, planter_lant: SystemResult, lexical: SystemResult, plant: SystemResult, lant: SystemResult, fasttext: SystemResult, tfidf_linear: SystemResult }).partial(),
});
export type CellResult = z.infer<typeof CellResult>;

export interface Cell {
  dataset: 'codiesp' | 'eurlex57k' | 'codiesp-demo';
  trainSize: number;
  /** Data-efficiency curve cells (plotted against train size). */
  curve: boolean;
}

export const FULL_CELLS: Cell[] = [
  { dataset: 'codiesp', trainSize: 500, curve: false },
  { dataset: 'eurlex57k', trainSize: 250, curve: true },
  { dataset: 'eurlex57k', trainSize: 1000, curve: true },
  { dataset: 'eurlex57k', trainSize: 5000, curve: true },
  { dataset: 'eurlex57k', trainSize: 45000, curve: true },
];

/** The CI smoke cell: the bundled demo copy of CodiEsp, 60 train and 40 dev documents. */
export const SMOKE_CELL: Cell = { dataset: 'codiesp-demo', trainSize: 60, curve: false };

export const cellKey = (c: { dataset: string; trainSize: number }): string => `${c.dataset}-${c.trainSize}`;

/** EURLEX57K's random training subsets use this seed (never the first N lines: the file is sorted by year). */
export const SUBSET_SEED = 13;

export async function loadCell(cell: Cell): Promise<Awaited<ReturnType<typeof loadCodiesp>>> {
  if (cell.dataset === 'codiesp') return loadCodiesp();
  if (cell.dataset === 'codiesp-demo') return loadDemoCodiesp({ trainSize: cell.trainSize, devSize: 40, poolSize: 100 });
  return loadEurlex(cell.trainSize, SUBSET_SEED);
}
