import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../app/dispatch';
import { tempServices } from '../testing/temp-services';
import { readBenchmarkCells } from './benchmark-handlers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('benchmarks.efficiency', () => {
  it('reads one cell per system and training size, skipping files that do not parse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'planter-bench-'));
    dirs.push(dir);
    const metrics = (p5: number) => ({ 'p@5': p5, macro_f1: p5 / 10, buckets: { few: { macro_f1: p5 / 20 } } });
    writeFileSync(join(dir, 'codiesp-500.json'), JSON.stringify({ dataset: 'codiesp', train_size: 500, systems: { plant: { metrics: metrics(0.3) }, lant: { metrics: metrics(0.2) } } }));
    writeFileSync(join(dir, 'codiesp-100.json'), JSON.stringify({ dataset: 'codiesp', train_size: 100, systems: { plant: { metrics: { 'p@5': null, macro_f1: 0.01 } } } }));
    writeFileSync(join(dir, 'eurlex57k-50.json'), '{ not json');
    writeFileSync(join(dir, 'scale.json'), JSON.stringify({ other: true }));
    expect(readBenchmarkCells(dir)).toEqual([
      { dataset: 'codiesp', trainSize: 100, system: 'plant', p5: null, macroF1: 0.01, fewMacroF1: null },
      { dataset: 'codiesp', trainSize: 500, system: 'plant', p5: 0.3, macroF1: 0.03, fewMacroF1: 0.015 },
      { dataset: 'codiesp', trainSize: 500, system: 'lant', p5: 0.2, macroF1: 0.02, fewMacroF1: 0.01 },
    ]);
    expect(readBenchmarkCells(join(dir, 'missing'))).toEqual([]);
  });

  it('answers through the contract', async () => {
    const env = tempServices();
    try {
      const http = { transport: 'http', trusted: false } as const;
      await dispatch(env.services.handlers, 'projects.create', { id: 'codiesp-demo', name: 'CodiEsp demo' }, http);
      const reply = await dispatch(env.services.handlers, 'benchmarks.efficiency', { projectId: 'codiesp-demo' }, http);
      expect(reply.ok).toBe(true);
      if (reply.ok) {
        const value = reply.value as { cells: { dataset: string }[]; dataset: string | null };
        expect(Array.isArray(value.cells)).toBe(true);
        // With this checkout's results (if any), the CodiEsp project points at the codiesp dataset.
        if (value.cells.some((c) => c.dataset === 'codiesp')) expect(value.dataset).toBe('codiesp');
      }
      expect(await dispatch(env.services.handlers, 'benchmarks.efficiency', { projectId: 'nope' }, http)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    } finally {
      await env.cleanup();
    }
  });
});
