#!/usr/bin/env node
// Rebuilds resources/demo/ from ../shared/data (a developer step; its output is committed so the
// app ships the demo and never downloads anything). Usage: node scripts/build-demo.mjs [dataDir]
// `--language es` writes resources/demo-es/ instead: the original Spanish text (text_es) with
// CodiEsp's evidence spans (gold_tsv/*X.tsv, offsets into text_es). That folder is ~3 MB and is
// not committed (.gitignore): whoever wants the Spanish demo builds it here from the data, and
// starts Planter with PLANTER_DEMO_LANGUAGE=es (or `planter serve --demo-language es`).
import { createReadStream, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const argv = process.argv.slice(2);
const languageAt = argv.indexOf('--language');
const language = languageAt === -1 ? 'en' : argv[languageAt + 1];
if (language !== 'en' && language !== 'es') throw new Error(`--language is en or es, not ${language}`);
const positional = argv.filter((_, i) => languageAt === -1 || (i !== languageAt && i !== languageAt + 1));
const dataDir = resolve(positional[0] ?? '../shared/data');
const out = resolve(language === 'en' ? 'resources/demo' : `resources/demo-${language}`);
const textField = language === 'en' ? 'text_en' : 'text_es';
mkdirSync(out, { recursive: true });

async function convert(src, dest, withLabels) {
  const lines = createInterface({ input: createReadStream(join(dataDir, 'codiesp', src)).pipe(createGunzip()), crlfDelay: Infinity });
  const rows = [];
  for await (const line of lines) {
    if (!line.trim()) continue;
    const d = JSON.parse(line);
    const row = { id: d.id, text: d[textField] };
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
// The gold X files unchanged (procedure rows included, so a mismatch's line is the gold file's line;
// the demo has no procedure labels and skips them).
const spanFiles = language === 'es' ? ['trainX.tsv', 'devX.tsv'] : [];
for (const f of spanFiles) writeFileSync(join(out, `codiesp-${f}.gz`), gzipSync(readFileSync(join(dataDir, 'codiesp', 'gold_tsv', f)), { level: 9 }));

const mapping = (split) => ({ textField: 'text', idField: 'id', labelsField: 'labels', split });
const manifest = {
  id: language === 'en' ? 'demo' : `demo-${language}`,
  name: language === 'en' ? 'CodiEsp demo (ICD-10-CM diagnosis coding)' : 'CodiEsp demo, original Spanish, with evidence spans (ICD-10-CM)',
  steps: [
    { kind: 'catalogue', file: 'icd10cm_2018.tsv.gz', format: 'icd10cm-tsv' },
    { kind: 'corpus', file: 'codiesp-train.jsonl.gz', format: 'jsonl', mapping: mapping('train') },
    { kind: 'corpus', file: 'codiesp-dev.jsonl.gz', format: 'jsonl', mapping: mapping('dev') },
    { kind: 'corpus', file: 'codiesp-pool.jsonl.gz', format: 'jsonl', mapping: { textField: 'text', idField: 'id', split: 'pool' } },
    ...spanFiles.map((f) => ({ kind: 'spans', file: `codiesp-${f}.gz`, format: 'codiesp-x' })),
  ],
  counts,
};
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`demo written to ${out}:`, counts);
