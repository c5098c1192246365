import { describe } from 'vitest';
import * as benchmarks from './benchmarks';
import { testMethods, testSchemas } from './example-tests';

const cell = { dataset: 'codiesp', trainSize: 500, system: 'plant', p5: 0.503, macroF1: 0.149, fewMacroF1: null };

describe('benchmarks contract', () => {
  testSchemas(benchmarks, {
    BenchmarkCell: { valid: cell, invalid: { ...cell, trainSize: -500 }, path: ['trainSize'] },
  });
  testMethods(benchmarks.benchmarkMethods, {
    'benchmarks.efficiency': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 'demo', dataset: 'codiesp' }, path: [], code: 'unrecognized_keys' },
      output: { valid: { cells: [cell, { ...cell, system: 'tfidf_linear', p5: 0.352 }], dataset: 'codiesp' }, invalid: { cells: [{ ...cell, p5: '50.3' }], dataset: null }, path: ['cells', 0, 'p5'] },
    },
  });
});
