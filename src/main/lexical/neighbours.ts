/**
 * The nearest training documents of a document, by TF-IDF cosine, and the labels they carry: a
 * k-nearest-neighbour vote that the fusion reads beside the linear ranker. A linear model of a label
 * with one or two training documents is weak, but when one of those documents is close to this
 * one the vote says so directly, and it can name labels the tree's beam left out of the shortlist.
 *
 * The index keeps each training document's `keep` heaviest features (bounded memory at hospital
 * scale) as postings by feature; a query walks the postings of its own `queryFeatures` heaviest
 * features. Both cuts drop only small products from the cosine.
 */
import type { Csr, SparseVector } from './sparse';

export interface NeighbourIndex {
  docs: number;
  /** [F + 1] postings of feature f: postStart[f] .. postStart[f + 1). */
  postStart: Float64Array;
  postDoc: Int32Array;
  postValue: Float32Array;
  /** [docs + 1] labels of document d: docLabels[labelStart[d] .. labelStart[d + 1]). */
  labelStart: Int32Array;
  docLabels: Int32Array;
  /** [docs] a hash of each training document's text: a document never votes for itself. */
  docHash?: Int32Array;
  /**
   * [docs] the project's id of each training document (-1 where unknown), so evidence can name
   * the coded documents behind a vote. Absent for corpora from outside a project.
   */
  docId?: Int32Array;
}

export interface NeighbourOptions {
  /** Features kept per training document (its heaviest). */
  keep: number;
}

export interface NeighbourQuery {
  /** Neighbours voting. */
  k: number;
  /** The query's heaviest features walked. */
  queryFeatures: number;
}

export const DEFAULT_NEIGHBOUR_OPTIONS: Readonly<NeighbourOptions> = Object.freeze({ keep: 96 });
export const DEFAULT_NEIGHBOUR_QUERY: Readonly<NeighbourQuery> = Object.freeze({ k: 25, queryFeatures: 64 });

/** Positions of the `n` largest values (ties: lower position first), in ascending position order. */
function heaviest(values: ArrayLike<number>, from: number, to: number, n: number): number[] {
  const idx = Array.from({ length: to - from }, (_, i) => from + i);
  if (idx.length <= n) return idx;
  idx.sort((a, b) => values[b]! - values[a]! || a - b);
  return idx.slice(0, n).sort((a, b) => a - b);
}

export function buildNeighbourIndex(X: Csr, labels: readonly ArrayLike<number>[], o: NeighbourOptions = DEFAULT_NEIGHBOUR_OPTIONS, docHashes?: ArrayLike<number>, docIds?: ArrayLike<number>): NeighbourIndex {
  if (labels.length !== X.rows) throw new Error(`neighbours: ${labels.length} label lists for ${X.rows} documents`);
  const kept: number[][] = [];
  const count = new Float64Array(X.cols + 1);
  for (let d = 0; d < X.rows; d++) {
    const k = heaviest(X.data, X.indptr[d]!, X.indptr[d + 1]!, o.keep);
    kept.push(k);
    for (const p of k) count[X.indices[p]! + 1]!++;
  }
  for (let f = 0; f < X.cols; f++) count[f + 1]! += count[f]!;
  const postStart = Float64Array.from(count);
  const total = postStart[X.cols]!;
  const postDoc = new Int32Array(total);
  const postValue = new Float32Array(total);
  const at = Float64Array.from(postStart);
  kept.forEach((k, d) => {
    for (const p of k) {
      const slot = at[X.indices[p]!]!++;
      postDoc[slot] = d;
      postValue[slot] = X.data[p]!;
    }
  });
  const labelStart = new Int32Array(X.rows + 1);
  labels.forEach((ls, d) => (labelStart[d + 1] = labelStart[d]! + new Set(Array.from(ls)).size));
  const docLabels = new Int32Array(labelStart[X.rows]!);
  labels.forEach((ls, d) => docLabels.set([...new Set(Array.from(ls))], labelStart[d]!));
  if (docHashes && docHashes.length !== X.rows) throw new Error(`neighbours: ${docHashes.length} text hashes for ${X.rows} documents`);
  if (docIds && docIds.length !== X.rows) throw new Error(`neighbours: ${docIds.length} document ids for ${X.rows} documents`);
  return { docs: X.rows, postStart, postDoc, postValue, labelStart, docLabels, ...(docHashes ? { docHash: Int32Array.from(docHashes) } : {}), ...(docIds ? { docId: Int32Array.from(docIds) } : {}) };
}

