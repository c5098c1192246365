/**
 * Compressed sparse rows on typed arrays: the lexical ranker's document matrix X [N, F] and its
 * weight matrices. Row r holds columns `indices[indptr[r] .. indptr[r + 1])` (ascending) with values
 * `data[…]`. The arrays may live in SharedArrayBuffers so worker threads read X without a copy.
 */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  /** [rows + 1] offsets into indices/data. */
  readonly indptr: Int32Array | Float64Array;
  /** [nnz] column of each stored value, ascending within a row. */
  readonly indices: Int32Array;
  /** [nnz] the stored values. */
  readonly data: Float32Array;
}

/** One sparse vector: ascending indices and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export const nnzOf = (m: Csr): number => m.indptr[m.rows]!;

export function rowOf(m: Csr, r: number): SparseVector {
  const a = m.indptr[r]!;
  const b = m.indptr[r + 1]!;
  return { indices: m.indices.subarray(a, b), values: m.data.subarray(a, b) };
}

/** Σ w[j]·x[j] over the stored entries of row r. */
export function rowDot(m: Csr, r: number, w: Float64Array | Float32Array): number {
  const { indices, data } = m;
  let s = 0;
  for (let k = m.indptr[r]!, end = m.indptr[r + 1]!; k < end; k++) s += w[indices[k]!]! * data[k]!;
  return s;
}

/** w += a·x_r (dense w). */
export function rowAxpy(m: Csr, r: number, a: number, w: Float64Array): void {
  const { indices, data } = m;
  for (let k = m.indptr[r]!, end = m.indptr[r + 1]!; k < end; k++) w[indices[k]!]! += a * data[k]!;
}

/** ‖x_r‖². */
export function rowSquaredNorm(m: Csr, r: number): number {
  let s = 0;
  for (let k = m.indptr[r]!, end = m.indptr[r + 1]!; k < end; k++) s += m.data[k]! * m.data[k]!;
  return s;
}

/** Allocates typed arrays in shared memory when asked (so workers can read them in place). */
export function allocInt32(n: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n) : new Int32Array(n);
}
export function allocFloat32(n: number, shared: boolean): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n) : new Float32Array(n);
}

/**
 * Accumulates rows one at a time into growing buffers, then freezes them into a Csr (copied into
 * shared memory when asked). Rows must be given with ascending, distinct column indices.
 */
export class CsrBuilder {
  #indptr: number[] = [0];
  #indices = new Int32Array(1024);
  #data = new Float32Array(1024);
  #nnz = 0;
  constructor(readonly cols: number) {}

  get rows(): number {
    return this.#indptr.length - 1;
  }

  push(indices: ArrayLike<number>, values: ArrayLike<number>): void {
    const n = indices.length;
    if (this.#nnz + n > this.#indices.length) {
      let cap = this.#indices.length;
      while (cap < this.#nnz + n) cap *= 2;
      const i2 = new Int32Array(cap);
      i2.set(this.#indices.subarray(0, this.#nnz));
      const d2 = new Float32Array(cap);
      d2.set(this.#data.subarray(0, this.#nnz));
      this.#indices = i2;
      this.#data = d2;
    }
    for (let k = 0; k < n; k++) {
      this.#indices[this.#nnz + k] = indices[k]!;
      this.#data[this.#nnz + k] = values[k]!;
    }
    this.#nnz += n;
    this.#indptr.push(this.#nnz);
  }

  build(shared = false): Csr {
    const indices = allocInt32(this.#nnz, shared);
    indices.set(this.#indices.subarray(0, this.#nnz));
    const data = allocFloat32(this.#nnz, shared);
    data.set(this.#data.subarray(0, this.#nnz));
    const indptr = shared ? new Float64Array(new SharedArrayBuffer(this.#indptr.length * 8)) : new Float64Array(this.#indptr.length);
    indptr.set(this.#indptr);
    return { rows: this.rows, cols: this.cols, indptr, indices, data };
  }
}

/** The rows `rows` of m, in that order, as a new Csr. */
export function selectRows(m: Csr, rows: ArrayLike<number>): Csr {
  const b = new CsrBuilder(m.cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rowOf(m, rows[i]!);
    b.push(r.indices, r.values);
  }
  return b.build();
}

/** Scales each row to unit L2 norm in place (empty rows stay empty). */
export function normalizeRows(m: Csr): void {
  for (let r = 0; r < m.rows; r++) {
    const n = Math.sqrt(rowSquaredNorm(m, r));
    if (n > 0) for (let k = m.indptr[r]!, end = m.indptr[r + 1]!; k < end; k++) m.data[k]! /= n;
  }
}

/** Sparse dot product of two sorted sparse vectors (merge). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i]!;
    const y = b.indices[j]!;
    if (x === y) s += a.values[i++]! * b.values[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/** Mᵀ as CSR (i.e. M in compressed sparse columns). */
export function transpose(m: Csr): Csr {
  const counts = new Float64Array(m.cols + 1);
  const nnz = nnzOf(m);
  for (let k = 0; k < nnz; k++) counts[m.indices[k]! + 1]!++;
  for (let c = 0; c < m.cols; c++) counts[c + 1]! += counts[c]!;
  const indptr = Float64Array.from(counts);
  const fill = Float64Array.from(counts);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]!, end = m.indptr[r + 1]!; k < end; k++) {
      const p = fill[m.indices[k]!]!++;
      indices[p] = r;
      data[p] = m.data[k]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, data };
}
