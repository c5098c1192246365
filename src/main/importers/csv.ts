import { badFile, type Line } from './read-lines';

export interface CsvRecord {
  /** Line on which the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
}

export type Delimiter = ',' | '\t' | ';';

/** Picks the delimiter from the header line: the most frequent of tab, comma and semicolon outside quotes. */
export function sniffDelimiter(header: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === '\t' || ch === ';')) counts[ch]++;
  }
  const best = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] === 0 ? ',' : best[0];
}

/**
 * RFC 4180 records from a line stream: quoted fields may hold delimiters, doubled quotes and line
 * breaks. Tab-separated files follow the IANA TSV rule instead (no quoting at all), which is how
 * the ICD code tables are written: a title containing a quote must not swallow the next lines.
 */
export async function* csvRecords(lines: AsyncIterable<Line>, file: string, delimiter?: Delimiter): AsyncGenerator<CsvRecord> {
  let delim: Delimiter | undefined = delimiter;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let startLine = 0;
  let inRecord = false;
  let lineBreak = '\n';
  for await (const { line, text, crlf } of lines) {
    if (delim === undefined) {
      if (text.length === 0) continue; // a blank line says nothing about the delimiter
      delim = sniffDelimiter(text);
    }
    if (delim === '\t') {
      if (text.length === 0) continue;
      yield { line, fields: text.split('\t') };
      continue;
    }
    if (!inRecord) {
      if (text.length === 0) continue; // blank lines between records are ignored
      inRecord = true;
      startLine = line;
      fields = [];
      field = '';
      afterQuote = false;
    } else {
      field += lineBreak; // the line break (LF or CRLF, as written) belonged to a quoted field
    }
    lineBreak = crlf ? '\r\n' : '\n';
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else field += ch;
      } else if (ch === delim) {
        fields.push(field);
        field = '';
        afterQuote = false;
      } else if (ch === '"' && field.length === 0 && !afterQuote) {
        quoted = true;
      } else if (afterQuote) {
        throw badFile(file, line, `unexpected character ${JSON.stringify(ch)} after a closing quote in field ${fields.length + 1}`);
      } else field += ch;
    }
    if (!quoted) {
      fields.push(field);
      inRecord = false;
      yield { line: startLine, fields };
    }
  }
  if (quoted) throw badFile(file, startLine, 'a quoted field starting on this line is never closed (the file ends inside it)');
}

/** Maps a header row to column indexes, rejecting duplicate or empty column names. */
export function headerIndex(header: CsvRecord, file: string): Map<string, number> {
  const index = new Map<string, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim();
    if (!name) throw badFile(file, header.line, `column ${i + 1} of the header has no name`);
    if (index.has(name)) throw badFile(file, header.line, `column "${name}" appears twice in the header`);
    index.set(name, i);
  });
  return index;
}
