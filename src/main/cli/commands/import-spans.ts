import type { SpanImportResult } from '../../../shared/contract';
import { JSON_FLAG, PROJECT_FLAG, bool, str, type Command } from '../command';
import { UsageError } from '../io';
import { CliSession } from '../session';

const SHOWN_MISMATCHES = 20;

export function printSpanImport(r: SpanImportResult): string {
  const lines = [
    `imported ${r.imported} evidence spans from ${r.rows} rows of ${r.file}` +
      (r.duplicates ? ` (${r.duplicates} already there)` : '') +
      `; ${r.mismatches.length} rows whose text differs from the document at their offsets were not stored`,
  ];
  if (r.unknownDocuments || r.unknownCodes) {
    lines.push(`skipped ${r.unknownDocuments} rows naming a document and ${r.unknownCodes} naming a code the project does not have (lines ${r.unknownLines.join(', ')}${r.unknownDocuments + r.unknownCodes > r.unknownLines.length ? ', …' : ''})`);
  }
  for (const m of r.mismatches.slice(0, SHOWN_MISMATCHES)) lines.push(`  ${r.file} line ${m.line} (${m.extId}): the file says ${JSON.stringify(m.expected)}, the document has ${JSON.stringify(m.actual)}`);
  if (r.mismatches.length > SHOWN_MISMATCHES) lines.push(`  … and ${r.mismatches.length - SHOWN_MISMATCHES} more (--json lists them all)`);
  return lines.join('\n');
}

export const importSpansCommand: Command = {
  name: 'import-spans',
  summary:
    'Import evidence spans from a CodiEsp-X TSV (doc, type, code, text, offsets "a b;c d" into the original text), transactionally; a span whose text is not the document text at its offsets is reported with its line and not stored.',
  positionals: 'FILE',
  flags: { project: PROJECT_FLAG, json: JSON_FLAG },
  async run(args, io) {
    const file = args.positionals[0];
    if (!file || args.positionals.length > 1) throw new UsageError('give exactly one FILE of evidence spans');
    const session = new CliSession();
    try {
      const projectId = session.project(str(args, 'project')!);
      const result = await session.call('spans.import', { projectId, source: { path: file } });
      io.out(bool(args, 'json') ? JSON.stringify(result) : printSpanImport(result));
      return 0;
    } finally {
      await session.dispose();
    }
  },
};
