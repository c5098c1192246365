/**
 * The lexical model's file format, `lexical.bin` (specified in docs/lexical-format.md, with a
 * reference reader in docs/lexical-reader.mjs):
 *
 *   bytes 0–7   magic "PLNTLEX1"
 *   bytes 8–11  uint32 LE: length H of the JSON header
 *   bytes 12…   the header, UTF-8 JSON: { format, version, loss, options, tfidf, tree, arrays }
 *   then        every array of header.arrays, little-endian, each starting at its `offset`
 *               (from the start of the file, a multiple of 8)
 *
 * Arrays are raw typed data: no compression, so a reader maps them straight into typed arrays.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { LinearLoss } from './dcd';
import type { LexicalModel } from './model';
import type { NeighbourIndex } from './neighbours';
import type { RankerLevel } from './ranker';
import type { Csr } from './sparse';
import type { RankerOptions } from './train-ranker';

const MAGIC = 'PLNTLEX1';
export const LEXICAL_FORMAT_VERSION = 1;

type DType = 'f64' | 'f32' | 'i32';
type Typed = Float64Array | Float32Array | Int32Array;
const BYTES: Record<DType, number> = { f64: 8, f32: 4, i32: 4 };
const dtypeOf = (a: Typed): DType => (a instanceof Float64Array ? 'f64' : a instanceof Float32Array ? 'f32' : 'i32');

export interface LexicalHeader {
  format: 'planter-lexical';
  version: number;
  loss: LinearLoss;
  options: RankerOptions;
  tfidf: { vocabSize: number; ngrams: 1 | 2; numDocs: number; features: number };
  /** Nodes per tree level (the last level is the labels). */
  tree: { levels: number[] };
  descriptions: { labels: number };
  arrays: { name: string; dtype: DType; length: number; offset: number }[];
}

export class LexicalFormatError extends Error {
  constructor(file: string, problem: string) {
    super(`lexical model ${file}: ${problem}`);
    this.name = 'LexicalFormatError';
  }
}

function namedArrays(m: LexicalModel): [string, Typed][] {
  const out: [string, Typed][] = [
    ['tfidf.keys', m.tfidf.keys],
    ['tfidf.idf', m.tfidf.idf],
    ['tree.labels', m.ranker.tree.labels],
  ];
  m.ranker.tree.levels.forEach((lv, k) => out.push([`tree.${k}.childStart`, lv.childStart]));
  m.ranker.levels.forEach((lv, k) => {
    for (const key of ['featStart', 'feats', 'entryStart', 'child', 'weight', 'bias'] as const) out.push([`ranker.${k}.${key}`, lv[key]]);
  });
  out.push(['descriptions.indptr', m.descriptions.indptr as Typed], ['descriptions.indices', m.descriptions.indices], ['descriptions.data', m.descriptions.data]);
  if (m.fingerprints) out.push(['labels.fingerprints', m.fingerprints]);
  if (m.neighbours) {
    const nb = m.neighbours;
    out.push(['neighbours.postStart', nb.postStart], ['neighbours.postDoc', nb.postDoc], ['neighbours.postValue', nb.postValue], ['neighbours.labelStart', nb.labelStart], ['neighbours.docLabels', nb.docLabels]);
    if (nb.docHash) out.push(['neighbours.docHash', nb.docHash]);
    if (nb.docId) out.push(['neighbours.docId', nb.docId]);
  }
  return out;
}

/** Serialises a lexical model into one buffer. */
export function encodeLexicalModel(m: LexicalModel): Buffer {
  const arrays = namedArrays(m);
  const entries = arrays.map(([name, a]) => ({ name, dtype: dtypeOf(a), length: a.length, offset: 0 }));
  const header: LexicalHeader = {
    format: 'planter-lexical',
    version: LEXICAL_FORMAT_VERSION,
    loss: m.ranker.loss,
    options: m.options,
    tfidf: { vocabSize: m.tfidf.vocabSize, ngrams: m.tfidf.ngrams, numDocs: m.tfidf.numDocs, features: m.tfidf.keys.length },
    tree: { levels: m.ranker.tree.levels.map((lv) => lv.childStart[lv.childStart.length - 1]!) },
    descriptions: { labels: m.descriptions.rows },
    arrays: entries,
  };
  // Offsets depend on the header's length, which depends on the offsets' digits: iterate to a fixed point.
  let json = '';
  for (let pass = 0; pass < 4; pass++) {
    json = JSON.stringify(header);
    let at = align8(12 + Buffer.byteLength(json));
    entries.forEach((e) => {
      e.offset = at;
      at = align8(at + e.length * BYTES[e.dtype]);
    });
  }
  json = JSON.stringify(header);
  const headerEnd = 12 + Buffer.byteLength(json);
  if (headerEnd > entries[0]!.offset) throw new Error('lexical format: header layout did not settle');
  const last = entries[entries.length - 1]!;
  const buf = Buffer.alloc(align8(last.offset + last.length * BYTES[last.dtype]));
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(Buffer.byteLength(json), 8);
  buf.write(json, 12, 'utf8');
  arrays.forEach(([, a], i) => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    buf.set(bytes, entries[i]!.offset);
  });
  return buf;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

