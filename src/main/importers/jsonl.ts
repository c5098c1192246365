import { badFile, type Line } from './read-lines';

export interface JsonLine {
  line: number;
  value: Record<string, unknown>;
}

/** Turns V8's "at position N" into a column, so a JSON error can say where in the line it is. */
export function jsonErrorHint(message: string, text: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return message.replace(/^JSON\.parse: /, '');
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at ${text.includes('\n') ? `line ${line}, ` : ''}column ${col}`;
}

/**
 * Parses JSON Lines: every non-blank line must be one JSON object. A file without any is refused,
 * unless `allowEmpty` (a tool's export of an empty project is an empty file).
 */
export async function* jsonlObjects(lines: AsyncIterable<Line>, file: string, options: { allowEmpty?: boolean } = {}): AsyncGenerator<JsonLine> {
  let any = false;
  for await (const { line, text } of lines) {
    if (text.trim().length === 0) continue;
    const first = !any;
    any = true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      // A pretty-printed JSON array fails on its first line ("[") as "unexpected end": say what it is.
      const note =
        first && text.trimStart().startsWith('[')
          ? ' (is this a JSON export rather than JSON Lines?)'
          : /Unexpected end|Unterminated/i.test(msg)
            ? ' (the record looks truncated)'
            : '';
      throw badFile(file, line, `invalid JSON: ${jsonErrorHint(msg, text)}${note}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
      throw badFile(file, line, `expected one JSON object per line, found ${kind}${Array.isArray(value) ? ' (is this a JSON export rather than JSON Lines?)' : ''}`);
    }
    yield { line, value: value as Record<string, unknown> };
  }
  if (!any && !options.allowEmpty) throw badFile(file, undefined, 'is empty: no records found');
}
