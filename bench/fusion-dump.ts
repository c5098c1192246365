// The fusion stage's inputs of one quality run (PLANTER_FUSION_DUMP), written by quality-planter.ts
// and read by the offline experiments in bench/experiments, which refit the fusion in seconds.
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { FusionModel } from '../src/main/fusion/fusion';
import type { Candidates } from '../src/main/lexical/model';

export interface FusionDumpHalf {
  candidates: readonly Candidates[];
  /** The attention logit of each candidate, per document. */
  attention: readonly Float32Array[];
  gold: readonly (readonly number[])[];
}

export interface FusionDump {
  numLabels: number;
  trainFreq: ArrayLike<number>;
  numTrainDocs: number;
  /** The fused model's fusion as the run fitted it, and the lexical model's own. */
  fusion: FusionModel;
  lexicalFusion: FusionModel | null;
  tuning: FusionDumpHalf;
  evaluation: FusionDumpHalf;
}

export function writeFusionDump(file: string, dump: FusionDump): void {
  writeFileSync(file, serialize(dump));
}

export function readFusionDump(file: string): FusionDump {
  return deserialize(readFileSync(file)) as FusionDump;
}
