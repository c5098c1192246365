import { DocStatus } from '../../../shared/contract';
import { JSON_FLAG, PROJECT_FLAG, bool, str, strs, type Command } from '../command';
import { UsageError } from '../io';
import { withProject } from '../session';

function status(value: string, flag: string): DocStatus {
  const parsed = DocStatus.safeParse(value);
  if (!parsed.success) throw new UsageError(`unknown ${flag} ${value}; use ${DocStatus.options.join(', ')}`);
  return parsed.data;
}

export const markCommand: Command = {
  name: 'mark',
  summary:
    "Mark every document of a split with the given statuses done, skipped, review or pending, as one step of the app's undo history (annotations.setStatusMany). The decisions carry this install's annotator name.",
  flags: {
    project: PROJECT_FLAG,
    status: { type: 'string', description: 'the status to set: done | skipped | review | pending', required: true, placeholder: 'STATUS' },
    split: { type: 'string', description: 'the split (default pool; "all" for every split)', placeholder: 'NAME' },
    from: { type: 'string', description: 'only documents with this status now (default pending)', multiple: true, placeholder: 'STATUS' },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const to = status(str(args, 'status')!, '--status');
    const from = strs(args, 'from').map((s) => status(s, '--from'));
    const splitArg = str(args, 'split') ?? 'pool';
    return withProject(str(args, 'project')!, async (session, projectId) => {
      const r = await session.call('annotations.setStatusMany', {
        projectId,
        status: to,
        scope: { split: splitArg === 'all' ? null : splitArg, statuses: from.length ? from : ['pending'] },
      });
      io.out(bool(args, 'json') ? JSON.stringify({ changed: r.changed, batchId: r.batchId }) : `marked ${r.changed} document${r.changed === 1 ? '' : 's'} ${to}`);
      return 0;
    });
  },
};
