import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { BenchmarkCell } from '../../shared/contract';
import type { Handlers } from '../core/handlers';
import type { ServiceContext } from './context';

const Metric = z.number().nullable().optional();
/** The part of a bench/results/<dataset>-<size>.json file the UI plots; other fields are ignored. */
const ResultFile = z.object({
  dataset: z.string(),
  train_size: z.number().int().min(0),
  systems: z.record(z.string(), z.object({ metrics: z.object({ 'p@5': Metric, macro_f1: Metric, buckets: z.object({ few: z.object({ macro_f1: Metric }) }).partial().optional() }) })),
});

/** Reads every result file of the quality benchmark; files that do not parse are skipped, not fatal. */
export function readBenchmarkCells(resultsDir: string): BenchmarkCell[] {
  if (!existsSync(resultsDir)) return [];
  const cells: BenchmarkCell[] = [];
  for (const name of readdirSync(resultsDir).filter((n) => /^[a-z0-9_]+-\d+\.json$/i.test(n)).sort()) {
    let parsed: z.infer<typeof ResultFile>;
    try {
      const r = ResultFile.safeParse(JSON.parse(readFileSync(join(resultsDir, name), 'utf8')));
      if (!r.success) continue;
      parsed = r.data;
    } catch {
      continue;
    }
    for (const [system, s] of Object.entries(parsed.systems)) {
      cells.push({
        dataset: parsed.dataset,
        trainSize: parsed.train_size,
        system,
        p5: s.metrics['p@5'] ?? null,
        macroF1: s.metrics.macro_f1 ?? null,
        fewMacroF1: s.metrics.buckets?.few?.macro_f1 ?? null,
      });
    }
  }
  return cells;
}

/** The benchmark results live beside resources/ in a source checkout: <root>/bench/results. */
export function benchmarkHandlers(s: ServiceContext): Pick<Handlers, 'benchmarks.efficiency'> {
  return {
    'benchmarks.efficiency': async ({ projectId }) => {
      const name = (s.projects.get(projectId).getMeta('name') ?? projectId).toLowerCase().replace(/[^a-z0-9]/g, '');
      const cells = readBenchmarkCells(join(dirname(s.resourcesDir), 'bench', 'results'));
      const datasets = [...new Set(cells.map((c) => c.dataset))];
      return { cells, dataset: datasets.find((d) => name.includes(d.toLowerCase().replace(/[^a-z0-9]/g, ''))) ?? datasets[0] ?? null };
    },
  };
}
