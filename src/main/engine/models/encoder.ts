import type { GraphBuilder } from '../graph/builder';
import { ranked, staticRanked } from '../graph/checked';
import type { Tensor } from '../graph/types';
import * as O from '../ops/index';
import type { ParamSpec } from './params';
import { paramOf } from './params';

/** The token encoder (PLANT Stage 0 backbone): embedding → 1-D conv over time → nonlinearity, pads zeroed. */
export interface EncoderConfig {
  vocab: number;
  dim: number;
  /** Odd kernel width ('same' padding). */
  kernel: number;
  /** 1 or 2 conv layers; the second is residual when `residual`. */
  layers?: number;
  activation?: 'tanh' | 'relu';
  residual?: boolean;
  /**
   * 'im2col': k shifted slices concatenated, one [B·T, k·d]×[k·d, d] MatMul (fastest on ORT CPU:
   * bench/engine.ts measures both); 'conv': ONNX Conv on [B, d, T]. Same parameters, same maths.
   */
  impl?: 'im2col' | 'conv';
}

/** Pad id (masked out everywhere). */
export const PAD_ID = 0;

/** Encoder parameters: `enc.E` [V, d]; per layer `enc.convN.W` [k, d_in, d_out] and `enc.convN.b` [d]. */
export function encoderParams(c: EncoderConfig): ParamSpec[] {
  const specs: ParamSpec[] = [{ name: 'enc.E', shape: [c.vocab, c.dim], init: { kind: 'normal', std: 0.1 } }];
  for (let l = 0; l < (c.layers ?? 1); l++) {
    specs.push({ name: `enc.conv${l}.W`, shape: [c.kernel, c.dim, c.dim], init: { kind: 'glorot', fanIn: c.kernel * c.dim, fanOut: c.dim } });
    specs.push({ name: `enc.conv${l}.b`, shape: [c.dim], init: { kind: 'zeros' } });
  }
  return specs;
}

/** One 'same' conv layer on X [B, T, d] with W [k, d, d] → [B, T, d]. */
/** The one tensor of `xs`, or their concatenation along `axis` (no Concat node for k = 1). */
function concatOrOnly(g: GraphBuilder, xs: Tensor[], axis: number): Tensor {
  const [only, ...rest] = xs;
  return only && rest.length === 0 ? only : O.concat(g, xs, axis);
}

function convLayer(g: GraphBuilder, x: Tensor, w: Tensor, b: Tensor, c: EncoderConfig): Tensor {
  const k = c.kernel;
  const p = (k - 1) / 2;
  const [B, T, d] = ranked(x.shape, 3, 'conv layer input [B, T, d]');
  if (c.impl === 'conv') {
    const wConv = O.transpose(g, w, [2, 1, 0]); // [d_out, d_in, k]
    const y = O.conv(g, O.transpose(g, x, [0, 2, 1]), wConv, b, [p, p]); // [B, d, T]
    return O.transpose(g, y, [0, 2, 1]);
  }
  // im2col: cols[b, t, j·d + i] = Xpad[b, t + j, i]
  const xp = O.pad(g, x, [0, p, 0, 0, p, 0]); // [B, T + k − 1, d]
  const parts = Array.from({ length: k }, (_, j) => O.slice(g, xp, [j], [j === k - 1 ? Infinity : -(k - 1 - j)], [1], [B, T, d]));
  const cols = concatOrOnly(g, parts, 2); // [B, T, k·d]
  const w2 = O.reshape(g, w, [k * c.dim, c.dim]); // [k·d_in, d_out]
  return O.add(g, O.matMul(g, cols, w2), b);
}

/**
 * The first layer's im2col straight from the embedding: cols[b, t, j·d + i] = E[ids[b, t + j − p], i]
 * (0 outside the document), i.e. one Gather of k shifted id planes. This skips the [B, T, d]
 * embedding tensor and the pad/slice/concat passes over it (bench/engine.ts: the encoder is most
 * of the shortlist inference time).
 */
