import { AnnotationExportRepo, type ExportMarkRow, type ExportSelection } from '../store/annotation-export-repo';
import type { Db } from '../store/db';
import { NotesRepo } from '../store/notes-repo';
import { AtomicFileWriter } from '../fs/atomic-write';
import type { AnnotationExportFormat } from '../../shared/contract';
import { INTERCHANGE_FORMATS } from './interchange';

export interface AnnotationExportOptions extends ExportSelection {
  format: AnnotationExportFormat;
  /** Anything with `aborted` (an AbortSignal, or a worker's shared flag). */
  signal?: { readonly aborted: boolean };
  onProgress?: (done: number, total: number) => void;
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before them) as a formula:
 * `=HYPERLINK(…)` in a clinical note would run on the coder's machine (CSV injection, OWASP).
 * Such cells get a leading apostrophe, which spreadsheets show as text; JSONL keeps them as they are.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** CSV cells are quoted when they hold a delimiter, quote or line break (RFC 4180). */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A cell of an exported CSV: neutralised for spreadsheets, then quoted. */
export const exportCell = (value: string): string => csvCell(neutraliseFormula(value));

/** The CSV export's first line (the crash suite checks every visible export starts with it). */
export const CSV_HEADER = 'id,split,status,labels,rejected,provenance,text\n';

/** One label's provenance in an export: how it came to be, who decided, the suggestion's score, when. */
export interface ExportProvenance {
  code: string;
  present: boolean;
  how: string;
  who: string | null;
  score: number | null;
  at: string;
}

const provenanceOf = (r: ExportMarkRow): ExportProvenance => ({ code: r.code, present: r.present === 1, how: r.how, who: r.who, score: r.score, at: r.updated_at });

/**
 * Exports documents with their labels in a shape the importers read back unchanged:
 * JSONL `{id, text, split, status, labels, rejected, provenance}` and CSV
 * `id,split,status,labels,rejected,provenance,text` (labels separated by `;`; the rejections are
 * the coder's explicit "not this label" answers, issue #14 bug 9; `provenance` is one entry per
 * label and rejection, issue #17, a JSON array in the CSV cell because names may hold `;`).
 * JSONL adds `spans: [{label, start, end, text}]` (evidence, offsets in UTF-16 code units into
 * `text`) on documents that have spans, and the coder's notes where there are any: `note` for the
 * document's, `labelNotes` {code: text} for its labels'; the CSV carries neither.
 * `prodigy`, `doccano` and `label-studio` write those tools' own formats (exporters/interchange.ts).
 * Written atomically: a failed export leaves no partial file.
 */

/** A document's notes as the JSONL export writes them: only the keys it has. */
function notesOf(notes: NotesRepo, docId: number): { note?: string; labelNotes?: Record<string, string> } {
  const all = notes.ofDocument(docId);
  if (all.length === 0) return {};
  const own = all.find((n) => n.labelId === null);
  const byLabel = all.filter((n) => n.code !== null);
  return {
    ...(own ? { note: own.text } : {}),
    ...(byLabel.length ? { labelNotes: Object.fromEntries(byLabel.map((n) => [n.code!, n.text])) } : {}),
  };
}

export function exportAnnotations(db: Db, target: string, options: AnnotationExportOptions): { documents: number; assignments: number } {
  const repo = new AnnotationExportRepo(db);
  const notes = new NotesRepo(db);
  const selection: ExportSelection = { split: options.split, annotatedOnly: options.annotatedOnly };
  const total = repo.countDocuments(selection);
  const docs = repo.documents(selection);
  const writer = new AtomicFileWriter(target);
  let documents = 0;
  let assignments = 0;
  try {
    const tool = options.format === 'jsonl' || options.format === 'csv' ? null : INTERCHANGE_FORMATS[options.format];
    if (options.format === 'csv') writer.write(CSV_HEADER);
    if (tool) writer.write(tool.head);
    for (const d of docs) {
      if (options.signal?.aborted) throw Object.assign(new Error('export cancelled'), { cancelled: true });
      const rows = repo.marksOf(d.id);
      const labels = rows.filter((r) => r.present === 1).map((r) => r.code);
      const rejected = rows.filter((r) => r.present === 0).map((r) => r.code);
      const provenance = rows.map(provenanceOf);
      assignments += labels.length;
      if (tool) {
        writer.write(tool.document({ extId: d.ext_id, text: d.text, split: d.split, labels, rejected }, documents === 0));
      } else if (options.format === 'jsonl') {
        // Evidence spans (issue #17) only where the document has some, so other lines stay as they were.
        const spans = repo.spansOf(d.id);
        writer.write(`${JSON.stringify({ id: d.ext_id, text: d.text, split: d.split, status: d.status, labels, rejected, provenance, ...(spans.length ? { spans } : {}), ...notesOf(notes, d.id) })}\n`);
      } else {
        writer.write(`${[d.ext_id, d.split, d.status, labels.join(';'), rejected.join(';'), JSON.stringify(provenance), d.text].map(exportCell).join(',')}\n`);
      }
      documents++;
      if (documents % 1000 === 0) options.onProgress?.(documents, total);
    }
    if (tool) writer.write(tool.tail);
    writer.commit();
  } catch (e) {
    writer.abort();
    throw e;
  }
  options.onProgress?.(documents, total);
  return { documents, assignments };
}
