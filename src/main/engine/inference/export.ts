import type { ClassifierConfig } from '../models/classifier';
import { checkParams, paramOf } from '../models/params';
import type { Params } from '../models/params';
import { serialize } from '../onnx/serialize';
import { buildInferenceGraph, inferenceParamSpecs } from './graphs';
import type { InferenceGraphOptions, InferenceMode } from './graphs';

/**
 * A standalone ONNX model of the trained classifier: parameters baked in as initializers, so the
 * file runs in onnxruntime-node and onnxruntime-web with no other input than `token_ids` and
 * `mask` (plus `label_ids` for 'explain'). Metadata records the mode and sizes.
 * @example writeFileSync('model.onnx', exportClassifier(config, params, 'exact'))
 */
export function exportClassifier(config: ClassifierConfig, params: Params, mode: InferenceMode = 'exact', o: InferenceGraphOptions = {}): Uint8Array {
  const specs = inferenceParamSpecs(config, mode);
  checkParams(specs, params);
  const g = buildInferenceGraph(config, mode, o);
  const bake = new Map(specs.map((s) => [s.name, paramOf(params, s.name)]));
  return serialize(g, {
    bake,
    graphName: `planter-classifier-${mode}`,
    metadata: {
      'planter.mode': mode,
      'planter.labels': String(config.labels),
      'planter.vocab': String(config.encoder.vocab),
      'planter.dim': String(config.encoder.dim),
      'planter.candidates': String(o.candidates ?? 64),
      'planter.evidence_k': String(o.evidenceK ?? 5),
      'planter.pad_id': '0',
    },
  });
}
