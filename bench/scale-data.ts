/**
 * The generated data of `npm run bench:scale`: a corpus of N clinical-looking documents coded
 * against the real ICD-10-CM 2018 catalogue (../shared/data/icd-codes, 94k codes), and a large,
 * highly compressible Label Studio export. Everything is seeded, so two runs see the same files.
 *
 * A document carries 1–3 billable codes drawn Zipf (s = 1.1) over a seeded permutation of the
 * 71,704 billable codes (a few head codes, a long tail seen once or never), and mentions two
 * distinctive words of each code's title among 50–150 other words (60 % common clinical words,
 * 40 % random catalogue words, so keyword evidence is noisy as in real notes).
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip, gunzipSync } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

export const ICD10CM = join(import.meta.dirname, '..', '..', 'shared', 'data', 'icd-codes', 'icd10cm_2018.tsv.gz');

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COMMON = ['patient', 'with', 'history', 'of', 'and', 'the', 'presented', 'pain', 'left', 'right', 'acute', 'chronic', 'without', 'complication', 'due', 'to', 'severe', 'mild', 'episode', 'admitted', 'examination', 'reported', 'treatment', 'follow', 'up'];
const STOP = new Set(['of', 'and', 'the', 'with', 'without', 'due', 'to', 'or', 'in', 'unspecified', 'other', 'initial', 'encounter', 'subsequent', 'sequela', 'for', 'by', 'not', 'elsewhere', 'classified', 'specified', 'side', 'left', 'right', 'type']);

export interface Code {
  code: string;
  title: string;
  /** Two distinctive words of the title that a note about the code mentions. */
  words: string[];
}

/** The billable ICD-10-CM codes with their titles (the catalogue file itself is imported as is). */
export function billableCodes(): Code[] {
  const lines = gunzipSync(readFileSync(ICD10CM)).toString('utf8').split('\n');
  const header = lines[0]!.split('\t');
  const at = (name: string): number => header.indexOf(name);
  const out: Code[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split('\t');
    if (f[at('billable')] !== 'True') continue;
    const title = f[at('long_desc')]!;
    const words = [...new Set(title.toLowerCase().match(/[a-z]{4,}/g) ?? [])].filter((w) => !STOP.has(w));
    // Longer words are the more distinctive ones ("brucellosis" over "fever").
    words.sort((a, b) => b.length - a.length || a.localeCompare(b));
    out.push({ code: f[at('code_dotted')]!, title, words: words.slice(0, 2) });
  }
  return out;
}

function zipfSampler(n: number, r: () => number): () => number {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cdf[i] = acc += 1 / (i + 1) ** 1.1;
  return () => {
    const x = r() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  for (const line of lines) if (!out.write(line)) await new Promise<void>((res) => out.once('drain', () => res()));
  await new Promise<void>((res) => out.end(res));
}

/** corpus.jsonl: `{id, text, labels, split}` per line; 20 % train, 5 % dev (both coded), 75 % pool. */
export async function writeCorpus(dir: string, docs: number, codes: readonly Code[]): Promise<string> {
  const r = rng(7);
  const order = Array.from(codes.keys());
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const vocabulary = [...new Set(codes.flatMap((c) => c.words))];
  const sample = zipfSampler(codes.length, r);
  const file = join(dir, 'corpus.jsonl');
  function* lines(): Generator<string> {
    for (let d = 0; d < docs; d++) {
      const split = d % 20 === 0 ? 'dev' : d % 4 === 0 ? 'train' : 'pool';
      const labels = [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => codes[order[sample()]!]!))];
      const words: string[] = [];
      const length = 50 + Math.floor(r() * 100);
      for (let i = 0; i < length; i++) words.push(r() < 0.6 ? COMMON[Math.floor(r() * COMMON.length)]! : vocabulary[Math.floor(r() * vocabulary.length)]!);
      for (const l of labels) for (const w of l.words) words.splice(Math.floor(r() * words.length), 0, w);
      yield `${JSON.stringify({ id: `doc-${d}`, text: words.join(' '), labels: split === 'pool' ? [] : labels.map((l) => l.code), split })}\n`;
    }
  }
  await writeLines(file, lines());
  return file;
}

/**
 * A Label Studio JSON export of about `megabytes` MB that gzips to a small fraction of that (long
 * repeated notes, as a template-heavy EHR export is): the "150 MB from a few hundred KB" case.
 */
export async function writeLabelStudio(dir: string, megabytes: number, codes: readonly Code[]): Promise<{ file: string; tasks: number; bytes: number }> {
  const file = join(dir, 'label-studio.json.gz');
  const note = Array.from({ length: 400 }, (_, i) => COMMON[i % COMMON.length]).join(' ');
  let bytes = 0;
  let tasks = 0;
  const target = megabytes * 1024 * 1024;
  function* parts(): Generator<string> {
    yield '[\n';
    while (bytes < target) {
      const code = codes[tasks % codes.length]!;
      const task = JSON.stringify({ id: tasks + 1, data: { text: `${note} ${code.words.join(' ')} ${tasks}` }, annotations: [{ id: tasks + 1, was_cancelled: false, result: [{ type: 'choices', from_name: 'code', to_name: 'text', value: { choices: [code.code] } }] }] });
      const piece = `${tasks ? ',\n' : ''}${task}`;
      bytes += Buffer.byteLength(piece);
      tasks++;
      yield piece;
    }
    yield '\n]\n';
  }
  await pipeline(Readable.from(parts()), createGzip({ level: 9 }), createWriteStream(file));
  return { file, tasks, bytes };
}
