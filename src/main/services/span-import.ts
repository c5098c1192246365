import type { SpanImportResult, SpanMismatch } from '../../shared/contract';
import { piecesText, type EvidenceRow } from '../importers/codiesp-spans';
import { codeKey } from '../store/labels-repo';
import type { ProjectStore } from '../store/project-store';
import { SpansRepo, type NewSpan } from '../store/spans-repo';

const LISTED_UNKNOWN_LINES = 20;

/**
 * Stores the evidence rows whose text equals the document's text at their offsets, in one
 * transaction. A row naming a document or code the project lacks is skipped and counted (a
 * CodiEsp-X file has procedure codes a diagnosis project has no labels for); a row whose text
 * differs from the document's is reported with its line and never stored.
 */
export function storeEvidence(store: ProjectStore, rows: readonly EvidenceRow[], file: string): SpanImportResult {
  const labelIds = new Map<string, number>();
  for (const [code, id] of store.labels.idsByCode()) labelIds.set(codeKey(code), id);
  const docs = new Map<string, { id: number; text: string } | null>();
  const docOf = (extId: string): { id: number; text: string } | null => {
    if (!docs.has(extId)) {
      const id = store.documents.idByExtId(extId);
      const row = id === undefined ? undefined : store.documents.get(id);
      docs.set(extId, row ? { id: row.id, text: row.text } : null);
    }
    return docs.get(extId)!;
  };
  const spans: NewSpan[] = [];
  const mismatches: SpanMismatch[] = [];
  let unknownDocuments = 0;
  let unknownCodes = 0;
  const unknownLines: number[] = [];
  for (const row of rows) {
    const doc = docOf(row.extId);
    if (!doc) {
      unknownDocuments++;
      if (unknownLines.length < LISTED_UNKNOWN_LINES) unknownLines.push(row.line);
      continue;
    }
    // The text is checked before the code, so every row of a known document is checked.
    const inside = row.pieces.every((p) => p.end <= doc.text.length);
    const actual = inside ? piecesText(doc.text, row.pieces) : '';
    if (!inside || actual !== row.text) {
      mismatches.push({ line: row.line, extId: row.extId, expected: row.text, actual: inside ? actual : `(offsets past the end of the text, ${doc.text.length} characters)` });
      continue;
    }
    const labelId = labelIds.get(codeKey(row.code));
    if (labelId === undefined) {
      unknownCodes++;
      if (unknownLines.length < LISTED_UNKNOWN_LINES) unknownLines.push(row.line);
      continue;
    }
    for (const p of row.pieces) if (p.end > p.start) spans.push({ docId: doc.id, labelId, start: p.start, end: p.end, text: doc.text.slice(p.start, p.end) });
  }
  const { inserted, duplicates } = new SpansRepo(store.db).insertImported(spans);
  return { file, rows: rows.length, imported: inserted, duplicates, mismatches, unknownDocuments, unknownCodes, unknownLines };
}
