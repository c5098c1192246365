/**
 * Evidence agreement (issue #17): does the model look where a coder looks? Among correct
 * suggestions (a gold label in the model's top k) on documents where a coder marked evidence
 * spans for that label, the share whose model top evidence overlaps at least one of those spans.
 * Ranges are [start, end) in UTF-16 code units of the document text; two ranges overlap when they
 * share at least one character.
 */
export interface Range {
  start: number;
  end: number;
}

export interface EvidenceCase {
  docId: number;
  labelId: number;
  /** The model's top evidence for the label in the document (attended tokens, lexical terms). */
  model: readonly Range[];
  /** The coders' spans for the label in the document (at least one). */
  coder: readonly Range[];
}

export interface EvidenceAgreement {
  /** Correct suggestions with coder spans (the cases). */
  cases: number;
  /** Of them, the ones whose model evidence overlaps a coder span. */
  agreeing: number;
  /** agreeing / cases; null without cases. */
  agreement: number | null;
  /** Cases where the model gave no evidence at all (counted as not agreeing). */
  withoutModelEvidence: number;
}

export const overlaps = (a: Range, b: Range): boolean => a.start < b.end && b.start < a.end;

export function evidenceAgreement(cases: readonly EvidenceCase[]): EvidenceAgreement {
  let agreeing = 0;
  let withoutModelEvidence = 0;
  for (const c of cases) {
    if (c.model.length === 0) withoutModelEvidence++;
    else if (c.model.some((m) => c.coder.some((s) => overlaps(m, s)))) agreeing++;
  }
  return { cases: cases.length, agreeing, agreement: cases.length ? agreeing / cases.length : null, withoutModelEvidence };
}

/**
 * The cases of one document: the gold labels that are in the model's top k and have coder spans.
 * `explain` is asked only for those labels (it runs the model), so a document costs one ranking
 * and, at most, one explanation call.
 */
export async function documentCases(
  docId: number,
  gold: ReadonlySet<number>,
  coderSpans: ReadonlyMap<number, readonly Range[]>,
  topK: readonly number[],
  explain: (labelIds: readonly number[]) => Promise<Map<number, readonly Range[]>>,
): Promise<EvidenceCase[]> {
  const correct = topK.filter((l) => gold.has(l) && (coderSpans.get(l)?.length ?? 0) > 0);
  if (correct.length === 0) return [];
  const evidence = await explain(correct);
  return correct.map((labelId) => ({ docId, labelId, model: evidence.get(labelId) ?? [], coder: coderSpans.get(labelId)! }));
}
