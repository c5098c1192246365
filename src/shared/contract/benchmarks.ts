import { z } from 'zod';
import { ProjectId, type MethodTable } from './common';

/** One system at one training-set size of the quality benchmark (`npm run bench:quality`). */
export const BenchmarkCell = z.object({
  dataset: z.string(),
  trainSize: z.number().int().min(0),
  /** plant, lant, fasttext, tfidf_linear, … */
  system: z.string(),
  p5: z.number().nullable(),
  macroF1: z.number().nullable(),
  /** macro-F1 over labels with 1–5 training documents. */
  fewMacroF1: z.number().nullable(),
});
export type BenchmarkCell = z.infer<typeof BenchmarkCell>;

export const benchmarkMethods = {
  /**
   * The data-efficiency results recorded by the quality benchmark (bench/results/<dataset>-<size>.json),
   * when this installation has them (a source checkout after `npm run bench:quality`); empty otherwise.
   */
  'benchmarks.efficiency': {
    input: z.object({ projectId: ProjectId }).strict(),
    /** `dataset`: the benchmark dataset this project's name points at (CodiEsp demo → codiesp), else the first. */
    output: z.object({ cells: z.array(BenchmarkCell), dataset: z.string().nullable() }),
  },
} as const satisfies MethodTable;
