#!/usr/bin/env node
// Rebuilds resources/demo/ from ../shared/data (a developer step; its output is committed so the
// app ships the demo and never downloads anything). Usage: node scripts/build-demo.mjs [dataDir]
import { createReadStream, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const dataDir = resolve(process.argv[2] ?? '../shared/data');
const out = resolve('resources/demo');
mkdirSync(out, { recursive: true });

async function convert(src, dest, withLabels) {
  const lines = createInterface({ input: createReadStream(join(dataDir, 'codiesp', src)).pipe(createGunzip()), crlfDelay: Infinity });
  const rows = [];
  for await (const line of lines) {
    if (!line.trim()) continue;
    const d = JSON.parse(line);
    const row = { id: d.id, text: d.text_en };
    if (withLabels) row.labels = d.labels_diagnosis;
    rows.push(JSON.stringify(row));
  }
  writeFileSync(join(out, dest), gzipSync(rows.join('\n') + '\n', { level: 9 }));
  return rows.length;
}

const counts = {
  train: await convert('train.jsonl.gz', 'codiesp-train.jsonl.gz', true),
  dev: await convert('dev.jsonl.gz', 'codiesp-dev.jsonl.gz', true),
  pool: await convert('background_unlabeled.jsonl.gz', 'codiesp-pool.jsonl.gz', false),
};
copyFileSync(join(dataDir, 'icd-codes', 'icd10cm_2018.tsv.gz'), join(out, 'icd10cm_2018.tsv.gz'));

const mapping = (split) => ({ textField: 'text', idField: 'id', labelsField: 'labels', split });
const manifest = {
  id: 'demo',
  name: 'CodiEsp demo (ICD-10-CM diagnosis coding)',
  steps: [
    { kind: 'catalogue', file: 'icd10cm_2018.tsv.gz', format: 'icd10cm-tsv' },
    { kind: 'corpus', file: 'codiesp-train.jsonl.gz', format: 'jsonl', mapping: mapping('train') },
    { kind: 'corpus', file: 'codiesp-dev.jsonl.gz', format: 'jsonl', mapping: mapping('dev') },
    { kind: 'corpus', file: 'codiesp-pool.jsonl.gz', format: 'jsonl', mapping: { textField: 'text', idField: 'id', split: 'pool' } },
  ],
  counts,
};
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`demo written to ${out}:`, counts);
