// Loaders of the shared datasets (../shared/data) as PlantCorpus, for benchmarks and experiments.
// The official test splits are never read: train → train, dev → tuning/evaluation halves.
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { isTuningDoc, type PlantCorpus, type PlantDoc } from '../src/main/plant/pipeline/corpus';
import { Rng } from '../src/main/engine/rng';

export const DATA_DIR = resolve(process.env.PLANTER_DATA ?? resolve(import.meta.dirname, '../../shared/data'));

export async function* jsonl(file: string): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
}

interface RawDoc {
  id: string;
  text: string;
  labels: string[];
}

async function tsvTitles(file: string, codeColumn: string, titleColumn: string): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header: string[] | null = null;
  for await (const line of lines) {
    const f = line.split('\t');
    if (!header) {
      header = f;
      continue;
    }
    titles.set(f[header.indexOf(codeColumn)]!, f[header.indexOf(titleColumn)]!);
  }
  return titles;
}

/** Builds the corpus: label space = labels of train ∪ dev (so zero-shot dev labels can be scored). */
function assemble(train: RawDoc[], dev: RawDoc[], unlabelled: string[], describe: (code: string) => { title: string; synonyms: string[] }): PlantCorpus & { devIds: { tuning: string[]; evaluation: string[] } } {
  const codes = [...new Set([...train, ...dev].flatMap((d) => d.labels))].sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const toDoc = (d: RawDoc): PlantDoc => ({ text: d.text, labels: d.labels.map((c) => index.get(c)!) });
  const tuning = dev.filter((d) => isTuningDoc(d.id));
  const evaluation = dev.filter((d) => !isTuningDoc(d.id));
  return {
    labels: codes.map((code) => ({ code, ...describe(code) })),
    train: train.map(toDoc),
    unlabelled,
    tuning: tuning.map(toDoc),
    evaluation: evaluation.map(toDoc),
    devIds: { tuning: tuning.map((d) => d.id), evaluation: evaluation.map((d) => d.id) },
  };
}

export async function loadCodiesp(options: { pool?: boolean } = {}): Promise<ReturnType<typeof assemble>> {
  const dir = resolve(DATA_DIR, 'codiesp');
  const read = async (f: string): Promise<RawDoc[]> => {
    const out: RawDoc[] = [];
    for await (const r of jsonl(resolve(dir, f))) out.push({ id: String(r.id), text: String(r.text_en), labels: (r.labels_diagnosis as string[]) ?? [] });
    return out;
  };
  const train = await read('train.jsonl.gz');
  const dev = await read('dev.jsonl.gz');
  const pool: string[] = [];
  if (options.pool !== false) for await (const r of jsonl(resolve(dir, 'background_unlabeled.jsonl.gz'))) pool.push(String(r.text_en));
  const titles = await tsvTitles(resolve(DATA_DIR, 'icd-codes/icd10cm_2018.tsv.gz'), 'code_dotted', 'long_desc');
  const describe = (code: string): { title: string; synonyms: string[] } => {
    let key = code;
    while (key.length >= 3 && !titles.has(key)) key = key.slice(0, -1).replace(/\.$/, '');
    return { title: titles.get(key) ?? '', synonyms: [] };
  };
  return assemble(train, dev, pool, describe);
}

const eurlexText = (r: Record<string, unknown>): string =>
  [r.header, r.recitals, ...((r.main_body as string[]) ?? [])].filter((x) => typeof x === 'string' && x.trim()).join('\n\n');

/** EURLEX57K with a random (seeded) training subset of `trainSize` documents — never the first N lines (sorted by year). */
export async function loadEurlex(trainSize: number, seed = 13, options: { devSize?: number } = {}): Promise<ReturnType<typeof assemble>> {
  const dir = resolve(DATA_DIR, 'eurlex57k');
  const all: RawDoc[] = [];
  for await (const r of jsonl(resolve(dir, 'train.jsonl.gz'))) all.push({ id: String(r.celex_id), text: eurlexText(r), labels: (r.concepts as string[]) ?? [] });
  const order = Array.from({ length: all.length }, (_, i) => i);
  new Rng(seed).shuffle(order);
  const train = order.slice(0, Math.min(trainSize, all.length)).map((i) => all[i]!);
  const dev: RawDoc[] = [];
  for await (const r of jsonl(resolve(dir, 'dev.jsonl.gz'))) dev.push({ id: String(r.celex_id), text: eurlexText(r), labels: (r.concepts as string[]) ?? [] });
  const devSub = options.devSize && options.devSize < dev.length ? (() => { const o = Array.from({ length: dev.length }, (_, i) => i); new Rng(seed + 1).shuffle(o); return o.slice(0, options.devSize).sort((a, b) => a - b).map((i) => dev[i]!); })() : dev;
  const concepts = JSON.parse(await import('node:fs/promises').then((f) => f.readFile(resolve(dir, 'eurovoc_concepts_EURLEX57K.json'), 'utf8'))) as Record<string, { label: string; alt_labels: string[] }>;
  const describe = (code: string): { title: string; synonyms: string[] } => ({ title: concepts[code]?.label ?? '', synonyms: concepts[code]?.alt_labels ?? [] });
  // The rest of train is the unlabelled pool of a data-efficiency run (its labels are hidden).
  const pool = order.slice(trainSize, trainSize + Math.min(5000, Math.max(0, all.length - trainSize))).map((i) => all[i]!.text);
  return assemble(train, devSub, pool, describe);
}

export function dataAvailable(): boolean {
  return existsSync(resolve(DATA_DIR, 'codiesp/train.jsonl.gz'));
}

/**
 * The CodiEsp copy bundled with the app (resources/demo: the same train/dev/pool documents, English
 * text, ICD-10-CM diagnosis codes), optionally subsampled at random with a fixed seed. It needs no
 * ../shared/data, so CI smoke runs can use it.
 */
export async function loadDemoCodiesp(options: { trainSize?: number; devSize?: number; poolSize?: number; seed?: number } = {}): Promise<ReturnType<typeof assemble>> {
  const dir = resolve(import.meta.dirname, '../resources/demo');
  const seed = options.seed ?? 13;
  const read = async (f: string): Promise<RawDoc[]> => {
    const out: RawDoc[] = [];
    for await (const r of jsonl(resolve(dir, f))) out.push({ id: String(r.id), text: String(r.text), labels: (r.labels as string[]) ?? [] });
    return out;
  };
  const sample = <T>(items: T[], n: number | undefined, s: number): T[] => {
    if (n === undefined || n >= items.length) return items;
    const order = Array.from({ length: items.length }, (_, i) => i);
    new Rng(s).shuffle(order);
    return order.slice(0, n).sort((a, b) => a - b).map((i) => items[i]!);
  };
  const train = sample(await read('codiesp-train.jsonl.gz'), options.trainSize, seed);
  const dev = sample(await read('codiesp-dev.jsonl.gz'), options.devSize, seed + 1);
  const pool = sample(await read('codiesp-pool.jsonl.gz'), options.poolSize, seed + 2).map((d) => d.text);
  const titles = await tsvTitles(resolve(dir, 'icd10cm_2018.tsv.gz'), 'code_dotted', 'long_desc');
  const describe = (code: string): { title: string; synonyms: string[] } => {
    let key = code;
    while (key.length >= 3 && !titles.has(key)) key = key.slice(0, -1).replace(/\.$/, '');
    return { title: titles.get(key) ?? '', synonyms: [] };
  };
  return assemble(train, dev, pool, describe);
}
