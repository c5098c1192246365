import type { FieldMapping } from '../../shared/contract';
import { csvRecords, headerIndex } from './csv';
import { idValue, labelValues, scalarMetadata, splitValue, textValue } from './field-values';
import { jsonlObjects } from './jsonl';
import { badFile, type Line } from './read-lines';
import type { CorpusRecord } from './records';

/** Maps one parsed object onto a document following the user's field mapping. */
export function mapRecord(obj: Record<string, unknown>, line: number, mapping: FieldMapping, file: string): CorpusRecord {
  const text = textValue(obj[mapping.textField], file, line, mapping.textField);
  if (text === null) throw badFile(file, line, 'is missing', mapping.textField);
  const parts = [text];
  for (const extra of mapping.extraTextFields) {
    const t = textValue(obj[extra], file, line, extra);
    if (t !== null && t.trim() !== '') parts.push(t);
  }
  const joined = parts.join('\n\n');
  if (joined.trim() === '') throw badFile(file, line, 'is empty', mapping.textField);
  const extId = mapping.idField ? idValue(obj[mapping.idField], file, line, mapping.idField) : `${file}:${line}`;
  const split = mapping.splitField ? splitValue(obj[mapping.splitField], file, line, mapping.splitField) : (mapping.split ?? 'train');
  const labels = mapping.labelsField ? labelValues(obj[mapping.labelsField], mapping.labelSeparator, file, line, mapping.labelsField) : [];
  const used = new Set([mapping.textField, ...mapping.extraTextFields, mapping.labelsField, mapping.idField, mapping.splitField].filter((f): f is string => !!f));
  return { line, extId, text: joined, split, metadata: scalarMetadata(obj, used), labels };
}

export async function* jsonlCorpus(lines: AsyncIterable<Line>, file: string, mapping: FieldMapping): AsyncGenerator<CorpusRecord> {
  let first = true;
  for await (const { line, value } of jsonlObjects(lines, file)) {
    if (first) {
      first = false;
      checkFieldsExist(Object.keys(value), mapping, file, line);
    }
    yield mapRecord(value, line, mapping, file);
  }
}

export async function* csvCorpus(lines: AsyncIterable<Line>, file: string, mapping: FieldMapping): AsyncGenerator<CorpusRecord> {
  let header: Map<string, number> | null = null;
  let columns = 0;
  let any = false;
  for await (const rec of csvRecords(lines, file)) {
    if (!header) {
      header = headerIndex(rec, file);
      columns = rec.fields.length;
      checkFieldsExist([...header.keys()], mapping, file, rec.line);
      continue;
    }
    any = true;
    if (rec.fields.length !== columns) {
      throw badFile(file, rec.line, `has ${rec.fields.length} columns but the header has ${columns}`);
    }
    const obj: Record<string, unknown> = {};
    for (const [name, i] of header) obj[name] = rec.fields[i];
    yield mapRecord(obj, rec.line, mapping, file);
  }
  if (!header) throw badFile(file, undefined, 'is empty: no header row');
  if (!any) throw badFile(file, undefined, 'has a header but no rows');
}

/** A misspelt field name would otherwise silently drop data from every record: fail on the first. */
function checkFieldsExist(fields: string[], mapping: FieldMapping, file: string, line: number): void {
  const have = new Set(fields);
  // The role in words, not a command-line flag: the same message reaches the app (issue #14).
  const wanted: [string | undefined, string][] = [
    [mapping.textField, 'the text field'],
    [mapping.labelsField, 'the labels field'],
    [mapping.idField, 'the id field'],
    [mapping.splitField, 'the split field'],
    ...mapping.extraTextFields.map((f): [string, string] => [f, 'an extra text field']),
  ];
  for (const [field, role] of wanted) {
    if (field && !have.has(field)) {
      const list = fields.slice(0, 12).join(', ');
      throw badFile(file, line, `has no field "${field}" (${role}); the fields are: ${list}`, field);
    }
  }
}
