import type { CorpusFormat, FieldMapping } from '../../shared/contract';
import { badFile, readLines } from './read-lines';

/**
 * Which tool wrote a JSON Lines record, from its fields: Prodigy (`_input_hash`, `_task_hash`, or
 * an `answer` with `accept` / `label`), doccano (`text` and a `label` or `labels` list), or
 * neither (null). A Prodigy or doccano export read as generic JSONL imported no labels without a
 * word (issue #14).
 */
export function toolOf(record: Record<string, unknown>): 'prodigy' | 'doccano' | null {
  if ('_input_hash' in record || '_task_hash' in record || ('answer' in record && ('accept' in record || 'label' in record))) return 'prodigy';
  if (typeof record.text === 'string' && (Array.isArray(record.label) || Array.isArray(record.labels))) return 'doccano';
  return null;
}

/** The first record of a JSON Lines file, or null when it does not parse (the importer then says why). */
async function firstRecord(file: string, displayName: string): Promise<Record<string, unknown> | null> {
  for await (const { text } of readLines(file, { displayName })) {
    if (!text.trim()) continue;
    try {
      const value: unknown = JSON.parse(text);
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  return null;
}

const TOOL_NAMES = { prodigy: 'Prodigy', doccano: 'doccano' } as const;

/**
 * The format to read a corpus with. `auto`: CSV/TSV and Label Studio JSON by the file name, a
 * JSON Lines file by its first record (Prodigy, doccano, or generic JSONL). An explicit `jsonl`
 * whose records are a tool's export, with no labels field named, is refused with the format to
 * choose, rather than imported without its labels.
 */
export async function resolveCorpusFormat(format: CorpusFormat | 'auto', mapping: FieldMapping, file: string, displayName: string): Promise<CorpusFormat> {
  const name = displayName.toLowerCase().replace(/\.gz$/, '');
  if (format === 'auto' && (name.endsWith('.csv') || name.endsWith('.tsv'))) return 'csv';
  if (format === 'auto' && name.endsWith('.json')) return 'label-studio';
  if (format !== 'auto' && format !== 'jsonl') return format;
  const record = await firstRecord(file, displayName);
  const tool = record ? toolOf(record) : null;
  const labelsMapped = !!mapping.labelsField && !!record && mapping.labelsField in record;
  if (!tool || labelsMapped) return 'jsonl';
  if (format === 'auto') return tool;
  // A labels field that is named but absent gets its own error from the JSONL reader.
  if (mapping.labelsField) return 'jsonl';
  throw badFile(
    displayName,
    undefined,
    `looks like a ${TOOL_NAMES[tool]} export (${tool === 'prodigy' ? 'its records carry "answer", "accept" or "_input_hash"' : 'its records carry a "label" list'}), but it is being read as generic JSON Lines, which would import no labels: choose the format "${tool}", or name the field that holds the labels`,
  );
}
