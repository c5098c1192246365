import { Rng } from '../../engine/rng';

export interface CoveringSampleOptions {
  /** Each label with training documents gets up to this many of its own documents in the sample. */
  perLabel: number;
  /** The sample is filled at random up to this size once the labels are covered. */
  minDocs: number;
  /** Covering stops here, so a catalogue of many rare labels cannot make the stage unbounded. */
  maxDocs: number;
  seed: number;
}

/**
 * Chooses Stage B's training documents so that the rare labels are in it. A plain random sample
 * of a large corpus misses them: at 45,000 EURLEX57K documents, 1,200 random ones gave 30 of the
 * 230 evaluated 1–5-document labels any list, so their planted attention stayed at its random
 * start and PLANT fell behind LANT on exactly the labels planting is for. Labels are visited
 * rarest first, each taking its own documents (in a seeded order) until it has `perLabel` of
 * them; documents taken for one label count for every label they carry. Then a seeded random
 * fill tops the sample up to `minDocs`.
 *
 * @returns indices into `labelsOfDoc`, ascending
 */
export function coveringSample(labelsOfDoc: readonly (readonly number[])[], numLabels: number, o: CoveringSampleOptions): number[] {
  const order = Array.from(labelsOfDoc, (_, i) => i);
  new Rng(o.seed).shuffle(order);
  const docsOf: number[][] = Array.from({ length: numLabels }, () => []);
  for (const d of order) for (const l of new Set(labelsOfDoc[d]!)) docsOf[l]!.push(d);
  const chosen = new Set<number>();
  const have = new Int32Array(numLabels);
  const take = (d: number): void => {
    chosen.add(d);
    for (const l of new Set(labelsOfDoc[d]!)) have[l]!++;
  };
  const rarestFirst = docsOf.flatMap((ds, l) => (ds.length > 0 ? [l] : [])).sort((a, b) => docsOf[a]!.length - docsOf[b]!.length || a - b);
  for (const l of rarestFirst) {
    for (const d of docsOf[l]!) {
      if (have[l]! >= o.perLabel || chosen.size >= o.maxDocs) break;
      if (!chosen.has(d)) take(d);
    }
  }
  for (const d of order) {
    if (chosen.size >= Math.min(o.minDocs, o.maxDocs)) break;
    if (!chosen.has(d)) take(d);
  }
  return [...chosen].sort((a, b) => a - b);
}
