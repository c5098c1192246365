/** A tensor as plain data: what trainers and predictors take and return (posted to workers as is). */
export interface TensorData {
  data: Float32Array | BigInt64Array;
  dims: number[];
}

/** One training/evaluation batch: graph input name → tensor (see docs/engine.md for each model's names). */
export type Batch = Record<string, TensorData>;
