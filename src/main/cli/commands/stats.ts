import type { ProjectStats } from '../../../shared/contract';
import { JSON_FLAG, PROJECT_FLAG, bool, str, type Command } from '../command';
import { withProject } from '../session';

export function formatStats(s: ProjectStats): string {
  const { total, ...splits } = s.documents;
  const lines = [
    `documents: ${total}${Object.keys(splits).length ? ` (${Object.entries(splits).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`,
    `labels: ${s.labels.total} assignable codes (and ${s.labels.categories} chapters and blocks), ${s.labels.used} used, ${s.labels.flagged} flagged (not in the catalogue)`,
    `training frequency of codes: zero ${s.labels.buckets.zero}, 1–5 ${s.labels.buckets.few}, 6–50 ${s.labels.buckets.mid}, >50 ${s.labels.buckets.head}`,
    `assignments: ${s.assignments}; documents annotated: ${s.annotated}`,
  ];
  return lines.join('\n');
}

export const statsCommand: Command = {
  name: 'stats',
  summary: 'Documents per split, labels, and label-frequency buckets (zero / 1–5 / 6–50 / >50 training documents).',
  flags: { project: PROJECT_FLAG, json: JSON_FLAG },
  run: (args, io) =>
    withProject(str(args, 'project')!, async (session, projectId) => {
      const stats = await session.call('projects.stats', { projectId });
      if (bool(args, 'json')) {
        io.out(JSON.stringify({ documents: stats.documents, labels: stats.labels, assignments: stats.assignments, annotated: stats.annotated, histogram: stats.histogram }));
      } else io.out(formatStats(stats));
      return 0;
    }),
};
