import { buildGradeTable } from '../mig/description-grades';
import type { GradeTable } from '../mig/grades';
import { computeMig, type MigResult } from '../mig/mig';
import { buildTokenPresence } from '../mig/presence';
import type { Vocabulary } from '../text/vocabulary';
import type { PlantCorpus } from './corpus';
import { applySpanGrades, spanTokenCounts } from './span-grades';

export interface GradesResult {
  mig: MigResult;
  table: GradeTable;
  /** How many labels got their grades from MIG, descriptions, a blend, or nothing. */
  sources: Record<'mig' | 'description' | 'blend' | 'none', number>;
  /** Labels whose grades coder spans raised (0 without `spanRelevance` or spans). */
  spanLabels: number;
}

/**
 * Stage A and A' (PLANT.md §2): MIG on the **training documents only**, log-rank grades per label,
 * and description grades for labels with no or few training documents. With `spanRelevance`, the
 * coders' evidence spans on training documents put their tokens at the top of their label's
 * grades (span-grades.ts).
 */
export function computeGrades(corpus: PlantCorpus, trainIds: readonly Int32Array[], vocab: Vocabulary, options: { spanRelevance?: boolean } = {}): GradesResult {
  const presence = buildTokenPresence(trainIds, vocab.size);
  const mig = computeMig({ presence, docLabels: corpus.train.map((d) => Int32Array.from(new Set(d.labels))), vocabSize: vocab.size, numLabels: corpus.labels.length });
  const table = buildGradeTable(mig, { vocab, descriptions: corpus.labels });
  const spanLabels = options.spanRelevance ? applySpanGrades(table, spanTokenCounts(corpus.train, vocab), { tokenDocFreq: mig.tokenDocFreq, numDocs: mig.numDocs }) : 0;
  const sources = { mig: 0, description: 0, blend: 0, none: 0 };
  for (let l = 0; l < table.numLabels; l++) sources[table.source(l)]++;
  return { mig, table, sources, spanLabels };
}

/**
 * The gains of Stage B as a dense matrix [V, L] (token-major, Uint8) the learning-to-rank batches
 * read: grade − floor, so every token at its label's floor has gain 0. That matters: with the raw
 * floor grade 1 as a gain, a list whose tokens are all at the floor has equal gains, yet
 * ApproxNDCG's smooth ranks still reward spreading the scores apart; those lists (most of them)
 * blew the score scale up until the sigmoids saturated, and rare labels' queries ended up ranking
 * "of" and "the" first (measured on CodiEsp). With zero gains such lists have IDCG 0 and are
 * masked out, and what is left is standard NDCG over the relevant tokens.
 * At V = 25k and L = 4k this is 100 MB; labels are written one at a time from the sparse table.
 */
export function denseGrades(table: GradeTable): Uint8Array {
  const V = table.vocabSize;
  const L = table.numLabels;
  const G = new Uint8Array(V * L);
  for (let l = 0; l < L; l++) {
    const g = table.label(l);
    for (let i = 0; i < g.tokens.length; i++) G[g.tokens[i]! * L + l] = g.grades[i]! - g.floor;
  }
  return G;
}
