import type { AnnotatorStats } from '../../../shared/contract';
import { JSON_FLAG, PROJECT_FLAG, bool, str, type Command } from '../command';
import { withProject } from '../session';

const seconds = (s: number | null): string => (s === null ? '—' : `${Math.round(s)} s`);

export function formatAnnotators(rows: readonly AnnotatorStats[]): string {
  if (rows.length === 0) return 'no decisions recorded yet';
  return rows
    .map(
      (a) =>
        `${a.annotator ?? '(no name recorded)'}: ${a.decisions} decisions, ${a.documentsDone} documents done, ` +
        `time per document median ${seconds(a.medianSecondsPerDocument)} / mean ${seconds(a.meanSecondsPerDocument)} (${a.timedDocuments} timed), ` +
        `suggestions accepted ${a.acceptedSuggestions} of ${a.acceptedSuggestions + a.rejectedSuggestions}` +
        (a.acceptanceRate === null ? '' : ` (${Math.round(a.acceptanceRate * 100)} %)`),
    )
    .join('\n');
}

export const annotatorsCommand: Command = {
  name: 'annotators',
  summary:
    "Per annotator: decisions, documents done, time per document (gaps between one annotator's decisions; pauses over 10 minutes are breaks) and acceptance rate of suggestions. --name sets this install's annotator name first.",
  flags: {
    project: PROJECT_FLAG,
    name: { type: 'string', description: "set this install's annotator name (recorded on every decision from now on)", placeholder: 'NAME' },
    json: JSON_FLAG,
  },
  run: (args, io) =>
    withProject(str(args, 'project')!, async (session, projectId) => {
      const name = str(args, 'name');
      if (name !== undefined) await session.call('annotator.set', { name });
      const report = await session.call('annotator.stats', { projectId });
      io.out(bool(args, 'json') ? JSON.stringify(report) : formatAnnotators(report.annotators));
      return 0;
    }),
};