export interface Neighbours {
  /** Training documents, most similar first. */
  docs: Int32Array;
  sims: Float32Array;
}

export interface NeighbourVotes {
  /** Labels carried by at least one neighbour, best vote first (ties: lower label first). */
  labels: Int32Array;
  /** Σ similarity of the neighbours carrying the label / Σ similarity of all k, in (0, 1]. */
  votes: Float32Array;
}

/** Scratch of one searching thread: a score per training document and the list of those touched. */
export class NeighbourSearch {
  readonly #score: Float32Array;
  readonly #touched: Int32Array;

  constructor(readonly index: NeighbourIndex) {
    this.#score = new Float32Array(index.docs);
    this.#touched = new Int32Array(index.docs);
  }

  /** The k nearest training documents of x; `selfHash`: the text hash of x, whose own copy is skipped. */
  nearest(x: SparseVector, q: NeighbourQuery = DEFAULT_NEIGHBOUR_QUERY, selfHash?: number): Neighbours {
    const ix = this.index;
    const score = this.#score;
    const touched = this.#touched;
    let n = 0;
    const cols = ix.postStart.length - 1;
    for (const j of heaviest(x.values, 0, x.indices.length, q.queryFeatures)) {
      const f = x.indices[j]!;
      if (f >= cols) continue;
      const v = x.values[j]!;
      for (let p = ix.postStart[f]!, end = ix.postStart[f + 1]!; p < end; p++) {
        const d = ix.postDoc[p]!;
        if (score[d] === 0) touched[n++] = d;
        score[d]! += v * ix.postValue[p]!;
      }
    }
    const own = selfHash !== undefined && ix.docHash ? ix.docHash : null;
    const order = Array.from(touched.subarray(0, n)).filter((d) => score[d]! > 0 && (own === null || own[d] !== selfHash));
    order.sort((a, b) => score[b]! - score[a]! || a - b);
    const top = order.slice(0, q.k);
    const out: Neighbours = { docs: Int32Array.from(top), sims: Float32Array.from(top, (d) => score[d]!) };
    for (let i = 0; i < n; i++) score[touched[i]!] = 0;
    return out;
  }

  votes(x: SparseVector, q: NeighbourQuery = DEFAULT_NEIGHBOUR_QUERY, selfHash?: number): NeighbourVotes {
    return votesOf(this.index, this.nearest(x, q, selfHash));
  }
}

/** The labels of the neighbours, each weighted by the similarity of the neighbours carrying it. */
export function votesOf(ix: NeighbourIndex, nb: Neighbours): NeighbourVotes {
  const vote = new Map<number, number>();
  let total = 0;
  nb.docs.forEach((d, i) => {
    const s = nb.sims[i]!;
    total += s;
    for (let p = ix.labelStart[d]!; p < ix.labelStart[d + 1]!; p++) vote.set(ix.docLabels[p]!, (vote.get(ix.docLabels[p]!) ?? 0) + s);
  });
  const entries = [...vote].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { labels: Int32Array.from(entries, (e) => e[0]), votes: Float32Array.from(entries, (e) => (total > 0 ? e[1] / total : 0)) };
}

/** One coded training document behind a vote: its position in the index, project id and similarity. */
export interface SimilarDocument {
  position: number;
  /** The project's document id, where the index has them (-1 entries are skipped to null). */
  docId: number | null;
  /** Its text hash, so a caller can check the document still reads as it did at training. */
  hash: number | null;
  similarity: number;
}

/** The `n` most similar neighbours that carry `label`, most similar first: the evidence of its vote. */
export function neighboursCarrying(ix: NeighbourIndex, nb: Neighbours, label: number, n: number): SimilarDocument[] {
  const out: SimilarDocument[] = [];
  for (let i = 0; i < nb.docs.length && out.length < n; i++) {
    const d = nb.docs[i]!;
    let carries = false;
    for (let p = ix.labelStart[d]!; p < ix.labelStart[d + 1]! && !carries; p++) carries = ix.docLabels[p] === label;
    if (!carries) continue;
    const id = ix.docId ? ix.docId[d]! : -1;
    out.push({ position: d, docId: id >= 0 ? id : null, hash: ix.docHash ? ix.docHash[d]! : null, similarity: nb.sims[i]! });
  }
  return out;
}
