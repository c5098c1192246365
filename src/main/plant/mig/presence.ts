/**
 * Binary document-level presence (PLANT.md Stage A: x_d[t], y_d[l]) in flat typed arrays.
 * Built once per training set and reused by full and incremental MIG.
 */
import { MASK_ID, PAD_ID, UNK_ID } from '../text/vocabulary';

/**
 * Token ids that never count as present: `<pad>`, `<unk>`, `<mask>`. `<unk>` occurs in almost every
 * document and stands for many different words, so an association with it means nothing.
 * `<num>` (id 3) is a real token under `numbers: 'class'` and is counted.
 */
export const DEFAULT_IGNORED_TOKEN_IDS: readonly number[] = Object.freeze([PAD_ID, UNK_ID, MASK_ID]);

/**
 * The distinct token ids of each document, ascending. `docs[d]` are views into one shared buffer.
 * @param docs per document, token ids in any order, repeats allowed
 */
export function buildTokenPresence(
  docs: readonly ArrayLike<number>[],
  vocabSize: number,
  ignoredTokenIds: readonly number[] = DEFAULT_IGNORED_TOKEN_IDS,
): Int32Array[] {
  // Stamp trick: lastSeen[t] === d + 1 means t was already taken for document d; no clearing needed.
  const lastSeen = new Int32Array(vocabSize);
  for (const t of ignoredTokenIds) if (t >= 0 && t < vocabSize) lastSeen[t] = -1;
  const offsets = new Int32Array(docs.length + 1);
  let capacity = 1024;
  let buffer = new Int32Array(capacity);
  let size = 0;
  for (let d = 0; d < docs.length; d++) {
    const ids = docs[d]!;
    const stamp = d + 1;
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i]!;
      if ((t | 0) !== t || t < 0 || t >= vocabSize) {
        throw new Error(`token presence: document ${d} position ${i} has token id ${t}, outside [0, ${vocabSize})`);
      }
      if (lastSeen[t] === stamp || lastSeen[t] === -1) continue;
      lastSeen[t] = stamp;
      if (size === capacity) {
        capacity *= 2;
        const grown = new Int32Array(capacity);
        grown.set(buffer);
        buffer = grown;
      }
      buffer[size++] = t;
    }
    buffer.subarray(offsets[d]!, size).sort();
    offsets[d + 1] = size;
  }
  const out: Int32Array[] = new Array(docs.length);
  for (let d = 0; d < docs.length; d++) out[d] = buffer.subarray(offsets[d]!, offsets[d + 1]!);
  return out;
}

/** Distinct label ids of one document, ascending; throws on ids outside [0, numLabels). */
export function normalizeLabelSet(labels: ArrayLike<number>, numLabels: number, where: string): Int32Array {
  const out = Int32Array.from(labels);
  for (const l of out) {
    if (!(l >= 0 && l < numLabels)) throw new Error(`${where}: label id ${l} outside [0, ${numLabels})`);
  }
  out.sort();
  let k = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[k++] = out[i]!;
  return out.slice(0, k);
}

/** For each label, the ascending list of documents carrying it (the inverted index of `docLabels`). */
export function invertLabels(docLabels: readonly Int32Array[], numLabels: number): Int32Array[] {
  const counts = new Int32Array(numLabels);
  for (const labels of docLabels) for (const l of labels) counts[l]!++;
  const out: Int32Array[] = new Array(numLabels);
  for (let l = 0; l < numLabels; l++) out[l] = new Int32Array(counts[l]!);
  const fill = new Int32Array(numLabels);
  for (let d = 0; d < docLabels.length; d++) for (const l of docLabels[d]!) out[l]![fill[l]!++] = d;
  return out;
}

/** n_t: number of documents containing each token. */
export function tokenDocumentFrequency(presence: readonly Int32Array[], vocabSize: number): Int32Array {
  const df = new Int32Array(vocabSize);
  for (const tokens of presence) for (const t of tokens) df[t]!++;
  return df;
}
