import { PlanterError } from '../../../shared/errors';
import { CorpusFormat, FieldMapping, type ImportResult } from '../../../shared/contract';
import { JSON_FLAG, PROJECT_FLAG, bool, str, strs, type Command } from '../command';
import { resultOf, UsageError, waitForJob } from '../io';
import { withProject } from '../session';

/**
 * The importers name a field by its role ("the text field"), the same words for the app and the
 * command line; here the command line adds the flag that sets it.
 */
export function withFlagHint(e: PlanterError, mapping: FieldMapping): PlanterError {
  if (e.code !== 'bad-file') return e;
  const field = e.details?.field;
  const roles: [string | undefined, string][] = [
    [mapping.textField, '--text-field'],
    [mapping.labelsField, '--labels-field'],
    [mapping.idField, '--id-field'],
    [mapping.splitField, '--split-field'],
    ...mapping.extraTextFields.map((f): [string, string] => [f, '--extra-text-field']),
  ];
  const flag = field === undefined ? undefined : roles.find(([f]) => f === field)?.[1];
  if (flag) return new PlanterError(e.code, `${e.message} (set it with ${flag})`, e.details);
  const format = /choose the format "([a-z-]+)"/.exec(e.message)?.[1];
  return format ? new PlanterError(e.code, `${e.message} (--format ${format})`, e.details) : e;
}

export function printImport(result: ImportResult): string {
  const flagged = result.labelsFlagged ? `, ${result.labelsFlagged} labels not in the catalogue (created and flagged)` : '';
  const as = result.format && result.format !== 'jsonl' && result.format !== 'csv' ? ` (read as ${result.format})` : '';
  if (result.format && result.documents === 0) return `imported nothing: ${result.file}${as} holds no documents (an export of an empty project); the project is unchanged`;
  return `imported ${result.documents} documents and ${result.assignments} label assignments from ${result.file}${as} in ${(result.durationMs / 1000).toFixed(1)} s${flagged}`;
}

export const importCommand: Command = {
  name: 'import',
  summary:
    'Import a corpus (transactionally: a bad file imports nothing). Formats: jsonl, csv (generic, with field mapping), prodigy, doccano, label-studio. .gz files are read transparently.',
  positionals: 'FILE',
  flags: {
    project: PROJECT_FLAG,
    format: { type: 'string', description: 'jsonl | csv | prodigy | doccano | label-studio (default: csv/tsv and json by the extension, JSON Lines by its first record)', placeholder: 'FORMAT' },
    'text-field': { type: 'string', description: 'field holding the text (default: text)', placeholder: 'F' },
    'extra-text-field': { type: 'string', description: 'another text field appended to the text', multiple: true, placeholder: 'F' },
    'labels-field': { type: 'string', description: 'field holding the labels (JSON list or separated string)', placeholder: 'F' },
    'label-separator': { type: 'string', description: 'separator of labels in a string (default: ;)', placeholder: 'S' },
    'id-field': { type: 'string', description: 'field holding a unique document id', placeholder: 'F' },
    'split-field': { type: 'string', description: 'field holding the split name (Prodigy: under meta, Label Studio: under data)', placeholder: 'F' },
    split: { type: 'string', description: 'split of every document of the file (default: train)', placeholder: 'NAME' },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const file = args.positionals[0];
    if (!file || args.positionals.length > 1) throw new UsageError('give exactly one FILE to import');
    if (str(args, 'split') && str(args, 'split-field')) throw new UsageError('use either --split or --split-field, not both');
    const formatArg = str(args, 'format');
    const format = formatArg ? CorpusFormat.safeParse(formatArg) : { success: true as const, data: 'auto' as const };
    if (!format.success) throw new UsageError(`unknown --format ${formatArg}; use one of ${CorpusFormat.options.join(', ')}`);
    const mapping = FieldMapping.safeParse({
      ...(str(args, 'text-field') ? { textField: str(args, 'text-field') } : {}),
      extraTextFields: strs(args, 'extra-text-field'),
      ...(str(args, 'labels-field') ? { labelsField: str(args, 'labels-field') } : {}),
      ...(str(args, 'label-separator') ? { labelSeparator: str(args, 'label-separator') } : {}),
      ...(str(args, 'id-field') ? { idField: str(args, 'id-field') } : {}),
      ...(str(args, 'split-field') ? { splitField: str(args, 'split-field') } : {}),
      ...(str(args, 'split') ? { split: str(args, 'split') } : {}),
    });
    if (!mapping.success) throw new UsageError(mapping.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    try {
      return await withProject(str(args, 'project')!, async (session, projectId) => {
        const { jobId } = await session.call('imports.corpus', { projectId, source: { path: file }, format: format.data, mapping: mapping.data });
        const result = resultOf(await waitForJob(session.services, jobId, io, bool(args, 'json')), 'import');
        io.out(bool(args, 'json') ? JSON.stringify(result) : printImport(result));
        return 0;
      });
    } catch (e) {
      if (e instanceof PlanterError && e.code === 'cancelled') io.err('import cancelled; nothing was imported');
      throw e instanceof PlanterError ? withFlagHint(e, mapping.data) : e;
    }
  },
};
