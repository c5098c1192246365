import { badFile } from './read-lines';
import { codeProblem, splitProblem, type LabelMark } from './records';

/** Reads a text field: a string, or an array of strings (joined by blank lines, as EURLEX57K's main_body). */
export function textValue(value: unknown, file: string, line: number, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return (value as string[]).join('\n\n');
  throw badFile(file, line, `must be text (a string or a list of strings), found ${describe(value)}`, field);
}

/** Label lists arrive as JSON arrays, or as strings separated by `separator`; codes are trimmed. */
export function labelValues(value: unknown, separator: string, file: string, line: number, field: string): LabelMark[] {
  if (value === undefined || value === null || value === '') return [];
  let codes: string[];
  if (Array.isArray(value)) {
    codes = value.map((v, i) => {
      if (typeof v === 'string') return v.trim();
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      throw badFile(file, line, `item ${i + 1} must be a label code (string), found ${describe(v)}`, field);
    });
  } else if (typeof value === 'string') {
    const s = value.trim();
    if (s.startsWith('[') && s.endsWith(']')) {
      try {
        return labelValues(JSON.parse(s) as unknown, separator, file, line, field);
      } catch (e) {
        if ((e as { code?: string }).code === 'bad-file') throw e;
        throw badFile(file, line, 'looks like a JSON list but is not valid JSON', field);
      }
    }
    codes = s.split(separator).map((c) => c.trim());
  } else {
    // A bare number (`"labels_diagnosis": 42`) is a count or an id far more often than a code:
    // refuse it rather than create a code "42" (issue #14). A list may hold numeric codes.
    throw badFile(file, line, `must be a list of label codes (or codes separated by "${separator}" in a string), found ${describe(value)}`, field);
  }
  const seen = new Set<string>();
  const out: LabelMark[] = [];
  for (const code of codes) {
    if (code === '') continue;
    const problem = codeProblem(code);
    if (problem) throw badFile(file, line, `label code ${JSON.stringify(code.slice(0, 40))} ${problem}`, field);
    if (!seen.has(code)) {
      seen.add(code);
      out.push({ code, present: true });
    }
  }
  return out;
}

export function idValue(value: unknown, file: string, line: number, field: string): string {
  if (typeof value === 'string' && value.trim() !== '') {
    if (value.length > 500) throw badFile(file, line, 'is longer than 500 characters', field);
    return value.trim();
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value === undefined || value === null || value === '') throw badFile(file, line, 'is missing', field);
  throw badFile(file, line, `must be a string or a number, found ${describe(value)}`, field);
}

export function splitValue(value: unknown, file: string, line: number, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw badFile(file, line, value === undefined ? 'is missing' : `must be a split name, found ${describe(value)}`, field);
  const split = value.trim().toLowerCase();
  const problem = splitProblem(split);
  if (problem) throw badFile(file, line, `${JSON.stringify(value)} ${problem}`, field);
  return split;
}

/** Small scalar fields the mapping did not use are kept as document metadata (shown in the UI). */
export function scalarMetadata(obj: Record<string, unknown>, used: ReadonlySet<string>): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (used.has(k)) continue;
    if ((typeof v === 'string' && v.length <= 500) || typeof v === 'number' || typeof v === 'boolean') meta[k] = v;
  }
  return meta;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
