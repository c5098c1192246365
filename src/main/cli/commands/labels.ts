import { CatalogueFormat, type ImportResult } from '../../../shared/contract';
import { PlanterError } from '../../../shared/errors';
import { JSON_FLAG, PROJECT_FLAG, bool, str, type Command } from '../command';
import { resultOf, UsageError, waitForJob } from '../io';
import { withProject } from '../session';

export function guessCatalogueFormat(file: string): CatalogueFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.json')) return 'eurovoc-json';
  if (name.endsWith('.tsv')) return name.includes('pcs') ? 'icd10pcs-tsv' : 'icd10cm-tsv';
  return 'labels-csv';
}

/** "catalogue x.tsv: 12 labels created, 3 updated (2 titles changed: CH01 "A" → "B", …) in 0.4 s". */
export function printCatalogueImport(result: ImportResult): string {
  const changes = result.titleChanges ?? [];
  const titles = result.titlesChanged
    ? ` (${result.titlesChanged} title${result.titlesChanged === 1 ? '' : 's'} changed: ${changes.map((c) => `${c.code} ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join(', ')}${result.titlesChanged > changes.length ? ', …' : ''})`
    : '';
  return `catalogue ${result.file}: ${result.labelsCreated} labels created, ${result.labelsUpdated} updated${titles} in ${(result.durationMs / 1000).toFixed(1)} s`;
}

export const labelsCommand: Command = {
  name: 'labels',
  summary:
    'Import a label catalogue (codes, titles, synonyms, hierarchy) in one transaction; existing codes are updated. Formats: icd10cm-tsv, icd10pcs-tsv, eurovoc-json, labels-csv (code,title,parent,synonyms).',
  positionals: 'FILE',
  flags: {
    project: PROJECT_FLAG,
    format: { type: 'string', description: 'catalogue format (default: from the file name)', placeholder: 'FORMAT' },
    force: { type: 'boolean', description: "import even when the catalogue's code system (ICD-9-CM, ICD-10-CM, …) differs from the project's" },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const file = args.positionals[0];
    if (!file || args.positionals.length > 1) throw new UsageError('give exactly one catalogue FILE');
    const formatArg = str(args, 'format');
    const format = formatArg ? CatalogueFormat.safeParse(formatArg) : { success: true as const, data: guessCatalogueFormat(file) };
    if (!format.success) throw new UsageError(`unknown --format ${formatArg}; use one of ${CatalogueFormat.options.join(', ')}`);
    try {
      return await withProject(str(args, 'project')!, async (session, projectId) => {
        const { jobId } = await session.call('imports.catalogue', { projectId, source: { path: file }, format: format.data, force: bool(args, 'force') });
        const result = resultOf(await waitForJob(session.services, jobId, io, bool(args, 'json')), 'catalogue');
        io.out(bool(args, 'json') ? JSON.stringify(result) : printCatalogueImport(result));
        return 0;
      });
    } catch (e) {
      if (e instanceof PlanterError && e.code === 'conflict' && / with force$/.test(e.message)) throw new PlanterError(e.code, `${e.message} (--force)`, e.details);
      throw e;
    }
  },
};