function embedCols(g: GraphBuilder, e: Tensor, tokens: Tensor, mask: Tensor, k: number): Tensor {
  const p = (k - 1) / 2;
  const [B, T] = ranked(tokens.shape, 2, 'token ids [B, T]');
  const [V, d] = staticRanked(e.shape, 2, 'embedding E [V, d]');
  const shifted = (x: Tensor): Tensor => {
    const xp = O.pad(g, x, [0, p, 0, p]); // [B, T + k − 1]
    const planes = Array.from({ length: k }, (_, j) => O.unsqueeze(g, O.slice(g, xp, [j], [j === k - 1 ? Infinity : -(k - 1 - j)], [1], [B, T]), [2]));
    return concatOrOnly(g, planes, 2); // [B, T, k]
  };
  // masked positions read row 0 of E with row 0 forced to zero: the mask costs a pass over the
  // small id planes (and over E, which ORT constant-folds when E is baked in) instead of one over
  // [B, T, k, d]
  const ids = O.where(g, O.greater(g, shifted(mask), g.scalar(0, mask)), shifted(tokens), g.constant([0], 'int64', []));
  const e0 = O.mul(g, e, g.constant(Float32Array.from({ length: V }, (_, i) => (i === 0 ? 0 : 1)), e.dtype, [V, 1]));
  const cols = O.gather(g, e0, ids); // [B, T, k, d]
  const shape = O.concat(g, [O.slice(g, O.shapeOf(g, tokens), [0], [2], [0]), g.ints([k * d])], 0);
  g.shapeHints.set(shape.name, [B, T, k * d]);
  return O.reshape(g, cols, shape);
}

/**
 * H [B, T, d] = encoder(tokens [B, T] int64, mask [B, T] 1/0); rows at pads are exactly 0.
 * `p` maps parameter names to graph tensors.
 */
export function encode(g: GraphBuilder, p: Record<string, Tensor>, tokens: Tensor, mask: Tensor, c: EncoderConfig): Tensor {
  return g.scope('enc', () => {
    const m3 = O.unsqueeze(g, mask, [2]); // [B, T, 1]
    const act = c.activation === 'relu' ? O.relu : O.tanh;
    let h: Tensor;
    if (c.impl === 'conv') h = O.mul(g, O.gather(g, paramOf(p, 'enc.E'), tokens), m3);
    else {
      const w0 = O.reshape(g, paramOf(p, 'enc.conv0.W'), [c.kernel * c.dim, c.dim]);
      h = O.mul(g, act(g, O.add(g, O.matMul(g, embedCols(g, paramOf(p, 'enc.E'), tokens, mask, c.kernel), w0), paramOf(p, 'enc.conv0.b'))), m3);
    }
    for (let l = c.impl === 'conv' ? 0 : 1; l < (c.layers ?? 1); l++) {
      const y = act(g, convLayer(g, h, paramOf(p, `enc.conv${l}.W`), paramOf(p, `enc.conv${l}.b`), c));
      h = O.mul(g, l > 0 && c.residual ? O.add(g, y, h) : y, m3);
    }
    return h;
  });
}

/** Width of poolFeatures' output for encoder width d. */
export const POOLED_FACTOR = 3;

/**
 * Masked mean, max and min over time of H [B, T, d] → [B, 3d]: the shortlist scorer's document
 * vector. With max and min present a linear scorer can express the bound
 * h_t·w ≤ w⁺·max_t h + w⁻·min_t h, besides the uniform-attention estimate w·mean_t h.
 */
export function poolFeatures(g: GraphBuilder, h: Tensor, mask: Tensor): Tensor {
  const m3 = O.unsqueeze(g, mask, [2]);
  const count = O.max(g, O.reduceSum(g, m3, [1], false), g.scalar(1, mask)); // [B, 1]
  const mean = O.div(g, O.reduceSum(g, h, [1], false), count); // [B, d]
  // pads are 0 in H; move them out of the way (±1e9) so they never win the max or the min
  const far = O.mul(g, O.sub(g, m3, g.scalar(1, mask)), g.scalar(1e9, mask)); // [B, T, 1]: 0 or −1e9
  const mx = O.reduceMax(g, O.add(g, h, far), [1], false);
  const mn = O.neg(g, O.reduceMax(g, O.sub(g, far, h), [1], false));
  return O.concat(g, [mean, mx, mn], 1);
}
