/**
 * EURLEX57K for the engine benchmark: random subsamples (fixed seed, never the first N lines: the
 * files are sorted by year), text = header + recitals + main_body, labels = `concepts` restricted to
 * the L most frequent in train. A deliberately trivial tokenizer (lowercase letter/digit runs):
 * the product tokenizer lives in src/main/plant/text and is not what this bench measures.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { resolve } from 'node:path';
import { Rng } from '../src/main/engine/rng';
import { DATA_DIR } from './datasets';

export const EURLEX_DIR = resolve(DATA_DIR, 'eurlex57k');

interface RawDoc { text: string; concepts: string[] }

async function readJsonl(file: string): Promise<RawDoc[]> {
  const out: RawDoc[] = [];
  const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line) continue;
    const d = JSON.parse(line) as { header?: string; recitals?: string; main_body?: string[]; concepts: string[] };
    out.push({ text: [d.header ?? '', d.recitals ?? '', ...(d.main_body ?? [])].join('\n'), concepts: d.concepts });
  }
  return out;
}

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export interface EurlexSet {
  vocab: number;
  labels: number;
  train: { docs: Int32Array[]; labels: Int32Array[] };
  dev: { docs: Int32Array[]; labels: Int32Array[] };
  /** More train-split docs (after the first nTrain of the same random order), used unlabelled. */
  extra: Int32Array[];
}

function sample<T>(xs: T[], n: number, seed: number): T[] {
  // shuffling a copy draws the same swaps as shuffling its indices would
  const ys = [...xs];
  new Rng(seed).shuffle(ys);
  return ys.slice(0, Math.min(n, xs.length));
}

/** Token ids: 0 pad, 1 unknown, 2… the V − 2 words with the highest document frequency in the train sample. */
export async function loadEurlex(o: { nTrain: number; nDev: number; vocab: number; labels: number; maxLen: number; seed: number; nExtra?: number }): Promise<EurlexSet> {
  const trainAll = await readJsonl(`${EURLEX_DIR}/train.jsonl.gz`);
  const devAll = await readJsonl(`${EURLEX_DIR}/dev.jsonl.gz`);
  const freq = new Map<string, number>();
  for (const d of trainAll) for (const c of d.concepts) freq.set(c, (freq.get(c) ?? 0) + 1);
  const labelIds = new Map([...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, o.labels).map(([c], i) => [c, i]));
  const order = sample(trainAll, o.nTrain + (o.nExtra ?? 0), o.seed);
  const train = order.slice(0, o.nTrain);
  const dev = sample(devAll, o.nDev, o.seed + 1);
  const tokTrain = train.map((d) => words(d.text));
  const df = new Map<string, number>();
  for (const ws of tokTrain) for (const w of new Set(ws)) df.set(w, (df.get(w) ?? 0) + 1);
  const vocab = new Map([...df].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, o.vocab - 2).map(([w], i) => [w, i + 2]));
  const encode = (ws: string[]): Int32Array => Int32Array.from(ws.slice(0, o.maxLen), (w) => vocab.get(w) ?? 1);
  const labelsOf = (d: RawDoc): Int32Array => Int32Array.from(d.concepts.map((c) => labelIds.get(c)).filter((x): x is number => x !== undefined));
  return {
    vocab: o.vocab,
    labels: o.labels,
    train: { docs: tokTrain.map(encode), labels: train.map(labelsOf) },
    dev: { docs: dev.map((d) => encode(words(d.text))), labels: dev.map(labelsOf) },
    extra: order.slice(o.nTrain).map((d) => encode(words(d.text))),
  };
}