function readArray(buf: Buffer, e: LexicalHeader['arrays'][number], file: string): Typed {
  const end = e.offset + e.length * BYTES[e.dtype];
  if (e.offset % 8 !== 0 || end > buf.length) throw new LexicalFormatError(file, `array ${e.name} lies outside the file (offset ${e.offset}, ${e.length} × ${e.dtype})`);
  const at = buf.byteOffset + e.offset;
  // A file's own Buffer starts its memory, so the 8-aligned arrays can be read in place (a copy of
  // a 190 MB model held the host for ~100 ms); a Buffer at an odd offset of a pooled one is copied.
  if (at % 8 === 0) {
    return e.dtype === 'f64' ? new Float64Array(buf.buffer, at, e.length) : e.dtype === 'f32' ? new Float32Array(buf.buffer, at, e.length) : new Int32Array(buf.buffer, at, e.length);
  }
  const bytes = buf.subarray(e.offset, end);
  const out = e.dtype === 'f64' ? new Float64Array(e.length) : e.dtype === 'f32' ? new Float32Array(e.length) : new Int32Array(e.length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Parses and checks a lexical model file's bytes; `numLabels` is the model's label space size. */
export function decodeLexicalModel(buf: Buffer, numLabels: number, file = 'lexical.bin'): LexicalModel {
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw new LexicalFormatError(file, 'not a Planter lexical model (bad magic)');
  const n = buf.readUInt32LE(8);
  if (12 + n > buf.length) throw new LexicalFormatError(file, 'truncated header');
  let h: LexicalHeader;
  try {
    h = JSON.parse(buf.toString('utf8', 12, 12 + n)) as LexicalHeader;
  } catch (e) {
    throw new LexicalFormatError(file, `header is not JSON (${(e as Error).message})`);
  }
  if (h.format !== 'planter-lexical' || h.version !== LEXICAL_FORMAT_VERSION) throw new LexicalFormatError(file, `unsupported format ${String(h.format)} v${String(h.version)}`);
  const byName = new Map(h.arrays.map((e) => [e.name, e]));
  const get = <T extends Typed>(name: string, dtype: DType, length?: number): T => {
    const e = byName.get(name);
    if (!e) throw new LexicalFormatError(file, `array ${name} is missing`);
    if (e.dtype !== dtype) throw new LexicalFormatError(file, `array ${name} is ${e.dtype}, expected ${dtype}`);
    if (length !== undefined && e.length !== length) throw new LexicalFormatError(file, `array ${name} has ${e.length} entries, expected ${length}`);
    return readArray(buf, e, file) as T;
  };
  const F = h.tfidf.features;
  const K = h.tree.levels.length;
  const treeLabels = get<Int32Array>('tree.labels', 'i32', h.tree.levels[K - 1]);
  if (treeLabels.some((l) => l < 0 || l >= numLabels)) throw new LexicalFormatError(file, `the tree names a label outside the model's ${numLabels}`);
  const levels = h.tree.levels.map((nodes, k) => {
    const cs = get<Int32Array>(`tree.${k}.childStart`, 'i32');
    if (cs[cs.length - 1] !== nodes || (k > 0 && cs.length - 1 !== h.tree.levels[k - 1])) throw new LexicalFormatError(file, `tree level ${k} does not match its parents`);
    return { childStart: cs };
  });
  const rankerLevels: RankerLevel[] = h.tree.levels.map((nodes, k) => {
    const featStart = get<Float64Array>(`ranker.${k}.featStart`, 'f64', levels[k]!.childStart.length);
    const feats = get<Int32Array>(`ranker.${k}.feats`, 'i32');
    const entryStart = get<Float64Array>(`ranker.${k}.entryStart`, 'f64', feats.length + 1);
    const child = get<Int32Array>(`ranker.${k}.child`, 'i32');
    const weight = get<Float32Array>(`ranker.${k}.weight`, 'f32', child.length);
    const bias = get<Float32Array>(`ranker.${k}.bias`, 'f32', nodes);
    if (featStart[featStart.length - 1] !== feats.length || entryStart[feats.length] !== child.length) throw new LexicalFormatError(file, `ranker level ${k} offsets do not match its arrays`);
    if (feats.some((f) => f < 0 || f >= F)) throw new LexicalFormatError(file, `ranker level ${k} names a feature outside the ${F}`);
    return { featStart, feats, entryStart, child, weight, bias };
  });
  const descriptions: Csr = {
    rows: h.descriptions.labels,
    cols: F,
    indptr: get<Float64Array>('descriptions.indptr', 'f64', h.descriptions.labels + 1),
    indices: get<Int32Array>('descriptions.indices', 'i32'),
    data: get<Float32Array>('descriptions.data', 'f32'),
  };
  if (descriptions.rows !== numLabels) throw new LexicalFormatError(file, `descriptions cover ${descriptions.rows} labels, the model has ${numLabels}`);
  const neighbours = byName.has('neighbours.postStart') ? readNeighbours(get, (name) => byName.has(name), F, numLabels, file) : null;
  return {
    ...(neighbours ? { neighbours } : {}),
    ...(byName.has('labels.fingerprints') ? { fingerprints: get<Int32Array>('labels.fingerprints', 'i32', numLabels) } : {}),
    tfidf: { vocabSize: h.tfidf.vocabSize, ngrams: h.tfidf.ngrams, keys: get<Float64Array>('tfidf.keys', 'f64', F), idf: get<Float32Array>('tfidf.idf', 'f32', F), numDocs: h.tfidf.numDocs },
    ranker: { tree: { levels, labels: treeLabels }, levels: rankerLevels, loss: h.loss },
    descriptions,
    // models written before matcher-aware negatives existed were trained without them
    options: { ...h.options, matcherBeam: h.options.matcherBeam ?? 0 },
  };
}

type ArrayGetter = <T extends Typed>(name: string, dtype: DType, length?: number) => T;

/** The optional neighbour index (neighbours.ts): postings by feature, each training document's labels. */
function readNeighbours(get: ArrayGetter, has: (name: string) => boolean, F: number, numLabels: number, file: string): NeighbourIndex {
  const postStart = get<Float64Array>('neighbours.postStart', 'f64', F + 1);
  const postDoc = get<Int32Array>('neighbours.postDoc', 'i32');
  const postValue = get<Float32Array>('neighbours.postValue', 'f32', postDoc.length);
  const labelStart = get<Int32Array>('neighbours.labelStart', 'i32');
  const docs = labelStart.length - 1;
  if (docs < 0 || postStart[F] !== postDoc.length) throw new LexicalFormatError(file, 'neighbour postings do not match their arrays');
  const docLabels = get<Int32Array>('neighbours.docLabels', 'i32', labelStart[docs]);
  if (postDoc.some((d) => d < 0 || d >= docs)) throw new LexicalFormatError(file, `a neighbour posting names a document outside the ${docs}`);
  if (docLabels.some((l) => l < 0 || l >= numLabels)) throw new LexicalFormatError(file, `a neighbour names a label outside the model's ${numLabels}`);
  return {
    docs,
    postStart,
    postDoc,
    postValue,
    labelStart,
    docLabels,
    ...(has('neighbours.docHash') ? { docHash: get<Int32Array>('neighbours.docHash', 'i32', docs) } : {}),
    ...(has('neighbours.docId') ? { docId: get<Int32Array>('neighbours.docId', 'i32', docs) } : {}),
  };
}

export function readLexicalModel(file: string, numLabels: number): LexicalModel {
  return decodeLexicalModel(readFileSync(file), numLabels, file);
}

/** readLexicalModel without holding the thread while the file is read (the host loads models). */
export async function readLexicalModelAsync(file: string, numLabels: number): Promise<LexicalModel> {
  return decodeLexicalModel(await readFile(file), numLabels, file);
}
