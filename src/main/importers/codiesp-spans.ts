import { badFile, readLines } from './read-lines';

/** One piece of an evidence: `start`–`end` (end exclusive) into the document's original text. */
export interface SpanPiece {
  start: number;
  end: number;
}

/** One row of a CodiEsp-X file: `doc \t type \t code \t text \t offsets`. */
export interface EvidenceRow {
  line: number;
  extId: string;
  /** DIAGNOSTICO or PROCEDIMIENTO. */
  type: string;
  code: string;
  text: string;
  pieces: SpanPiece[];
}

const FIELDS = ['doc', 'type', 'code', 'text', 'offsets'] as const;

/**
 * Parses CodiEsp's offsets field: "start end" pieces separated by ";" ("2787 2801;2810 2823"), in
 * the order the coder read them (not always left to right). A piece may be empty ("1320 1320":
 * four rows of the gold files have one, and their text then has two spaces there); it is kept so
 * the text check sees the file's text, and never stored. Returns null when the field is malformed.
 */
export function parseOffsets(field: string): SpanPiece[] | null {
  const pieces: SpanPiece[] = [];
  for (const part of field.split(';')) {
    const m = /^\s*(\d{1,9})\s+(\d{1,9})\s*$/.exec(part);
    if (!m) return null;
    const start = Number(m[1]);
    const end = Number(m[2]);
    if (end < start) return null;
    pieces.push({ start, end });
  }
  return pieces;
}

/**
 * The text a discontinuous evidence reads as: its pieces joined by one space, in the file's order
 * (CodiEsp writes "Estreptomicina intramuscular" for "2787 2801;2810 2823").
 */
export function piecesText(docText: string, pieces: readonly SpanPiece[]): string {
  return pieces.map((p) => docText.slice(p.start, p.end)).join(' ');
}

/** Parses one line; throws a `bad-file` error naming the file, line and field. */
export function parseEvidenceLine(text: string, line: number, file: string): EvidenceRow {
  const parts = text.split('\t');
  if (parts.length !== FIELDS.length) throw badFile(file, line, `expected ${FIELDS.length} tab-separated fields (${FIELDS.join(', ')}), found ${parts.length}`);
  const [extId, type, code, evidence, offsets] = parts as [string, string, string, string, string];
  for (const [i, value] of [extId, type, code, evidence].entries()) if (!value.trim()) throw badFile(file, line, 'is empty', FIELDS[i]);
  const pieces = parseOffsets(offsets);
  if (!pieces) throw badFile(file, line, `must be "start end" pairs separated by ";" with end not before start, found "${offsets}"`, 'offsets');
  return { line, extId: extId.trim(), type: type.trim(), code: code.trim(), text: evidence, pieces };
}

/** Every evidence row of a CodiEsp-X TSV (plain or .gz); blank lines are skipped. */
export async function readEvidenceFile(file: string, displayName: string, signal?: AbortSignal): Promise<EvidenceRow[]> {
  const rows: EvidenceRow[] = [];
  for await (const l of readLines(file, { displayName, ...(signal ? { signal } : {}) })) {
    if (!l.text.trim()) continue;
    rows.push(parseEvidenceLine(l.text, l.line, displayName));
  }
  return rows;
}
