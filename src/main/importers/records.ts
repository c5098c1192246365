/** One document as every corpus importer hands it to the writer. */
export interface CorpusRecord {
  line: number;
  extId: string;
  text: string;
  split: string;
  metadata: Record<string, unknown>;
  labels: LabelMark[];
}

/** A label on a document: present, or explicitly rejected (Prodigy "reject" answers). */
export interface LabelMark {
  code: string;
  present: boolean;
}

/** One catalogue entry. */
export interface CatalogueRecord {
  line: number;
  code: string;
  title: string;
  synonyms: string[];
  parentCode: string | null;
  kind: 'code' | 'category';
}

export const MAX_CODE_LENGTH = 100;
const SPLIT_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/** Returns why a label code is unusable, or null when it is fine. */
export function codeProblem(code: string): string | null {
  if (code.length === 0) return 'is empty';
  if (code.length > MAX_CODE_LENGTH) return `is longer than ${MAX_CODE_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(code)) return 'contains control characters';
  return null;
}

export function splitProblem(split: string): string | null {
  return SPLIT_PATTERN.test(split) ? null : 'must be a lower-case word such as train, dev, test or pool';
}
