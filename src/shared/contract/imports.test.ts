import { describe, expect, it } from 'vitest';
import * as imports from './imports';
import { testMethods, testSchemas } from './example-tests';

const mapping = { textField: 'main_body', extraTextFields: ['header', 'recitals'], labelsField: 'concepts', idField: 'celex_id', labelSeparator: '|' };
const source = { uploadId: 'up-0123456789ab' };

describe('imports contract', () => {
  testSchemas<typeof imports, 'ImportResult'>(
    imports,
    {
      CorpusFormat: { valid: 'label-studio', invalid: 'xml', path: [], code: 'invalid_value' },
      CorpusFormatChoice: { valid: 'auto', invalid: 'guess', path: [], code: 'invalid_union' },
      CatalogueFormat: { valid: 'eurovoc-json', invalid: 'icd9-tsv', path: [], code: 'invalid_value' },
      FieldMapping: { valid: mapping, invalid: { ...mapping, extraTextFields: Array.from({ length: 21 }, (_, i) => `f${i}`) }, path: ['extraTextFields'] },
      ImportSource: { valid: source, invalid: { uploadId: 'up-0123456789ab', path: 'train.jsonl' }, path: [], code: 'invalid_union' },
    },
    { ImportResult: 'a job result: its schemas per job kind are being typed on their own (issue #16)' },
  );
  testMethods(imports.importMethods, {
    'imports.corpus': {
      input: { valid: { projectId: 'eurlex', source, format: 'auto', mapping }, invalid: { projectId: 'eurlex', source, format: 'xml' }, path: ['format'] },
      output: { valid: { jobId: 'job-imp-1' }, invalid: { jobId: '' }, path: ['jobId'] },
    },
    'imports.catalogue': {
      input: { valid: { projectId: 'demo', source: { path: 'icd10cm-codes-2026.txt' }, format: 'icd10cm-tsv', force: true }, invalid: { projectId: 'demo', source, format: 'icd10cm-tsv', force: 'yes' }, path: ['force'] },
      output: { valid: { jobId: 'job-cat-1' }, invalid: {}, path: ['jobId'] },
    },
  });

  it('maps the plain {"id", "text", "labels", "split"} layout when no mapping is given', () => {
    expect(imports.FieldMapping.parse({})).toEqual({ textField: 'text', extraTextFields: [], labelSeparator: ';' });
    const input = imports.importMethods['imports.corpus'].input.parse({ projectId: 'p', source, format: 'jsonl' });
    expect(input.mapping).toEqual({ textField: 'text', extraTextFields: [], labelSeparator: ';' });
  });
});
