import { readFileSync } from 'node:fs';
import { MATCH_END, MATCH_START } from '../../../shared/contract';
import { JSON_FLAG, PROJECT_FLAG, bool, int, str, type Command } from '../command';
import { UsageError } from '../io';
import { withProject } from '../session';

export const guidelinesCommand: Command = {
  name: 'guidelines',
  summary: "Print the project's coding guidelines (Markdown), or replace them with a file's text (--set FILE).",
  flags: {
    project: PROJECT_FLAG,
    set: { type: 'string', description: 'replace the guidelines with this Markdown file (an empty file clears them)', placeholder: 'FILE' },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const file = str(args, 'set');
    let text: string | undefined;
    if (file !== undefined) {
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read --set ${file}: ${(e as Error).message}`);
      }
    }
    return withProject(str(args, 'project')!, async (session, projectId) => {
      const g = text === undefined ? await session.call('guidelines.get', { projectId }) : await session.call('guidelines.set', { projectId, text });
      if (bool(args, 'json')) io.out(JSON.stringify(g));
      else if (text !== undefined) io.out(`saved the guidelines (${g.text.length} characters)`);
      else io.out(g.text || '(no guidelines yet: planter guidelines --project DIR --set FILE writes them)');
      return 0;
    });
  },
};

export const notesCommand: Command = {
  name: 'notes',
  summary: "Find documents by their notes (every word must match, as prefixes), best matches first. The notes themselves are exported by export-annotations (JSONL).",
  positionals: 'WORDS…',
  flags: {
    project: PROJECT_FLAG,
    limit: { type: 'int', description: 'at most this many notes (default 50)', min: 1, max: 200, placeholder: 'N' },
    json: JSON_FLAG,
  },
  async run(args, io) {
    const query = args.positionals.join(' ').trim();
    if (!query) throw new UsageError('give the words to look for: planter notes --project DIR biopsy');
    const limit = int(args, 'limit') ?? 50;
    return withProject(str(args, 'project')!, async (session, projectId) => {
      const found = await session.call('notes.search', { projectId, query, limit });
      if (bool(args, 'json')) io.out(JSON.stringify(found));
      else {
        const plain = (s: string): string => s.replaceAll(MATCH_START, '[').replaceAll(MATCH_END, ']');
        io.out([`${found.total} ${found.total === 1 ? 'note matches' : 'notes match'}`, ...found.items.map((h) => `${h.extId}${h.code ? ` ${h.code}` : ''}\t${plain(h.excerpt)}`)].join('\n'));
      }
      return 0;
    });
  },
};
