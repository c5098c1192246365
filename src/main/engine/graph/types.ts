/**
 * Tensor handles and shapes of the graph builder. Shapes are static ranks with dims that are
 * numbers or symbols (`'B'`, `'T'`; a symbol starting with `?` is an unknown dim). Ranks must be
 * known because gradient rules reduce over broadcast axes at build time (ONNX has no
 * "reduce to shape" op).
 */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';
export type Dim = number | string;
export type Shape = readonly Dim[];

/** A value in a graph: an input, a constant/initializer or a node output. */
export interface Tensor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
}

/**
 * Attribute values: a plain number is an ONNX INT, `{ f }` a FLOAT, `number[]` INTS, `{ fs }` FLOATS,
 * `{ t }` a one-tensor attribute (ConstantOfShape's value).
 */
export type AttrValue =
  | number
  | string
  | readonly number[]
  | { readonly f: number }
  | { readonly fs: readonly number[] }
  | { readonly t: { readonly dtype: DType; readonly values: readonly number[] } };
export type Attrs = Record<string, AttrValue>;

/** Thrown for programming errors in the engine (a missing gradient rule, a shape mismatch). */
export class BugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugError';
  }
}

export const isFloat = (dtype: DType): boolean => dtype === 'float32' || dtype === 'float64';

let unknownCounter = 0;
/** A fresh symbolic dim for a size the builder cannot infer (e.g. Reshape with -1 over symbols). */
export function unknownDim(): string {
  unknownCounter += 1;
  return `?${unknownCounter}`;
}

export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Numpy broadcasting over possibly symbolic dims; a symbol meeting a number ≠ 1 is taken as equal to it. */
export function broadcastShapes(...shapes: Shape[]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i];
      if (d === undefined || d === 1) continue;
      if (dim === 1) dim = d;
      else if (typeof dim === 'number' && typeof d === 'number' && dim !== d) {
        throw new BugError(`cannot broadcast shapes ${shapes.map((x) => `[${x.join(',')}]`).join(' and ')}`);
      } else if (typeof dim === 'string' && typeof d === 'number') dim = d;
    }
    out.push(dim);
  }
  return out;
}

/** Axes of `out` that were created or stretched by broadcasting `inShape` (right-aligned). */
export function broadcastAxes(inShape: Shape, outShape: Shape): number[] {
  const axes: number[] = [];
  const lead = outShape.length - inShape.length;
  for (let i = 0; i < outShape.length; i++) {
    if (i < lead) axes.push(i);
    else if (inShape[i - lead] === 1 && outShape[i] !== 1) axes.push(i);
  }
  return axes;
}

/** `shape[axis]` (a negative axis counts from the end), or a BugError naming `what` when the rank is too small. */
export function dimAt(shape: Shape, axis: number, what: string): Dim {
  const d = shape[axis < 0 ? axis + shape.length : axis];
  if (d === undefined) throw new BugError(`${what}: no axis ${axis} in shape [${shape.join(',')}]`);
  return d;
}

export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new BugError(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** ONNX TensorProto.DataType codes. */
export const DTYPE_CODE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };
export const dtypeFromCode = (code: number): DType => {
  const hit = (Object.keys(DTYPE_CODE) as DType[]).find((k) => DTYPE_CODE[k] === code);
  if (!hit) throw new BugError(`unsupported ONNX dtype code ${code}`);
  return hit;
};
