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
