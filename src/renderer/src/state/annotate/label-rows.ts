import type { AssignmentSource, DocumentDetail, LabelProvenance, Suggestion } from '../../../../shared/contract';

/** One line of the suggestions panel: a model suggestion, a label on the document, or both. */
export interface LabelRowView {
  labelId: number;
  code: string;
  title: string;
  /** The model's score, when it suggested the label. */
  score: number | null;
  /** The score clears the model's tuned threshold. */
  assigned: boolean;
  trainCount: number | null;
  /** What the document says about the label now. */
  state: 'present' | 'rejected' | 'none';
  source: AssignmentSource | null;
  /** Who set the label, when and how (null when the document does not carry it). */
  provenance: LabelProvenance | null;
  section: 'suggestion' | 'document';
}

/** The panel's rows: the suggestions in the model's order, then the document's other labels. */
export function labelRows(doc: DocumentDetail | null, suggestions: readonly Suggestion[]): LabelRowView[] {
  const byLabel = new Map((doc?.labels ?? []).map((l) => [l.labelId, l]));
  const out: LabelRowView[] = suggestions.map((s) => {
    const l = byLabel.get(s.labelId);
    return {
      labelId: s.labelId,
      code: s.code,
      title: s.title,
      score: s.score,
      assigned: s.assigned,
      trainCount: s.trainCount,
      state: l ? (l.present ? 'present' : 'rejected') : 'none',
      source: l?.source ?? null,
      provenance: l?.provenance ?? null,
      section: 'suggestion',
    };
  });
  const suggested = new Set(suggestions.map((s) => s.labelId));
  for (const l of doc?.labels ?? []) {
    if (suggested.has(l.labelId)) continue;
    out.push({ labelId: l.labelId, code: l.code, title: l.title, score: null, assigned: false, trainCount: null, state: l.present ? 'present' : 'rejected', source: l.source, provenance: l.provenance, section: 'document' });
  }
  return out;
}
