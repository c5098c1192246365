/**
 * Which documents are training data, in one place. The imported `train` split is, and so is every
 * document an annotator finished (`status = 'done'`) outside the evaluation splits: that is how
 * annotated pool documents reach the few-shot loop. Evaluation splits (`dev`, `test`) never are,
 * whatever their status, so annotating them cannot leak into training.
 */
export const EVALUATION_SPLITS = ['dev', 'test'] as const;

/** SQL predicate over a `documents` alias. */
export function trainingDocsWhere(alias = 'd'): string {
  return `(${alias}.split = 'train' OR (${alias}.status = 'done' AND ${alias}.split NOT IN ('dev', 'test')))`;
}
