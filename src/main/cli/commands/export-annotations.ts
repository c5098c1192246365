import { AnnotationExportFormat, isModelExport } from '../../../shared/contract';
import { PlanterError } from '../../../shared/errors';
import { JSON_FLAG, PROJECT_FLAG, bool, str, type Command } from '../command';
import { resultOf, UsageError, waitForJob } from '../io';
import { withProject } from '../session';

/** Only the extensions that name one format: .jsonl could be Planter's, Prodigy's or doccano's, and means Planter's. */
function formatOfExtension(out: string): string {
  const lower = out.toLowerCase();
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.json') ? 'label-studio' : 'jsonl';
}

export const exportAnnotationsCommand: Command = {
  name: 'export-annotations',
  summary: 'Write documents with their labels as JSONL, CSV, or Prodigy, doccano or Label Studio files, in a shape `planter import` reads back (written atomically).',
  flags: {
    project: PROJECT_FLAG,
    out: { type: 'string', description: 'output file', required: true, placeholder: 'FILE' },
    format: {
      type: 'string',
      description: `${AnnotationExportFormat.options.join(' | ')} (default: from the extension of --out: .csv csv, .json label-studio, else jsonl); the tool formats keep the split under "split", read back with --split-field split`,
      placeholder: 'FORMAT',
    },
    split: { type: 'string', description: 'only this split', placeholder: 'NAME' },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const out = str(args, 'out')!;
    const formatArg = str(args, 'format') ?? formatOfExtension(out);
    const format = AnnotationExportFormat.safeParse(formatArg);
    if (!format.success) throw new UsageError(`unknown --format ${formatArg}; use ${AnnotationExportFormat.options.join(', ')}`);
    return withProject(str(args, 'project')!, async (session, projectId) => {
      const split = str(args, 'split');
      const { jobId } = await session.call('exports.annotations', { projectId, format: format.data, destination: { path: out }, ...(split ? { split } : {}) });
      const result = resultOf(await waitForJob(session.services, jobId, io, bool(args, 'json')), 'export');
      if (isModelExport(result)) throw new PlanterError('internal', `job ${jobId} exported a model, not annotations`);
      io.out(bool(args, 'json') ? JSON.stringify(result) : `wrote ${result.documents} documents (${result.assignments} labels) to ${result.path}`);
      return 0;
    });
  },
};
