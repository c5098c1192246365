/**
 * The queue's words for the UI: why a document is in the order, and what an order is based on.
 * A label is always named with its title (issue #14 bug 13: codes alone meant nothing to a coder).
 */

const TITLE_CHARS = 70;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** "E11.9 Type 2 diabetes mellitus without complications" (long titles cut with an ellipsis). */
export function labelName(code: string, title: string): string {
  const t = title.trim();
  if (!t) return code;
  return `${code} ${t.length > TITLE_CHARS ? `${t.slice(0, TITLE_CHARS - 1).trimEnd()}…` : t}`;
}

/** A rare-label reason: the label, its training count, and the evidence. */
export function rareReason(code: string, title: string, trainDocs: number, evidence: string): string {
  return `${labelName(code, title)} (${plural(trainDocs, 'train doc')}): ${evidence}`;
}

export function modelScoreText(score: number): string {
  return `model score ${score.toFixed(2)}`;
}

export function uncertaintyReason(code: string, title: string, score: number, threshold: number): string {
  return `${labelName(code, title)} at ${score.toFixed(2)} (threshold ${threshold.toFixed(2)})`;
}

export function scoringNote(modelId: number, done: number, total: number): string {
  return ` Model #${modelId} is scoring ${total.toLocaleString('en')} documents (${Math.round((100 * done) / Math.max(1, total))}%); its scores join when it finishes.`;
}

/** What an unfinished keyword index means for the order on screen. */
export function indexingNote(indexed: number, total: number, phase: string): string {
  if (phase === 'sampling' || phase === 'labels') return ' Preparing the keyword seeds of the catalogue; the order follows as soon as they are ready.';
  return ` So far from ${indexed.toLocaleString('en')} of ${total.toLocaleString('en')} documents (${Math.round((100 * indexed) / Math.max(1, total))}%); the order fills in as the rest is indexed.`;
}

/** A likely label error: "E11.9 Type 2 diabetes…: gold but scored 0.03 vs threshold 0.41; +2 more". */
export function labelErrorReason(flags: readonly { code: string; title: string; text: string }[], shown = 2): string {
  const parts = flags.slice(0, shown).map((f) => `${labelName(f.code, f.title)}: ${f.text}`);
  return flags.length > shown ? `${parts.join('; ')}; +${flags.length - shown} more` : parts.join('; ');
}

/** What the label-errors order is based on. */
export function labelErrorsNote(folds: number, documents: number): string {
  return `training documents whose gold labels disagree with the lexical ranker's out-of-fold predictions (${folds}-fold over ${plural(documents, 'training document')}): a gold label scored far below its label's threshold, or a confident prediction missing from gold; thresholds are each label's mean out-of-fold score on its own documents.`;
}

/** The label-errors order's footnote: a pass under way, or a scope without flagged training documents. */
export function labelErrorsGrow(ranked: number, rerunning: boolean): string {
  const empty = ranked === 0 ? ' No flagged training documents in this split and status: choose split "all" (or "train") and status "all".' : '';
  return `${empty}${rerunning ? ' The training labels changed since: a new pass is running, and the order updates when it finishes.' : ''}`;
}

/** A page from the kept order while a better one ranks. */
export const rerankingNote = ' Ranking again with what is new (the complete keyword index or the model’s scores): the list updates when that is done.';
