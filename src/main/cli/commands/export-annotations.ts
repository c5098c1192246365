import { AnnotationExportFormat, isModelExport } from '../../../shared/contract';
import { PlanterError } from '../../../shared/errors';
import { JSON_FLAG, PROJECT_FLAG, bool, str, type Command } from '../command';
import { resultOf, UsageError, waitForJob } from '../io';
import { withProject } from '../session';

export const exportAnnotationsCommand: Command = {
  name: 'export-annotations',
  summary: 'Write documents with their labels as JSONL or CSV, in a shape `planter import` reads back (written atomically).',
  flags: {
    project: PROJECT_FLAG,
    out: { type: 'string', description: 'output file', required: true, placeholder: 'FILE' },
    format: { type: 'string', description: 'jsonl | csv (default: from the extension of --out)', placeholder: 'FORMAT' },
    split: { type: 'string', description: 'only this split', placeholder: 'NAME' },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const out = str(args, 'out')!;
    const formatArg = str(args, 'format') ?? (out.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
    const format = AnnotationExportFormat.safeParse(formatArg);
    if (!format.success) throw new UsageError(`unknown --format ${formatArg}; use jsonl or csv`);
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
