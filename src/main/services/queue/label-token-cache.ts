/**
 * The catalogue's description tokens, kept between processes: tokenising 94,000 ICD-10-CM titles
 * and synonyms is 0.6 s of the ~1.25 s a cold process spends before its first rare-first page can
 * be ranked (issue #15). The tokens depend only on the labels' texts and the tokenizer, so they
 * are written once per catalogue and read back by the next process.
 *
 * Valid only for the same labels in the same order with the same texts (a SHA-1 over ids, titles
 * and synonyms) and the same tokenizer (its output on a probe text): anything else is a miss, and
 * the labels are tokenised again. A damaged or truncated file is a miss too, never an error.
 *
 * Layout (little-endian): u32 header length, the header as UTF-8 JSON
 * `{ version, catalogue, tokenizer, labels, pairs, words }`, zero padding to a multiple of 8, then
 * Float64 field weights [pairs] (exact: seeds weigh them), Int32 starts [labels + 1], Int32 word
 * indices [pairs].
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tokenize } from '../../plant/text/tokenizer';
import { PRIVATE_FILE_MODE, privateDir } from '../../store/private-files';
import type { LabelTokenStore } from './keyword-build';
import type { LabelDescription } from './label-seeds';

const VERSION = 2;
/** Numbers, accents, a dotted capital, punctuation: what a tokenizer change would most likely move. */
const PROBE = 'Regulation (EEC) No 1408/71 — Ünïcödé İstanbul; type-2 diabetes, E11.9 & 3.5 mg/dl';

/** What a label's description tokenised to: per label, its words (indices into `words`) and their field weight. */
export interface LabelTokens {
  words: string[];
  starts: Int32Array;
  wordIndex: Int32Array;
  fields: Float64Array;
}

/** Fingerprint of the labels a cache is valid for (order, ids and texts), fed a batch at a time. */
export class CatalogueFingerprint {
  readonly #hash = createHash('sha1');

  add(labels: readonly LabelDescription[]): void {
    for (const l of labels) this.#hash.update(`${l.id}\u0001${l.title}\u0001${l.synonyms}\u0002`);
  }

  digest(): string {
    return this.#hash.digest('hex');
  }
}

export function tokenizerFingerprint(): string {
  return tokenize(PROBE).join(' ');
}

export function encodeLabelTokens(catalogue: string, tokens: LabelTokens): Buffer {
  const labels = tokens.starts.length - 1;
  const pairs = tokens.wordIndex.length;
  const header = Buffer.from(JSON.stringify({ version: VERSION, catalogue, tokenizer: tokenizerFingerprint(), labels, pairs, words: tokens.words }), 'utf8');
  const body = bodyStart(header.length);
  const bytes = new ArrayBuffer(body + 8 * pairs + 4 * (labels + 1) + 4 * pairs);
  const out = Buffer.from(bytes);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  new Float64Array(bytes, body, pairs).set(tokens.fields);
  new Int32Array(bytes, body + 8 * pairs, labels + 1).set(tokens.starts);
  new Int32Array(bytes, body + 8 * pairs + 4 * (labels + 1), pairs).set(tokens.wordIndex);
  return out;
}

/** Where the arrays start: after the length and the header, padded to 8 for the Float64 weights. */
const bodyStart = (headerLength: number): number => Math.ceil((4 + headerLength) / 8) * 8;

/** The cached tokens when `buf` holds them for this catalogue and tokenizer; null otherwise (a miss). */
export function decodeLabelTokens(buf: Uint8Array, catalogue: string, labels: number): LabelTokens | null {
  try {
    const data = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (data.length < 4) return null;
    const headerLength = data.readUInt32LE(0);
    if (4 + headerLength > data.length) return null;
    const header = JSON.parse(data.toString('utf8', 4, 4 + headerLength)) as { version?: unknown; catalogue?: unknown; tokenizer?: unknown; labels?: unknown; pairs?: unknown; words?: unknown };
    if (header.version !== VERSION || header.catalogue !== catalogue || header.tokenizer !== tokenizerFingerprint() || header.labels !== labels) return null;
    const pairs = header.pairs;
    const words = header.words;
    if (typeof pairs !== 'number' || !Number.isInteger(pairs) || pairs < 0 || !Array.isArray(words) || !words.every((w) => typeof w === 'string')) return null;
    const body = bodyStart(headerLength);
    if (data.length !== body + 8 * pairs + 4 * (labels + 1) + 4 * pairs) return null;
    // Copies into fresh (aligned) buffers: the file's buffer is not kept alive by the seeds.
    const copy = (from: number, bytes: number): ArrayBuffer => data.buffer.slice(data.byteOffset + from, data.byteOffset + from + bytes) as ArrayBuffer;
    const fields = new Float64Array(copy(body, 8 * pairs));
    const starts = new Int32Array(copy(body + 8 * pairs, 4 * (labels + 1)));
    const wordIndex = new Int32Array(copy(body + 8 * pairs + 4 * (labels + 1), 4 * pairs));
    if (starts[0] !== 0 || starts[labels] !== pairs) return null;
    for (let l = 0; l < labels; l++) if (starts[l + 1]! < starts[l]!) return null;
    for (let p = 0; p < pairs; p++) if (wordIndex[p]! < 0 || wordIndex[p]! >= words.length) return null;
    return { words: words as string[], starts, wordIndex, fields };
  } catch {
    return null;
  }
}

/**
 * The cache as a private file in the project folder. Reading is one small synchronous read (the
 * build runs in time slices on the host); writing is asynchronous, to a temp file renamed into
 * place, so a reader sees the old file or the new one. The write's promise never rejects, and the
 * build's job waits for it, so closing the services never leaves a write running into a removed
 * folder. Failures are misses: the labels are tokenised again next time.
 */
export function fileLabelTokenStore(file: string): LabelTokenStore {
  return {
    read: () => {
      try {
        return readFileSync(file);
      } catch {
        return null;
      }
    },
    write: async (data) => {
      // Named like every temp of a project, so a process killed mid-write leaves nothing for long (store/temp-files.ts).
      const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        privateDir(dirname(file));
        await writeFile(tmp, data, { mode: PRIVATE_FILE_MODE });
        await rename(tmp, file);
      } catch (e) {
        await rm(tmp, { force: true }).catch(() => undefined);
        console.warn(`keyword index: could not keep the catalogue's tokens in ${file}: ${(e as Error).message}`);
      }
    },
  };
}
