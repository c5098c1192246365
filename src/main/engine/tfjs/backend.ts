import type * as TF from '@tensorflow/tfjs';

/** The tfjs training backend could not be loaded; `message` says why. */
export class TfjsUnavailableError extends Error {
  readonly code = 'tfjs-unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'TfjsUnavailableError';
  }
}

export type TfjsModule = typeof TF;

/**
 * Loads @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (native TensorFlow) for `backend: 'tfjs'`.
 * Only ever imported dynamically: both download libtensorflow at install time, which fails on
 * offline machines; they are optionalDependencies, so their absence is normal.
 * The pure-JS @tensorflow/tfjs CPU backend is refused here: a training step at PLANT's sizes
 * takes ~46 s on it (docs/engine.md), so it serves only as the test oracle.
 */
export async function loadTfjsBackend(): Promise<{ ok: true; tf: TfjsModule; name: string } | { ok: false; reason: string }> {
  const reasons: string[] = [];
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      const mod = (await import(/* @vite-ignore */ name)) as TfjsModule & { default?: TfjsModule };
      return { ok: true, tf: mod.default ?? mod, name };
    } catch (e) {
      reasons.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return {
    ok: false,
    reason: `unavailable: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node could be loaded (${reasons.join('; ')}). ` +
      'Install one (it downloads libtensorflow, so it needs internet access at install time) or use backend "onnx".',
  };
}
